import { expect } from 'chai';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { hunt, propertySettings, tempDir } from './helpers.js';

// Property: whatever damage an export takes (cut anywhere, a slice duplicated,
// quotes, newlines, NULs or invalid bytes inserted), the scan never throws, and
// every IOC address whose text survives the damage intact is still reported,
// as a hit or a malformed hit.
//
// "Intact" for CSV means the address stands alone (not inside a longer number)
// and the header line is untouched (damage is aimed after the header: a
// renamed header column changes which fields are watched, by design). For
// JSON it means the `"RemoteIP":"…"` pair survives with its key.

const IOCS = ['179.43.139.84', '179.43.139.86'];

const CSL_HEADER = 'TimeGenerated [UTC],DeviceVendor,DeviceProduct,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,Message';

function cslExport(rows: number, hitEvery: number): string {
  const lines = [CSL_HEADER];
  for (let i = 0; i < rows; i++) {
    const ip = i % hitEvery === 0 ? IOCS[i % 2] : `10.0.${i % 250}.${(i * 7) % 250}`;
    const message = i % 3 === 0 ? `"multi-line, ""quoted""\nmessage ${i}"` : `plain message ${i}`;
    lines.push(`"6/1/2026, ${1 + (i % 12)}:00:00.000 PM",Fortinet,FortiGate,accept,traffic,10.1.1.${i % 250},${40000 + i},${ip},443,${message}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function dneLines(rows: number, hitEvery: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const ip = i % hitEvery === 0 ? IOCS[i % 2] : `20.42.${i % 250}.${(i * 3) % 250}`;
    lines.push(JSON.stringify({ Timestamp: `2026-06-01T10:00:${String(i % 60).padStart(2, '0')}Z`, DeviceId: `d${i}`, ActionType: 'ConnectionSuccess', InitiatingProcessFileName: 'perl', RemoteIP: ip, RemotePort: 443 }));
  }
  return `${lines.join('\n')}\n`;
}

type Mutation =
  | { kind: 'cut'; at: number }
  | { kind: 'duplicate'; from: number; length: number; at: number }
  | { kind: 'insert'; at: number; bytes: number[] };

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 400 }), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.array(fc.constantFrom(0x22, 0x0a, 0x0d, 0x00, 0xff, 0xc3, 0x2c), { minLength: 1, maxLength: 3 }),
  }),
);

/** Apply damage to bytes after `protect` (the header stays whole). */
function damage(bytes: Buffer, mutations: Mutation[], protect: number): Buffer {
  let out = bytes;
  for (const m of mutations) {
    const span = out.length - protect;
    if (span <= 0) break;
    const pos = (f: number) => protect + Math.floor(f * span);
    if (m.kind === 'cut') out = out.subarray(0, pos(m.at));
    else if (m.kind === 'duplicate') {
      const from = pos(m.from);
      const slice = out.subarray(from, Math.min(out.length, from + m.length));
      const at = pos(m.at);
      out = Buffer.concat([out.subarray(0, at), slice, out.subarray(at)]);
    } else {
      const at = pos(m.at);
      out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    }
  }
  return out;
}

function standsAlone(text: string, at: number, length: number): boolean {
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const before = text[at - 1];
  const after = text[at + length];
  return !(digit(before) || (before === '.' && digit(text[at - 2])) || digit(after) || (after === '.' && digit(text[at + length + 1])));
}

function survivingCsv(bytes: Buffer): Set<string> {
  const text = bytes.toString('latin1');
  const found = new Set<string>();
  for (const ip of IOCS) {
    for (let at = text.indexOf(ip); at >= 0; at = text.indexOf(ip, at + 1)) if (standsAlone(text, at, ip.length)) found.add(ip);
  }
  return found;
}

function survivingJson(bytes: Buffer): Set<string> {
  const text = bytes.toString('latin1');
  return new Set(IOCS.filter((ip) => text.includes(`"RemoteIP":"${ip}",`)));
}

async function reported(name: string, bytes: Buffer): Promise<Set<string>> {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, name), bytes);
    const report = await hunt([join(dir, name)]);
    expect(report.summary.errors).to.equal(report.files.reduce((n, f) => n + f.errors.length, 0));
    return new Set(report.hits.flatMap((h) => h.matches.map((m) => m.ip)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const settings = propertySettings(150);

describe('damaged exports (property-based)', function () {
  this.timeout(120000);

  it('CSV: never crashes, never loses a surviving IOC address', async () => {
    const base = Buffer.from(cslExport(60, 7));
    const header = base.indexOf('\n') + 1;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const damaged = damage(base, mutations, header);
        const got = await reported('x.csv', damaged);
        for (const ip of survivingCsv(damaged)) expect(got.has(ip), `${ip} survived but was not reported`).to.equal(true);
      }),
      settings,
    );
  });

  it('JSON lines, gzipped and then cut or not: never crashes, never loses a surviving IOC pair', async () => {
    const base = Buffer.from(dneLines(60, 5));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.option(fc.double({ min: 0.2, max: 1, noNaN: true })), async (mutations, gzipCut) => {
        const damaged = damage(base, mutations, 0);
        if (gzipCut === null) {
          const got = await reported('x.jsonl', damaged);
          for (const ip of survivingJson(damaged)) expect(got.has(ip), `${ip} survived but was not reported`).to.equal(true);
          return;
        }
        // a cut gzip: only what decompresses before the cut can be expected
        const gz = gzipSync(damaged);
        const cut = gz.subarray(0, Math.max(10, Math.floor(gz.length * gzipCut)));
        await reported('x.jsonl.gz', cut);
      }),
      settings,
    );
  });

  it('JSON array: never crashes, never loses a surviving IOC pair', async () => {
    const rows = dneLines(40, 4).trim().split('\n');
    const base = Buffer.from(`[\n${rows.join(',\n')}\n]\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const damaged = damage(base, mutations, 2);
        const got = await reported('x.json', damaged);
        for (const ip of survivingJson(damaged)) expect(got.has(ip), `${ip} survived but was not reported`).to.equal(true);
      }),
      settings,
    );
  });
});
