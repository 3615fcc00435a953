import { expect } from 'chai';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { CSL_HEADER, hunt, tempDir } from './helpers.js';

// A damaged gzip tail must not cost the records zlib decompressed before the
// damage: every byte the inflater gave is read, and the damage is one error
// at the first record it can affect.

function row(i: number, ip: string, filler = ''): string {
  return `2026-06-0${1 + (i % 9)}T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.1.1.${i % 250},${40000 + i},${ip},443,,,,,row ${i} ${filler}`;
}

/** `count` records (line i + 2 for record i); the last one, and every 97th, hold a PerlBot IP. */
function csv(count: number, filler = (_: number) => ''): { text: string; hitLines: number[] } {
  const rows: string[] = [];
  const hitLines: number[] = [];
  for (let i = 0; i < count; i++) {
    const hit = i % 97 === 0 || i === count - 1;
    if (hit) hitLines.push(i + 2);
    rows.push(row(i, hit ? '179.43.139.84' : '8.8.8.8', filler(i)));
  }
  return { text: `${CSL_HEADER}\n${rows.join('\n')}\n`, hitLines };
}

/** Non-repeating text: a large file whose gzip is large too. */
const noise = (i: number) => `${(i * 2654435761) % 4294967296}`.repeat(40);

function file(name: string, bytes: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

async function both(path: string) {
  return Promise.all([false, true].map((fullParse) => hunt([path], { fullParse })));
}

describe('damaged gzip tails', () => {
  for (const [size, count] of [['small', 20], ['large', 12000]] as const) {
    const { text, hitLines } = csv(count, size === 'large' ? noise : undefined);
    const gz = gzipSync(text);

    it(`${size}: a wrong CRC-32 loses no record; the error names the member, at its first line`, async () => {
      const bad = Buffer.from(gz);
      bad[bad.length - 8] ^= 0xff;
      for (const report of await both(file('crc.csv.gz', bad))) {
        expect(report.files[0].records).to.equal(count);
        expect(report.hits.map((h) => h.line).sort((a, b) => a - b)).to.deep.equal(hitLines);
        expect(report.files[0].errors).to.have.length(1);
        expect(report.files[0].errors[0]).to.include({ line: 1 });
        expect(report.files[0].errors[0].message).to.match(/CRC-32 checksum does not match/);
      }
    });

    it(`${size}: a wrong stored length (ISIZE) loses no record`, async () => {
      const bad = Buffer.from(gz);
      bad[bad.length - 1] ^= 0x01;
      for (const report of await both(file('len.csv.gz', bad))) {
        expect(report.hits.map((h) => h.line).sort((a, b) => a - b)).to.deep.equal(hitLines);
        expect(report.files[0].errors.map((e) => [e.line, /stored length/.test(e.message)])).to.deep.equal([[1, true]]);
      }
    });

    it(`${size}: junk after the member loses no record; the error is after the last line`, async () => {
      for (const report of await both(file('junk.csv.gz', Buffer.concat([gz, Buffer.from('this is not gzip data')])))) {
        expect(report.hits.map((h) => h.line).sort((a, b) => a - b)).to.deep.equal(hitLines);
        expect(report.files[0].errors.map((e) => e.line)).to.deep.equal([count + 2]);
      }
    });

    it(`${size}: junk between two members is skipped and the second member is read, its first line named`, async () => {
      const lines = text.split('\n');
      const half = Math.floor(lines.length / 2);
      const first = gzipSync(`${lines.slice(0, half).join('\n')}\n`);
      const second = gzipSync(lines.slice(half).join('\n'));
      for (const report of await both(file('mid.csv.gz', Buffer.concat([first, Buffer.from('\x00junk\x1f\x8b'), second])))) {
        expect(report.files[0].records).to.equal(count);
        expect(report.hits.map((h) => h.line).sort((a, b) => a - b)).to.deep.equal(hitLines);
        expect(report.files[0].errors.map((e) => e.line)).to.deep.equal([half + 1]);
        expect(report.files[0].errors[0].message).to.match(/junk between members/);
      }
    });
  }

  it('a file cut inside the member: every record before the cut is read, the error is on the cut record', async () => {
    const { text, hitLines } = csv(12000, noise);
    const gz = gzipSync(text);
    const cut = gz.subarray(0, gz.length - 2000);
    // what zlib itself can recover from the same bytes, up to the record it stops in
    const recovered = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    const cutLine = recovered.split('\n').length;
    for (const report of await both(file('cut.csv.gz', cut))) {
      // the last field is cut: the record parses, and the error on its line says it is incomplete
      expect(report.files[0].errors.map((e) => e.line)).to.deep.equal([cutLine]);
      expect(report.files[0].errors[0].message).to.match(/cut short: the file ends inside a member .* the record it stops in is incomplete/);
      expect(report.hits.filter((h) => !h.malformed).map((h) => h.line).sort((a, b) => a - b)).to.deep.equal(hitLines.filter((line) => line < cutLine));
    }
  });
});
