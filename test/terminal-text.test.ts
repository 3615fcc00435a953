import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printable } from '../lib/printers/text-layout.js';
import { CSL_HEADER, propertySettings, runCli, tempDir, writeFiles } from './helpers.js';
import { hasScript, runInTerminal } from './pty.js';

// One terminal rule for every character the tool prints: nothing that acts
// on a terminal or hides gets through, and what is shown reads back to the
// original (so an escape in the data cannot pass for one of ours).

/** What must never reach a terminal raw: C0, DEL, C1, format (bidi, zero-width, U+061C), U+2028/9, lone surrogates. */
const ACTS_OR_HIDES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** The reverse of printable(): an unambiguous rule reads back exactly (`\xHH` from 0x80: a byte of a name that is not UTF-8, held as U+DC80..U+DCFF). */
function readBack(shown: string): string {
  return shown.replace(/\\(?:x([0-9a-f]{2})|u\{([0-9a-f]+)\}|u([0-9a-f]{4})|([nrt\\]))/g, (_, x, braced, u, simple) => {
    if (simple !== undefined) return { n: '\n', r: '\r', t: '\t', '\\': '\\' }[simple as 'n']!;
    if (x !== undefined && parseInt(x, 16) >= 0x80) return String.fromCharCode(0xdc00 + parseInt(x, 16));
    return String.fromCodePoint(parseInt(x ?? braced ?? u, 16));
  });
}

/** Any code point, lone surrogate halves included. */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

describe('the terminal rule', () => {
  it('shows no code point, of all 1,114,112, that acts on a terminal or hides, and reads each back exactly', () => {
    for (let code = 0; code <= 0x10ffff; code++) {
      const ch = String.fromCodePoint(code);
      const shown = printable(ch);
      if (ACTS_OR_HIDES.test(shown) || readBack(shown) !== ch) expect.fail(`U+${code.toString(16)} is shown as ${JSON.stringify(shown)}`);
    }
  });

  it('keeps any text, backslashes and escape-like text included, unambiguous: it reads back to the original', () => {
    const piece = fc.oneof(anyCodePoint, fc.constantFrom('\\', '\\x1b', '\\u202e', '\\n', '\x1b[2J', '\u2028', '\u061c', '\u200b'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const shown = printable(text);
        expect(ACTS_OR_HIDES.test(shown)).to.equal(false);
        expect(readBack(shown)).to.equal(text);
      }),
      propertySettings(500),
    );
  });

  it('writes no raw control character of a file name or field to standard error or the report', () => {
    const name = 'x\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07\u202e.csv';
    const dir = tempDir();
    // a file of no catalogued table: its name is in a warning on standard error
    writeFileSync(join(dir, name), 'a,b\n1,2\n');
    const run = runCli([join(dir, name)]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.include('warning');
    expect(run.stderr).to.not.match(/[\x07\x1b\u202e]/);
    expect(run.stdout).to.not.match(/[\x07\x1b\u202e]/);
    expect(run.stderr).to.include('\\x1b]0;pwned\\x07');
  });

  it('lets a literal backslash-x-1-b in a log field show as typed, never as an escaped ESC', () => {
    const dir = writeFiles({ 'fw.csv': `${CSL_HEADER}\n2026-05-21T10:00:00Z,Fortinet,FortiGate,\\x1b[2J\u2028deny\u200b,connection,10.0.0.5,50000,179.43.139.84,443,,,,,m\n` });
    const run = runCli([join(dir, 'fw.csv')]);
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stdout).to.include('\\\\x1b[2J');
    expect(run.stdout).to.include('\\\\x1b[2J\\u2028deny\\u200b');
    expect(run.stdout).to.not.match(/[\u2028\u200b]/);
  });

  it('writes JSON to a terminal with C1 and bidi characters as JSON escapes, and byte for byte into a pipe', function () {
    if (!hasScript()) this.skip();
    const dir = writeFiles({ 'fw.csv': `${CSL_HEADER}\n2026-05-21T10:00:00Z,Fortinet,FortiGate,\u009b2J\u202eallow,connection,10.0.0.5,50000,179.43.139.84,443,,,,,m\n` });
    const shown = runInTerminal(['--format', 'json', '--quiet', join(dir, 'fw.csv')]);
    expect(shown.status).to.equal(1);
    expect(shown.screen).to.not.match(/[\u009b\u202e]/);
    expect(shown.screen).to.include('"\\u009b2J\\u202eallow"');
    const piped = runCli(['--format', 'json', '--quiet', join(dir, 'fw.csv')]);
    expect(JSON.parse(piped.stdout).hits[0].fields.DeviceAction).to.equal('\u009b2J\u202eallow');
  });

  it('escapes what a merged report brings: its times and paths reach the terminal escaped', () => {
    const dir = tempDir();
    const report = join(dir, 'host.json');
    const scanned = runCli(['--format', 'json', '--quiet', '--output', report, writeFiles({ 'a.csv': `${CSL_HEADER}\n` })]);
    expect(scanned.status, scanned.stderr).to.equal(0);
    const doc = JSON.parse(readFileSync(report, 'utf8'));
    doc.startedAt = '2026-05-21T10:00:00Z\x1b]0;owned\x07';
    writeFileSync(report, JSON.stringify(doc));
    const merged = runCli(['merge', report]);
    expect(merged.status, merged.stderr).to.equal(0);
    expect(merged.stdout).to.not.match(/[\x07\x1b]/);
    expect(merged.stdout).to.include('\\x1b]0;owned\\x07');
  });
});
