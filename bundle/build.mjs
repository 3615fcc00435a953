#!/usr/bin/env node
// `npm run bundle`: dist/perlbot-hunt.mjs, the whole tool in one file that
// runs with `node` alone (no node_modules, no lib/data), for carrying onto an
// air-gapped machine. `npm run bundle -- --sea` also builds
// dist/perlbot-hunt, a single executable (Node's SEA: this machine's node
// binary with the tool injected), which needs no node at all on the other
// side. See README, "Carrying it to an air-gapped machine".
//
// esbuild bundles the TypeScript sources and the runtime dependencies from
// lib/bundle/bundle-main.ts. One module is swapped: lib/assets/assets.ts, the
// only code that reads the tool's own files, becomes a module with the data
// files' bytes and the package version embedded, whose worker script is the
// bundle itself (in the executable: the bundle's text, run with `eval`).

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_FILES = ['iocs.json', 'exclusions.json', 'windows-zones.json', 'tables.json'];
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** The name the executable's copy of the CommonJS bundle is stored under (node:sea assets). */
const SEA_ASSET = 'perlbot-hunt.cjs';
/** Node's marker in its binary for where a single executable's blob goes (Node's SEA documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function embeddedAssets(target) {
  // base64 keeps the bytes exact, so the built-in sets' SHA-256 in the report is the shipped files'
  const data = Object.fromEntries(DATA_FILES.map((name) => [name, readFileSync(join(root, 'lib', 'data', name)).toString('base64')]));
  const worker =
    target === 'sea'
      ? `let code;
export function workerScript(name) {
  // a single executable has no script file for a worker to load: it runs the bundle's own text
  code ??= require('node:sea').getAsset(${JSON.stringify(SEA_ASSET)}, 'utf8');
  return { script: code, options: { eval: true, argv: [WORKER_FLAG, name] } };
}`
      : `export function workerScript(name) {
  return { script: new URL(import.meta.url), options: { argv: [WORKER_FLAG, name] } };
}`;
  return `import { WORKER_FLAG } from './worker-flag.ts';
const DATA = ${JSON.stringify(data)};
export function dataFile(name) {
  const bytes = DATA[name];
  if (bytes === undefined) throw new Error('no embedded data file ' + name);
  return Buffer.from(bytes, 'base64');
}
export function packageVersion() {
  return ${JSON.stringify(version)};
}
${worker}
`;
}

const embedAssets = (target) => ({
  name: 'embed-assets',
  setup(b) {
    b.onResolve({ filter: /[\\/]assets[\\/]assets\.js$/ }, () => ({ path: 'perlbot-hunt-assets', namespace: 'embedded' }));
    b.onLoad({ filter: /.*/, namespace: 'embedded' }, () => ({ contents: embeddedAssets(target), loader: 'js', resolveDir: join(root, 'lib', 'bundle') }));
  },
});

const common = {
  entryPoints: [join(root, 'lib', 'bundle', 'bundle-main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'eof',
  logLevel: 'warning',
};

function describe(path) {
  const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
  return `${path}: ${(statSync(path).size / 1024 / 1024).toFixed(2)} MiB, sha256 ${digest}`;
}

async function bundle() {
  const outfile = join(root, 'dist', 'perlbot-hunt.mjs');
  await build({
    ...common,
    outfile,
    format: 'esm',
    // a dependency written as CommonJS calls require(); an ES module has none of its own
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __perlbotCreateRequire } from 'node:module';\nconst require = __perlbotCreateRequire(import.meta.url);" },
    plugins: [embedAssets('file')],
  });
  console.log(`${describe(outfile)} (perlbot-hunt ${version}, runs with node 20.19 or later)`);
}

async function singleExecutable() {
  const dir = join(root, 'dist', 'sea');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const script = join(dir, SEA_ASSET);
  await build({
    ...common,
    outfile: script,
    // Node 20's single executables run one CommonJS script
    format: 'cjs',
    // ES modules among the dependencies read import.meta.url; CommonJS has __filename instead
    define: { 'import.meta.url': '__perlbotImportMetaUrl' },
    banner: { js: "var __perlbotImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [embedAssets('sea')],
  });
  const config = join(dir, 'sea-config.json');
  const blob = join(dir, 'sea-prep.blob');
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, assets: { [SEA_ASSET]: script } }, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const executable = join(root, 'dist', 'perlbot-hunt');
  copyFileSync(process.execPath, executable);
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  try {
    execFileSync(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: 'pipe' });
  } catch (error) {
    // postject's warnings about ELF note sections are noise; its errors are not
    process.stderr.write(String(error.stderr ?? ''));
    throw error;
  }
  console.log(`${describe(executable)} (single executable: node ${process.version}, ${process.platform}-${process.arch})`);
}

await bundle();
if (process.argv.includes('--sea')) await singleExecutable();
