import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, writeFiles } from './helpers.js';
import { normalizeOptions, type RawOptions } from '../lib/options/scan-options.js';
import { exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import { scan } from '../lib/scan/scan.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';
import { SLOT_BYTES } from '../lib/inputs/hash-beside.js';
import type { Report } from '../lib/report/report.js';

// A large file (16 MiB or more) is read into shared 1 MiB chunks that the
// hashing thread also searches for a large IOC set's candidates
// (inputs/hash-worker.ts, kernel/chunk-tokens.ts). The scan takes them
// instead of searching again, and looks across each chunk edge itself: the
// hits must be --full-parse's, whichever IOC text an edge cuts, wherever.

const KINDS = join(ROOT, 'test', 'data', 'kinds');
/** The kinds fixture's IOCs and enough random addresses to be searched by token. */
const FEED = join(
  writeFiles({ 'feed.txt': `${readFileSync(join(KINDS, 'iocs.txt'), 'utf8')}\n${Array.from({ length: 200 }, (_, i) => `203.0.${113 + (i % 90)}.${i % 250}`).join('\n')}\n` }),
  'feed.txt',
);
const VALUES: Array<[string, 'ip' | 'host' | 'url' | 'hash']> = [
  ['198.51.100.7', 'ip'],
  ['a.evil.example', 'host'],
  ['https://drop.example/pb.pl', 'url'],
  ['d41d8cd98f00b204e9800998ecf8427e', 'hash'],
  ['2001:db8::c2', 'ip'],
  ['198.51.100.200', 'ip'],
  ['8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0', 'hash'],
];
const EDGES = 18;

async function huntWith(paths: string[], extra: Omit<RawOptions, 'paths'>): Promise<Report> {
  const options = normalizeOptions({ ...extra, paths, format: 'json' });
  const iocs = loadIocs({ kind: 'files', paths: [FEED] }, null).set;
  const exclusions = exclusionsFor(options.exclusions);
  const builder = new ReportBuilder('test', iocs, exclusions.entries);
  await scan(planFromOptions(options, iocs, exclusions), builder);
  return builder.build();
}

/**
 * A file of `filler` lines (each with room `pad` for padding) with, at each
 * chunk edge, a line holding an IOC value the edge cuts, a different number
 * of its bytes on each side each time.
 */
function acrossEdges(header: string, filler: (pad: string) => string, hitLine: (value: string, kind: string) => string): string {
  let text = header === '' ? '' : `${header}\n`;
  for (let k = 1; k <= EDGES; k++) {
    const [value, kind] = VALUES[k % VALUES.length];
    const line = hitLine(value, kind);
    const before = 1 + ((k * 5) % (value.length - 1));
    const start = k * SLOT_BYTES - line.indexOf(value) - before;
    const plain = `${filler('')}\n`;
    while (start - text.length > 2 * plain.length + 64) text += plain;
    const room = start - text.length - plain.length;
    text += `${filler('x'.repeat(room))}\n${line}\n`;
  }
  return text;
}

function matches(report: Report): string[] {
  return report.hits.flatMap((h) => h.matches.map((m) => `${h.line} ${m.field} ${m.ip}${m.how ? ` ${m.how}` : ''}`));
}

describe('a large file searched for a large IOC set on the hashing thread', function () {
  this.timeout(120_000);

  it('finds in CSV what --full-parse finds, whichever IOC text a chunk edge cuts', async () => {
    const header = 'TimeGenerated,DeviceVendor,DeviceProduct,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,DestinationHostName,RequestURL,FileHash,Message';
    const filler = (pad: string) => `2026-05-26T09:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,192.0.2.9,443,ok.example.net,,,x${pad}`;
    const hitLine = (value: string, kind: string) =>
      `2026-05-26T09:01:00Z,Palo Alto Networks,PAN-OS,allow,THREAT,10.1.1.5,50000,${kind === 'ip' ? value : '192.0.2.9'},443,${kind === 'host' ? value : ''},${kind === 'url' ? value : ''},${kind === 'hash' ? value : ''},hit`;
    const path = join(tempDir(), 'CommonSecurityLog.csv');
    writeFileSync(path, acrossEdges(header, filler, hitLine));
    const fast = await huntWith([path], { jobs: 2 });
    expect(fast.files[0].bytes).to.be.at.least(16 * 1024 * 1024);
    expect(matches(fast)).to.have.length(EDGES);
    expect(matches(fast)).to.deep.equal(matches(await huntWith([path], { jobs: 2, fullParse: true })));
  });

  it('searches itself a chunk with more candidates than the thread passes on: nothing after the 65,536th is lost', async () => {
    const header = 'TimeGenerated,DeviceVendor,DeviceProduct,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,DestinationHostName,RequestURL,FileHash,Message';
    const row = (ip: string, message: string) => `2026-05-26T09:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,${ip},443,,,,${message}`;
    // IOC text in a column no rule watches, 70,000 times in one chunk, then a hit
    const dense = Array.from({ length: 7 }, () => row('192.0.2.9', '198.51.100.7 '.repeat(10_000)));
    const line = `${row('192.0.2.9', 'x'.repeat(60))}\n`;
    // the dense lines start just past the second chunk: all of them in the third
    const path = join(tempDir(), 'CommonSecurityLog.csv');
    writeFileSync(path, `${header}\n${line.repeat(Math.ceil((2 * SLOT_BYTES) / line.length))}${dense.join('\n')}\n${row('198.51.100.7', 'hit')}\n${line.repeat(Math.ceil((15 * SLOT_BYTES) / line.length))}`);
    const fast = await huntWith([path], { jobs: 2 });
    expect(matches(fast)).to.have.length(1);
    expect(matches(fast)).to.deep.equal(matches(await huntWith([path], { jobs: 2, fullParse: true })));
  });

  it('finds in JSON lines what --full-parse finds, whichever IOC text a chunk edge cuts', async () => {
    const line = (fields: Record<string, string>) => JSON.stringify({ Timestamp: '2026-05-25T10:00:00Z', DeviceId: 'd1', DeviceName: 'ws-01', ActionType: 'ConnectionSuccess', RemoteIP: '192.0.2.9', RemotePort: '443', RemoteUrl: '', ...fields });
    const filler = (pad: string) => line({ InitiatingProcessCommandLine: `perl x.pl${pad}` });
    const hitLine = (value: string, kind: string) =>
      line(kind === 'ip' ? { RemoteIP: value } : kind === 'hash' ? { [value.length === 32 ? 'InitiatingProcessMD5' : 'InitiatingProcessSHA256']: value } : { RemoteUrl: value });
    const path = join(tempDir(), 'DeviceNetworkEvents.json');
    writeFileSync(path, acrossEdges('', filler, hitLine));
    const fast = await huntWith([path], { jobs: 2 });
    expect(fast.files[0].bytes).to.be.at.least(16 * 1024 * 1024);
    expect(matches(fast)).to.have.length(EDGES);
    expect(matches(fast)).to.deep.equal(matches(await huntWith([path], { jobs: 2, fullParse: true })));
  });

  it('parses each JSON line whose IOC is spelled with \\u escapes, found by the thread in the same pass, among thousands of c:\\\\users paths', async () => {
    // `c:\\users` in JSON is a backslash, then `users`: no escape
    const plain = (i: number) => JSON.stringify({ Timestamp: '2026-05-25T10:00:00Z', DeviceId: `d${i}`, ActionType: 'ConnectionSuccess', RemoteIP: '192.0.2.9', RemotePort: '443', FolderPath: `c:\\users\\u${i}\\x.exe`, Pad: 'p'.repeat(200) });
    // 198.51.100.7 and a.evil.example with an escaped first character
    const escaped = (i: number) =>
      i % 2 === 0
        ? `{"Timestamp":"2026-05-25T10:00:00Z","DeviceId":"e${i}","ActionType":"ConnectionSuccess","RemoteIP":"\\u0031\\u0039\\u0038.51.100.7","RemotePort":"443"}`
        : `{"Timestamp":"2026-05-25T10:00:00Z","DeviceId":"e${i}","ActionType":"ConnectionSuccess","RemoteIP":"192.0.2.9","RemotePort":"443","RemoteUrl":"\\u0061.evil.example"}`;
    const lines = Array.from({ length: 60_000 }, (_, i) => (i % 4_001 === 3_999 ? escaped(i) : plain(i)));
    const path = join(tempDir(), 'DeviceNetworkEvents.json');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const fast = await huntWith([path], { jobs: 2 });
    expect(fast.files[0].bytes).to.be.at.least(16 * 1024 * 1024);
    expect(fast.hits.map((h) => h.line)).to.deep.equal(lines.flatMap((line, i) => (line.includes('"e') ? [i + 1] : [])));
    expect(matches(fast)).to.deep.equal(matches(await huntWith([path], { jobs: 2, fullParse: true })));
  });
});

