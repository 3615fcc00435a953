import { expect } from 'chai';
import fc from 'fast-check';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { CSL_HEADER, hunt, propertySettings, tempDir } from './helpers.js';

// Property: a run of NUL bytes inserted at any offset, or a gzip stream
// damaged at any offset of its tail (cut, checksum or length wrong, junk
// after it or between two members), costs no hit outside the damaged bytes:
// every PerlBot address whose text lies wholly in what can still be read is
// reported (as a hit or a malformed hit), on the fast path and --full-parse.

const IOCS = ['179.43.139.84', '179.43.139.86'];

interface Export {
  text: string;
  /** Where each IOC address's text starts and ends, with its line. */
  ips: Array<{ from: number; to: number; line: number }>;
}

function csvExport(rows: number, hitEvery: number): Export {
  let text = `${CSL_HEADER}\n`;
  const ips: Export['ips'] = [];
  for (let i = 0; i < rows; i++) {
    const hit = i % hitEvery === 0;
    const ip = hit ? IOCS[i % 2] : `10.0.${i % 250}.${(i * 7) % 250}`;
    const before = `2026-06-01T10:${String(i % 60).padStart(2, '0')}:00Z,Fortinet,FortiGate,accept,traffic,10.1.1.${i % 250},${40000 + i},`;
    if (hit) ips.push({ from: Buffer.byteLength(text + before), to: Buffer.byteLength(text + before + ip), line: i + 2 });
    text += `${before}${ip},443,,,,,message ${i} ${'x'.repeat(i % 40)}\n`;
  }
  return { text, ips };
}

function ndjsonExport(rows: number, hitEvery: number): Export {
  let text = '';
  const ips: Export['ips'] = [];
  for (let i = 0; i < rows; i++) {
    const hit = i % hitEvery === 0;
    const ip = hit ? IOCS[i % 2] : `20.42.${i % 250}.${(i * 3) % 250}`;
    const before = `{"Timestamp":"2026-06-01T10:00:${String(i % 60).padStart(2, '0')}Z","DeviceId":"d${i}","ActionType":"ConnectionSuccess","RemoteIP":"`;
    if (hit) ips.push({ from: Buffer.byteLength(text + before), to: Buffer.byteLength(text + before + ip), line: i + 1 });
    text += `${before}${ip}","RemotePort":443}\n`;
  }
  return { text, ips };
}

type Damage =
  | { kind: 'nul'; at: number; length: number }
  | { kind: 'cut'; at: number }
  | { kind: 'trailer'; byte: number }
  | { kind: 'junk-after'; junk: number[] }
  | { kind: 'junk-between'; at: number; junk: number[] };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const junk = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 });
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('nul' as const), at: fraction, length: fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 60000, max: 300000 })) }),
  fc.record({ kind: fc.constant('cut' as const), at: fraction }),
  fc.record({ kind: fc.constant('trailer' as const), byte: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('junk-after' as const), junk }),
  fc.record({ kind: fc.constant('junk-between' as const), at: fraction, junk }),
).map((d) => d as Damage);

/** The damaged file, and which bytes of the text can still be read (every IOC wholly inside them must be reported). */
function apply(ex: Export, d: Damage): { name: string; bytes: Buffer; readable: (from: number, to: number) => boolean } {
  const text = Buffer.from(ex.text);
  // damage after the header or first line: a renamed header column changes what is watched, by design
  const protect = text.indexOf(0x0a) + 1;
  const offset = (f: number, span: number) => Math.min(span, Math.floor(f * (span + 1)));
  switch (d.kind) {
    case 'nul': {
      const at = protect + offset(d.at, text.length - protect);
      const bytes = Buffer.concat([text.subarray(0, at), Buffer.alloc(d.length), text.subarray(at)]);
      // no line feed is added: lines stay where they were; an address split by the run is the damage
      return { name: 'nul', bytes, readable: (from, to) => at <= from || at >= to };
    }
    case 'cut': {
      const gz = gzipSync(text);
      // a cut anywhere past the first quarter of the compressed bytes
      const at = Math.floor(gz.length / 4) + offset(d.at, gz.length - Math.floor(gz.length / 4));
      const cut = gz.subarray(0, at);
      let recovered = 0;
      try {
        recovered = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).length;
      } catch {
        recovered = 0;
      }
      // what zlib itself can decompress from the bytes left
      return { name: 'cut.gz', bytes: cut, readable: (_, to) => to <= recovered };
    }
    case 'trailer': {
      const gz = gzipSync(text);
      gz[gz.length - d.byte] ^= 0x5a;
      return { name: 'trailer.gz', bytes: gz, readable: () => true };
    }
    case 'junk-after':
      return { name: 'junk.gz', bytes: Buffer.concat([gzipSync(text), Buffer.from(d.junk)]), readable: () => true };
    case 'junk-between': {
      const at = protect + offset(d.at, text.length - protect);
      const bytes = Buffer.concat([gzipSync(text.subarray(0, at)), Buffer.from(d.junk), gzipSync(text.subarray(at))]);
      return { name: 'between.gz', bytes, readable: () => true };
    }
  }
}

describe('damage properties: NUL runs and damaged gzip tails around real hits', function () {
  this.timeout(600000);

  for (const [format, make] of [['csv', csvExport], ['ndjson', ndjsonExport]] as const) {
    it(`${format}: every hit outside the damaged bytes is reported, fast path and --full-parse`, async () => {
      const dir = tempDir();
      try {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 5, max: 400 }), fc.integer({ min: 1, max: 9 }), damage, async (rows, hitEvery, d) => {
            const ex = make(rows, hitEvery);
            const { name, bytes, readable } = apply(ex, d);
            const path = join(dir, `${name}.${format}`);
            writeFileSync(path, bytes);
            const expected = ex.ips.filter((ip) => readable(ip.from, ip.to)).map((ip) => ip.line);
            for (const fullParse of [false, true]) {
              const report = await hunt([path], { fullParse });
              const found = new Set(report.hits.map((h) => h.line));
              expect(expected.filter((line) => !found.has(line)), `${JSON.stringify(d)} fullParse=${fullParse}`).to.deep.equal([]);
            }
          }),
          propertySettings(60),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
