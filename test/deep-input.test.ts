import { expect } from 'chai';
import fc from 'fast-check';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { hunt, propertySettings, runCli, tempDir, writeFiles } from './helpers.js';
import { jsonText } from '../lib/readers/record-fields.js';
import { IocSet, type Ioc } from '../lib/matcher/ioc-set.js';
import { RawIocSearch } from '../lib/matcher/raw-text.js';
import type { Report } from '../lib/report/report.js';

// Issue 14, item 4: input whose depth or size would drive a recursion or an
// argument spread (a field nested 20,000 levels, a run of IOC-like text) must
// cost at most its own record, never the rest of the file.

const C2 = ['179.43.139.84', '179.43.139.86'];

/** `{"a":{"a":…"leaf"…}}`, `depth` objects deep. */
function nested(depth: number, leaf = '"deep"'): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

function dneRecord(i: number, remoteIp: string, extra: Record<string, string> = {}): string {
  const record = JSON.stringify({ Timestamp: `2026-06-01T10:00:${String(i).padStart(2, '0')}Z`, DeviceName: `wks-${i}`, ActionType: 'ConnectionSuccess', RemoteIP: remoteIp, RemotePort: 443, InitiatingProcessFileName: 'perl' });
  // raw JSON text spliced in: JSON.stringify itself would overflow building it
  const tail = Object.entries(extra).map(([key, json]) => `,${JSON.stringify(key)}:${json}`).join('');
  return `${record.slice(0, -1)}${tail}}`;
}

function hitRecords(report: Report): number[] {
  return report.hits.map((h) => h.record).sort((a, b) => a - b);
}

describe('deep JSON nesting', () => {
  const records = [1, 2, 3, 4, 5, 6, 7].map((i) => {
    if (i === 3) return dneRecord(i, C2[0], { DeviceName: nested(20_000) }); // a field the report shows
    if (i === 5) return dneRecord(i, C2[1], { AdditionalFields: nested(20_000) }); // a field nobody reads
    return dneRecord(i, C2[i % 2]);
  });

  for (const [name, text] of [['t.ndjson', `${records.join('\n')}\n`], ['t.json', `[\n${records.join(',\n')}\n]\n`]]) {
    for (const fullParse of [false, true]) {
      it(`reports every hit of ${name} around fields nested 20,000 levels${fullParse ? ' (--full-parse)' : ''}`, async () => {
        const report = await hunt([writeFiles({ [name]: text })], { fullParse });
        expect(report.files[0].errors).to.deep.equal([]);
        expect(hitRecords(report)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
        const deep = report.hits.find((h) => h.record === 3)!;
        expect(deep.fields.DeviceName).to.equal(nested(20_000));
      });
    }
  }

  it('writes any parsed JSON value out exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonText(value)).to.equal(JSON.stringify(value));
      }),
      propertySettings(300),
    );
  });

  it('writes out an array nested 200,000 levels', () => {
    const text = `${'['.repeat(200_000)}1${']'.repeat(200_000)}`;
    expect(jsonText(JSON.parse(text))).to.equal(text);
  });
});

describe('long runs of IOC-like text', () => {
  const ioc = (ip: string): Ioc => ({ value: ip, ip, port: null, threatType: null, malware: null, confidence: null, firstSeen: null });
  const run = Buffer.from('1.1.1.'.repeat(500_000)); // 3 MB

  it('finds the candidates of overlapping custom IOCs in a 3 MB run of their common text', () => {
    const search = new RawIocSearch(new IocSet([ioc('1.1.1.1'), ioc('1.1.1.2')]));
    const found = search.candidates(run, Buffer.from('x 1.1.'));
    // every `1.1.1.` that a `1` or `2` follows, plus the needle begun in the tail before
    expect(found.length).to.be.greaterThan(400_000);
    expect(found[0]).to.be.lessThan(0);
    expect([...search.find(run)]).to.deep.equal([]);
  });

  it('reads a CSV holding such a run and reports both hits of a custom IOC list', () => {
    const header = 'TimeGenerated,DeviceVendor,SourceIP,DestinationIP,DestinationPort,Message';
    const dir = writeFiles({
      'iocs.txt': '1.1.1.1\n1.1.1.2\n',
      'run.csv': `${header}\n2026-06-01T10:00:00Z,Acme,10.0.0.5,1.1.1.1,443,${run.toString()}\n2026-06-01T10:00:01Z,Acme,10.0.0.5,1.1.1.2,443,end\n`,
    });
    const cli = runCli(['--format', 'json', '--quiet', '--iocs', join(dir, 'iocs.txt'), join(dir, 'run.csv')]);
    expect(cli.status, cli.stderr).to.equal(1);
    const report = JSON.parse(cli.stdout) as Report;
    expect(report.files[0].errors).to.deep.equal([]);
    expect(report.hits.map((h) => h.matches[0].ip).sort()).to.deep.equal(['1.1.1.1', '1.1.1.2']);
  });
});

// Property: JSON records with fields nested at any depth, in the hit records
// and around them, in JSON lines or a JSON array: every hit is reported, on
// the fast path and with --full-parse.
describe('property: nesting at any depth never hides a hit', () => {
  interface Row {
    hit: number | null;
    depth: number;
    where: 'shown' | 'unread' | 'none';
  }

  const row = fc.record({
    hit: fc.option(fc.integer({ min: 0, max: 1 }), { freq: 2 }),
    depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1000, max: 30_000 })),
    where: fc.constantFrom('shown' as const, 'unread' as const, 'none' as const),
  });

  function exportOf(table: 'dne' | 'csl', rows: Row[], array: boolean): string {
    const records = rows.map((r, i) => {
      const ip = r.hit === null ? `10.0.${i % 250}.9` : C2[r.hit];
      const base: Record<string, unknown> = table === 'dne'
        ? { Timestamp: '2026-06-01T10:00:00Z', DeviceName: `wks-${i}`, ActionType: 'ConnectionSuccess', RemoteIP: ip, RemotePort: 443, InitiatingProcessFileName: 'perl' }
        : { TimeGenerated: '2026-06-01T10:00:00Z', DeviceVendor: 'Fortinet', DeviceProduct: 'FortiGate', Activity: 'traffic', SourceIP: '10.1.1.1', DestinationIP: ip, DestinationPort: 443 };
      const text = JSON.stringify(base);
      if (r.where === 'none') return text;
      const key = r.where === 'unread' ? 'AdditionalExtensions' : table === 'dne' ? 'DeviceName' : 'DeviceAction';
      // a repeated key: JSON.parse keeps the last, the nested one
      return `${text.slice(0, -1)},${JSON.stringify(key)}:${r.depth % 2 === 0 ? nested(r.depth) : `${'['.repeat(r.depth)}"x"${']'.repeat(r.depth)}`}}`;
    });
    return array ? `[${records.join(',\n')}]\n` : `${records.join('\n')}\n`;
  }

  it('reports every hit (JSON lines and arrays, DeviceNetworkEvents RemoteIP and CommonSecurityLog DestinationIP)', async () => {
    const dir = tempDir();
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('dne' as const, 'csl' as const), fc.boolean(), fc.array(row, { minLength: 1, maxLength: 8 }), async (table, array, rows) => {
          const path = join(dir, array ? 'export.json' : 'export.ndjson');
          writeFileSync(path, exportOf(table, rows, array));
          const expected = rows.flatMap((r, i) => (r.hit === null ? [] : [i + 1]));
          for (const fullParse of [false, true]) {
            const report = await hunt([path], { fullParse });
            expect(report.files[0].errors, `fullParse ${fullParse}`).to.deep.equal([]);
            expect(report.hits.every((h) => !h.malformed)).to.equal(true);
            expect(hitRecords(report), `fullParse ${fullParse}`).to.deep.equal(expected);
          }
        }),
        propertySettings(30),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
