import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { propertySettings, writeFiles } from './helpers.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import type { ReportStream } from '../lib/report/report-stream.js';
import { printJson } from '../lib/printers/json-printer.js';
import { printText } from '../lib/printers/text-printer.js';
import { count, length, wrap } from '../lib/printers/text-layout.js';
import { deliver, openOutput } from '../lib/output/deliver.js';
import { printHtml } from '../lib/printers/html/html-printer.js';
import { escapeMarkup, htmlText, jsonForScript, jsonForScriptPieces, shown } from '../lib/printers/html/escape.js';

// Issue 18: a feed of 100,000 IOCs is a report head of tens of MB (each IOC
// in force, and its count in the summary). The report is written as it is
// made, in pieces of bounded size, never held as one string: the JSON
// report's `summary.perIoc` a thousand entries at a time, the text report's
// IOC list and per-IOC counts a page at a time. The pieces together are the
// same report as ever.

const IOCS = 3000;

function feed(): string {
  const lines: string[] = [];
  for (let i = 0; i < IOCS; i++) {
    if (i % 3 === 0) lines.push(`198.51.${i >> 8}.${i & 255}:${1024 + i}`);
    else if (i % 3 === 1) lines.push(`203.0.${i >> 8}.${i & 255}`);
    else lines.push(`c2-${i}.evil.example`);
  }
  return `${lines.join('\n')}\n`;
}

function report(): ReportStream {
  const dir = writeFiles({ 'large-feed/iocs.txt': feed() });
  const loaded = loadIocs({ kind: 'files', paths: [join(dir, 'large-feed', 'iocs.txt')] }, null);
  return new ReportBuilder('test', loaded.set, []).finish();
}

async function pieces(printed: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const piece of printed) all.push(piece);
  return all;
}

const occurrences = (text: string, what: string) => text.split(what).length - 1;

describe('the report of a large IOC set, written in pieces', () => {
  it('JSON: the pieces make the report JSON.stringify(…, null, 2) writes, and none holds more than a thousand per-IOC counts', async () => {
    const written = await pieces(printJson(report()));
    const text = written.join('');
    const parsed = JSON.parse(text) as { summary: { perIoc: unknown[] }; iocs: unknown[] };
    expect(parsed.iocs).to.have.length(IOCS);
    expect(parsed.summary.perIoc).to.have.length(IOCS);
    expect(parsed.summary.perIoc[IOCS - 1]).to.deep.equal({ ip: 'c2-2999.evil.example', port: null, kind: 'domain', hits: 0, suppressed: 0 });
    expect(text).to.equal(`${JSON.stringify(parsed, null, 2)}\n`);
    // `"suppressed": ` is in each per-IOC count, and once in the summary itself
    for (const piece of written) expect(occurrences(piece, '"suppressed": ')).to.be.at.most(1001);
  });

  it('text: each IOC in force and its count is listed, and no piece holds more than a page of lines', async () => {
    const written = await pieces(printText(report(), false));
    const text = written.join('');
    expect(text).to.include('IOCS IN FORCE (3000)');
    expect(text).to.include('\n  198.51.11.181:4021  threat type unknown  confidence unknown  first seen\n');
    expect(text).to.include('\n    domain c2-2999.evil.example  active 0, suppressed 0\n');
    expect(occurrences(text, 'active 0, suppressed 0\n')).to.equal(IOCS);
    // a page is 2,048 lines, and the last line added may have wrapped onto a few more
    for (const piece of written) expect(occurrences(piece, '\n')).to.be.at.most(2048 + 4);
  });

  it('HTML: each IOC in force has its row and its count, and no piece holds the page or a whole table of them', async () => {
    const written = await pieces(printHtml(report()));
    const text = written.join('');
    expect(occurrences(text, '<tr><td>domain c2-')).to.equal(IOCS / 3);
    expect(occurrences(text, '<tr data-ioc=')).to.equal(IOCS);
    expect(text).to.include('<tr data-ioc="domain c2-2999.evil.example"><td>domain c2-2999.evil.example</td><td class="n">0</td><td class="n">0</td></tr>');
    // the page is about a megabyte; a thousand rows or names are a fraction of it
    expect(text.length).to.be.above(750_000);
    for (const piece of written) expect(piece.length).to.be.below(250_000);
  });
});

describe('HTML escaping: values with nothing to escape are taken as they are', () => {
  const texts = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
    fc.string({ unit: fc.constantFrom('a', '1', ' ', '.', ':', '\\', '&', '<', '>', '"', "'", '\u202e', '\u2028', '\ud800', '\udc00', '😀', 'é', '\x1b', '\x7f', '\x85'), maxLength: 30 }),
  );

  it('property: htmlText of any text is the general escaping (shown, then markup as entities)', () => {
    fc.assert(
      fc.property(texts, (t) => {
        expect(htmlText(t), JSON.stringify(t)).to.equal(escapeMarkup(shown(t)));
      }),
      propertySettings(3000),
    );
  });

  it('property: the hit data written in pieces is jsonForScript of it, whatever the lengths and characters', () => {
    const member = fc.oneof(texts, fc.integer(), fc.constant(null), fc.array(fc.oneof(fc.integer(), fc.constant(null), texts), { maxLength: 3 }));
    const data = fc.dictionary(fc.oneof(fc.constantFrom('strings', 'rows', 'iocs', '<key>', '\u2028'), texts), fc.oneof(fc.array(member, { maxLength: 2600, size: 'max' }), member, fc.constant(undefined)), { maxKeys: 5 });
    fc.assert(
      fc.property(data, (value) => {
        expect([...jsonForScriptPieces(value)].join('')).to.equal(jsonForScript(value));
      }),
      propertySettings(200),
    );
  });
});

/** wrap as written before lines that fit were returned at once: the reference. */
function referenceWrap(text: string, firstWidth: number, restWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  let width = Math.max(firstWidth, 1);
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
    used = 0;
    width = Math.max(restWidth, 1);
  };
  for (const [, word, space] of text.matchAll(/(\S+)(\s*)/g)) {
    const chars = Array.from(word);
    let at = 0;
    if (line !== '' && used + chars.length > width) push();
    while (used + chars.length - at > width) {
      let separator = -1;
      for (let i = at; i < Math.min(chars.length, at + width - used); i++) if (chars[i] === '/' || chars[i] === '\\') separator = i - at;
      const cut = separator + 1 >= (width - used) / 2 ? separator + 1 : width - used;
      line += chars.slice(at, at + cut).join('');
      at += cut;
      push();
    }
    line += (at === 0 ? word : chars.slice(at).join('')) + space;
    used += chars.length - at + length(space);
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

describe('text layout: what fits is laid out as the general wrap lays it out', () => {
  it('property: wrap of any text, fitting or not, is the general greedy wrap', () => {
    // every kind of white space \s knows, and characters that look like it but are not (U+180E, U+200B)
    const spaces = ['\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u180e', '\u200b'];
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '1', '/', ' ', '  ', 'é', '😀', '\ud800', ...spaces), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.integer({ min: -2, max: 45 }), fc.integer({ min: -2, max: 45 }), (t, first, rest) => {
        expect(wrap(t, first, rest), JSON.stringify([t, first, rest])).to.deep.equal(referenceWrap(t, first, rest));
      }),
      propertySettings(3000),
    );
  });

  it('property: count writes any number as en-US does, with separators from a thousand on', () => {
    const n = fc.oneof(fc.integer({ min: -2000, max: 2_000_000 }), fc.double({ noNaN: true, min: -2000, max: 2000 }), fc.constantFrom(0, -0, 999, 1000, 999.5, 0.1234));
    fc.assert(
      fc.property(n, (value) => {
        expect(count(value), String(value)).to.equal(value.toLocaleString('en-US'));
      }),
      propertySettings(2000),
    );
  });
});

describe('a report file written piece by piece', () => {
  it('holds exactly the UTF-8 of its pieces, small and large, at the size a piece is encoded through the shared buffer and past it', async () => {
    const dir = writeFiles({});
    const path = join(dir, 'pieces.txt');
    // a piece of 3-byte characters just fitting the output's 1 MiB buffer, one just past it (written apart),
    // surrogate pairs (4 bytes for 2 units), and small pieces between
    const pieces = ['{\n', '€'.repeat(349_525), 'x', '€'.repeat(349_526), '😀'.repeat(1000), 'ü'.repeat(200_000), '\n}\n'];
    await deliver(await openOutput(path, { force: false }), pieces);
    const written = readFileSync(path);
    expect(written.equals(Buffer.from(pieces.join(''), 'utf8'))).to.equal(true);
  });
});

describe('feeds read as their rows are made', () => {
  it("ThreatFox CSV: every line the reader cannot read is told, before the values that are not what they say, and counted among the entries", () => {
    const header = '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"';
    const line = (id: string, value: string, type: string) => `"2026-05-28 06:12:40", "${id}", "${value}", "${type}", "botnet_cc", "perl.perlbot", "None", "PerlBot", "", "75", "None", "PerlBot,perl", "0", "abuse_ch"`;
    const dir = writeFiles({
      'rows-as-read/threatfox.csv': [line('1', '198.51.100.1:443', 'ip:port'), header, line('2', '198.51.100.2:443', 'ip:port'), line('3', 'not-an-address', 'ip:port'), '"2026-05-28 06:12:40", "4", "198.51.100.4', line('5', '198.51.100.5:443', 'ip:port'), ''].join('\n'),
    });
    const loaded = loadIocs({ kind: 'files', paths: [join(dir, 'rows-as-read', 'threatfox.csv')] }, null);
    const [record] = loaded.set.provenance.files!;
    expect(record).to.deep.include({ format: 'threatfox-csv', entries: 5, used: 2, duplicates: 0 });
    expect(record.errors.map((e) => e.line)).to.deep.equal([1, 5, 4]);
    expect(record.errors[0].message).to.match(/before the commented header/);
    expect(record.errors[1].message).to.match(/broken quoting/);
    expect(record.errors[2].message).to.match(/"not-an-address" is typed ip:port/);
    expect(loaded.indicators.map((i) => [i.value, i.port, i.labels, i.sourceId, i.firstSeen])).to.deep.equal([
      ['198.51.100.2', 443, ['PerlBot', 'perl'], '2', '2026-05-28T06:12:40Z'],
      ['198.51.100.5', 443, ['PerlBot', 'perl'], '5', '2026-05-28T06:12:40Z'],
    ]);
  });
});
