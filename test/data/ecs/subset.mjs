// node /tmp/handoff-ecs-subset.mjs ecs_flat.yml > ecs-fields.json
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
const flat = yaml.load(readFileSync(process.argv[2], 'utf8'));
const wanted = /^(@timestamp|message|tags|ecs\.version|event\.(kind|category|type|dataset|action|module|original)|host\.name|source\.(ip|port)|destination\.(ip|port)|url\.(full|domain)|dns\.question\.name|file\.hash\.(md5|sha1|sha256)|process\.(name|command_line|parent\.name)|user\.name|observer\.(vendor|product)|log\.file\.path|threat\.feed\.name|threat\.enrichments|threat\.enrichments\.indicator\.(type|ip|port|url\.full|file\.hash\.(md5|sha1|sha256)|provider|confidence|first_seen|last_seen)|threat\.enrichments\.matched\.(atomic|field|type|occurred))$/;
const fields = {};
for (const [name, f] of Object.entries(flat)) {
  if (!wanted.test(name)) continue;
  fields[name] = { type: f.type, normalize: f.normalize ?? [], ...(f.allowed_values ? { allowed_values: f.allowed_values.map((v) => v.name) } : {}), ...(f.expected_values ? { expected_values: f.expected_values } : {}), short: f.short };
}
console.log(JSON.stringify(fields, null, 2));
