import { expect } from 'chai';
import { searchCounts } from '../lib/report/searched.js';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFiles } from './helpers.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { printHtml } from '../lib/printers/html/html-printer.js';
import { printToString, streamOf } from '../lib/report/report-stream.js';
import { escapeMarkup, htmlText, jsonForScript, shown } from '../lib/printers/html/escape.js';
import { hitData, NONE, type HitData } from '../lib/printers/html/hit-data.js';
import { iocLabel } from '../lib/report/hit-iocs.js';
import { CLIENT_SCRIPT } from '../lib/printers/html/client-script.js';
import { MAX_SERIES, timeline } from '../lib/printers/html/timeline.js';
import type { Hit, Report } from '../lib/report/report.js';

// Issue 8, without a browser: what the HTML file holds. The browser tests
// (html-browser.test.ts) check what a reader sees in it.

const EVIDENCE = {
  'csl.csv': [
    'TimeGenerated,DeviceVendor,DeviceProduct,DeviceName,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceProcessName,FileType',
    '2026-06-01T10:00:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.5,50000,179.43.139.84,443,perl,',
    '2026-06-03T11:30:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.9,50002,179.43.139.86,443,rsync,script',
    '',
  ].join('\n'),
  'dne.csv': [
    'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,LocalPort,InitiatingProcessFileName',
    '2026-06-04T09:00:00Z,d1,build-01,ConnectionSuccess,179.43.139.84,443,10.1.1.1,40000,perl',
    '2026-06-06T09:00:00Z,d1,build-01,ConnectionSuccess,"179.43.139.84,broken',
    '',
  ].join('\n'),
};

/** Every value a log could carry to break out of text. */
const HOSTILE = [
  '</script><script>alert(1)</script>',
  '</SCRIPT >',
  '<!--<script>',
  '<img src=x onerror=alert(2)>',
  '" onmouseover="alert(3)" x="',
  "' onfocus='alert(4)",
  '&lt;not an entity&gt; &amp;',
  'right\u202eto left\u2066isolate\u200f',
  'esc\x1b[31mred\x07bell\x00nul\r\n',
  'lone \ud800 surrogate',
  'https://203.0.113.9/payload.pl',
];

function hostileReport(): Report {
  const iocs = [{ ip: '179.43.139.84', port: 443, threatType: HOSTILE[0], malware: HOSTILE[3], confidence: 75, firstSeen: HOSTILE[7] }];
  const hits: Hit[] = HOSTILE.map((value, i) => ({
    file: `/evidence/${value}.csv`, line: i + 2, record: i + 1, table: 'DeviceNetworkEvents',
    time: i % 2 ? null : `2026-06-0${1 + (i % 9)}T00:00:00.000Z`, timeText: i % 2 ? value : undefined,
    matches: [{ field: 'RemoteIP', ip: '179.43.139.84', port: 443, portMatch: true }],
    suppressedBy: i % 3 === 0 ? HOSTILE[4] : null, malformed: false, fields: {},
    context: { device: value, sourceIp: value, destinationIp: '179.43.139.84', destinationPort: '443', process: value, parentProcess: value, user: value, action: value },
  }));
  return {
    tool: { name: 'perlbot-hunt', version: '1.0.0' },
    startedAt: '2026-06-10T12:00:00.000Z',
    finishedAt: '2026-06-10T12:00:01.000Z',
    iocs,
    exclusions: [{ id: HOSTILE[4], description: HOSTILE[0] }],
    files: HOSTILE.map((value) => ({ path: `/evidence/${value}.csv`, format: 'csv' as const, compressed: false, table: 'DeviceNetworkEvents' as const, records: 1, bytes: 10, sha256: value, errors: [{ line: 3, message: value }], searched: { knownTable: 1, unknownTable: 0, rawText: 0 }, beforeWindow: 0, afterWindow: 0 })),
    summary: { files: HOSTILE.length, records: HOSTILE.length, hits: 7, suppressed: 4, errors: HOSTILE.length, ...searchCounts([]), perIoc: [{ ip: '179.43.139.84', port: 443, hits: 7, suppressed: 4 }] },
    hits,
    run: {
      options: { paths: HOSTILE, cwd: HOSTILE[1], format: 'html', output: null, kqlParity: false, fullParse: false, jobs: 1, table: null, since: null, until: null, exclusions: HOSTILE[2], color: null, quiet: false },
      iocSet: { origin: HOSTILE[3], sha256: HOSTILE[5] },
      exclusionSet: { origin: HOSTILE[6], sha256: null },
    },
  };
}

/** The page without the contents of its JSON data element. */
function markupOf(html: string): string {
  return html.replace(/(<script type="application\/json" id="hit-data">)[^]*?(<\/script>)/, '$1$2');
}

/** The tags the printer itself writes; anything else was made from a value. */
/** The page for a report held in memory. */
const page = (report: Report): Promise<string> => printToString(printHtml, streamOf(report));

const OUR_TAGS = new Set('html head meta title link style body nav a header h1 h2 h3 dl dt dd div section p table thead tbody tr th td code ul li span svg text line path rect button select option label input noscript main script'.split(' '));

describe('the HTML report, as written', () => {
  it('--format html --output FILE: one file, nothing on standard output, exit status as for any format', () => {
    const dir = writeFiles(EVIDENCE);
    const out = tempDir();
    const target = join(out, 'report.html');
    const run = runCli(['--format', 'html', '--output', target, dir]);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.equal('');
    expect(readdirSync(out)).to.deep.equal(['report.html']);
    const html = readFileSync(target, 'utf8');
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).to.equal(true);
    expect(html.trimEnd().endsWith('</html>')).to.equal(true);
  });

  it('--format html writes to standard output when --output is not given, like every format', () => {
    const run = runCli(['--format', 'html', writeFiles(EVIDENCE)]);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.match(/^<!doctype html>/);
    expect(normalizeOptions({ paths: ['x'], format: 'html' }).format).to.equal('html');
  });

  it('references no resource: no http: or https: anywhere, no src, no link but in-page anchors and the empty data: icon', () => {
    const html = runCli(['--format', 'html', writeFiles(EVIDENCE)]).stdout;
    expect(html).not.to.match(/https?:/i);
    expect(html).not.to.match(/\bsrc(set)?\s*=|@import|url\(|\/\/[a-z0-9]/i);
    const links = [...html.matchAll(/\b(?:href|action|formaction|poster|data)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(links.filter((l) => !l.startsWith('#'))).to.deep.equal(['data:,']);
  });

  it('with hostile values everywhere, the markup holds only its own tags, resources and two scripts', async () => {
    const html = await page(hostileReport());
    const markup = markupOf(html);
    const tags = new Set([...markup.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
    expect([...tags].filter((t) => !OUR_TAGS.has(t))).to.deep.equal([]);
    expect(html.match(/<script/gi)).to.have.length(2);
    expect(html.match(/<\/script/gi)).to.have.length(2);
    expect(html).not.to.match(/<!--/);
    // a URL from the evidence is text, never an attribute that loads something
    expect(markup).not.to.match(/\b(?:src|href|action|srcset|poster)\s*=\s*"(?!#|data:,")/i);
    // no event handler or style attribute in any tag (a `<` from a value is never a tag: checked above)
    const attributes = [...markup.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((tag) => [...tag[0].replace(/"[^"]*"/g, '""').matchAll(/\s([^\s=>]+)(?==|\s|>|\/)/g)].map((m) => m[1].toLowerCase()));
    expect(attributes).to.include('data-device');
    expect(attributes.filter((a) => a.startsWith('on') || a === 'style')).to.deep.equal([]);
    // no control or bidi character survives anywhere in the file (line feeds are ours)
    expect(html).not.to.match(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/);
    expect(html).to.include('\\u202e');
    expect(html).to.include('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).to.include('lone \\ud800 surrogate');
  });

  it('keeps the data whole: JSON with no <, > or &, that reads back to the hits in their shown form', async () => {
    const report = hostileReport();
    const html = await page(report);
    const text = /<script type="application\/json" id="hit-data">([^]*?)<\/script>/.exec(html)![1];
    expect(text).not.to.match(/[<>&]/);
    const data = JSON.parse(text) as HitData;
    expect(data).to.deep.equal(JSON.parse(JSON.stringify(hitData(report))));
    expect(decode(data)).to.deep.equal(
      report.hits.map((h) => ({
        time: h.time ?? shown(`time unresolved: ${h.timeText}`),
        device: shown(h.context!.device!),
        suppressedBy: h.suppressedBy === null ? null : shown(h.suppressedBy),
        evidence: `${shown(h.file)}:${h.line} (record ${h.record})`,
        iocs: ['179.43.139.84:443'],
      })),
    );
  });

  it('admits, by Content-Security-Policy, exactly its own script and style, and no connection', async () => {
    const html = await page(hostileReport());
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const script = /<script>([^]*?)<\/script>/.exec(html)![1];
    const style = /<style>([^]*?)<\/style>/.exec(html)![1];
    expect(policy.split('; ')).to.deep.equal([
      "default-src 'none'", `script-src ${hash(script)}`, `style-src ${hash(style)}`, 'img-src data:', "base-uri 'none'", "form-action 'none'",
    ]);
    expect(html.indexOf('Content-Security-Policy')).to.be.lessThan(html.indexOf('<style>'));
  });

  it('embeds a script that cannot end its own element', () => {
    expect(CLIENT_SCRIPT).not.to.match(/<\/script|<!--/i);
    expect(CLIENT_SCRIPT.startsWith('(function hitsPage()')).to.equal(true);
  });

  it('shows the text report\'s header and summary: IOCs, exclusions, counts per IOC, inputs with SHA-256', () => {
    const dir = writeFiles(EVIDENCE);
    const json = JSON.parse(runCli(['--format', 'json', dir]).stdout) as Report;
    const html = runCli(['--format', 'html', dir]).stdout;
    expect(html).to.include(`<h1>perlbot-hunt ${json.tool.version}: PerlBot C2 hunt report</h1>`);
    expect(html).to.include(`<span class="n" id="summary-hits">${json.summary.hits}</span>`);
    for (const e of json.exclusions) expect(html).to.include(`<code>${e.id}</code>`);
    for (const p of json.summary.perIoc) expect(html).to.include(`<tr data-ioc="${iocLabel(p)}"><td>${iocLabel(p)}</td><td class="n">${p.hits}</td><td class="n">${p.suppressed}</td></tr>`);
    for (const f of json.files) expect(html).to.include(`<span class="path">${escapeMarkup(f.path)}</span>`).and.to.include(`<code class="sha">${f.sha256}</code>`);
    expect(html).to.include('a quoted field is never closed');
    expect(html).to.include(`SHA-256 <code class="sha">${json.run!.iocSet.sha256}</code>`);
  });
});

/** Read the page data back as the script does, into what a row shows. */
function decode(data: HitData) {
  const at = (name: string) => data.columns.indexOf(name);
  const text = (i: number) => (i === NONE ? null : data.strings[i]);
  return data.rows.map((row) => {
    const n = (name: string) => row[at(name)] as number;
    const matches = Array.from({ length: n('matches') }, (_, m) => row[data.columns.length + m * data.matchColumns.length + data.matchColumns.indexOf('ioc')] as number);
    return {
      time: row[at('time')] === null ? text(n('timeText')) : new Date(n('time')).toISOString(),
      device: text(n('device')),
      suppressedBy: text(n('suppressedBy')),
      evidence: `${text(n('file'))}:${n('line')} (record ${n('record')})`,
      iocs: matches.map((i) => text(i)),
    };
  });
}

describe('the HTML timeline', () => {
  const base = { file: 'a.csv', line: 1, record: 1, table: 'DeviceNetworkEvents' as const, malformed: false, fields: {} };
  const ioc = (k: number) => ({ ip: `203.0.113.${k}`, port: 443, threatType: null, malware: null, confidence: null, firstSeen: null });
  const hit = (k: number[], time: string | null, suppressedBy: string | null = null): Hit => ({
    ...base, time, suppressedBy, matches: k.map((i) => ({ field: 'RemoteIP', ip: `203.0.113.${i}`, port: 443, portMatch: true })),
  });
  const report = (iocs: number, hits: Hit[]): Report => ({
    tool: { name: 'perlbot-hunt', version: 't' }, startedAt: '', finishedAt: '', exclusions: [], files: [],
    iocs: Array.from({ length: iocs }, (_, k) => ioc(k)),
    summary: { files: 0, records: 0, hits: 0, suppressed: 0, errors: 0, perIoc: [], ...searchCounts([]) },
    hits,
  });

  it('draws one line per IOC, active and suppressed apart, each adding up to its count; untimed hits counted, not drawn', () => {
    const t = timeline(report(3, [
      hit([0], '2026-06-01T00:00:00.000Z'), hit([0, 1], '2026-06-01T05:00:00.000Z'), hit([1], '2026-06-02T00:00:00.000Z', 'x'),
      hit([0], null), hit([2], null),
    ]))!;
    expect(t.untimed).to.equal(2);
    expect(t.widthName).to.equal('15 minutes');
    expect(t.bins).to.equal(97);
    const sum = (a: number[]) => a.reduce((n, v) => n + v, 0);
    expect(t.series.map((s) => [s.label, sum(s.active), sum(s.suppressed)])).to.deep.equal([
      ['203.0.113.0:443', 2, 0],
      ['203.0.113.1:443', 1, 1],
    ]);
    expect(t.series[0].active[20]).to.equal(1);
    expect(t.series[1].suppressed[96]).to.equal(1);
  });

  it(`keeps at most ${MAX_SERIES} lines and draws the rest as one, never more than 121 bins`, () => {
    const hits = Array.from({ length: 10 }, (_, k) => Array.from({ length: 10 - k }, (_, j) => hit([k], new Date(Date.UTC(2026, 0, 1) + j * 86_400_000 * 30).toISOString()))).flat();
    const t = timeline(report(10, hits))!;
    expect(t.series).to.have.length(MAX_SERIES + 1);
    expect(t.series[MAX_SERIES].label).to.equal('3 other IOCs');
    expect(t.series[MAX_SERIES].active.reduce((n, v) => n + v, 0)).to.equal(3 + 2 + 1);
    expect(t.bins).to.be.at.most(121);
    expect(timeline(report(1, [hit([0], null)]))).to.equal(null);
  });
});

describe('HTML escaping', () => {
  it('writes markup characters as entities and control, bidi and lone-surrogate characters as visible escapes', () => {
    expect(htmlText('<a href="x">&\'</a>')).to.equal('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(htmlText('a\u202eb\x1bc\nd\ud83d')).to.equal('a\\u202eb\\x1bc\\nd\\ud83d');
    // a well-formed pair is a character, kept
    expect(htmlText('\ud83d\ude00')).to.equal('\ud83d\ude00');
  });

  it('JSON for a script element: no <, >, & or line separators, and it reads back the same', () => {
    const value = { s: '</script><!-- & \u2028\u2029 >' };
    const text = jsonForScript(value);
    expect(text).not.to.match(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).to.deep.equal(value);
  });
});

describe('the HTML report of more hits than a browser can take', () => {
  const iocs = [
    { ip: '179.43.139.84', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 75, firstSeen: '2026-05-21' },
    { ip: '179.43.139.86', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 80, firstSeen: '2026-05-21' },
  ];
  /** 30 hits of the first IOC, 5 of the second, newest first, one a minute. */
  const busy = (): Report => {
    const hits: Hit[] = Array.from({ length: 35 }, (_, i) => ({
      file: 'a.csv', line: i + 2, record: i + 1, table: 'DeviceNetworkEvents', time: new Date(Date.UTC(2026, 5, 1) - i * 60_000).toISOString(),
      matches: [{ field: 'RemoteIP', ip: iocs[i % 7 === 3 ? 1 : 0].ip, port: 443, portMatch: true }],
      suppressedBy: null, malformed: false, fields: {}, context: { device: `host-${i % 4}` },
    }));
    return {
      tool: { name: 'perlbot-hunt', version: 't' }, startedAt: '2026-06-01T00:00:00.000Z', finishedAt: '2026-06-01T00:01:00.000Z', iocs, exclusions: [], files: [],
      summary: { files: 1, records: 35, hits: 35, suppressed: 0, errors: 0, ...searchCounts([]), perIoc: [{ ip: iocs[0].ip, port: 443, hits: 30, suppressed: 0 }, { ip: iocs[1].ip, port: 443, hits: 5, suppressed: 0 }] },
      hits,
    };
  };
  const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="hit-data">([^]*?)<\/script>/.exec(html)![1]) as HitData;

  it('holds the newest hits of each IOC, says how many it leaves out and where they all are, and counts every hit', async () => {
    const report = busy();
    const html = await printToString((r) => printHtml(r, { perIoc: 10, atMost: 100 }), streamOf(report));
    const data = dataOf(html);
    const rows = decode(data);
    // the 10 newest of the first IOC, and all 5 of the second
    const expected = report.hits.filter((h, i) => h.matches[0].ip === iocs[1].ip || report.hits.slice(0, i + 1).filter((x) => x.matches[0].ip === iocs[0].ip).length <= 10);
    expect(rows.map((r) => r.evidence)).to.deep.equal(expected.map((h) => `a.csv:${h.line} (record ${h.record})`));
    expect(rows).to.have.length(15);
    expect(html).to.include('This page holds the newest 10 hits of each IOC (at most 100 in all): 20 hits of 35 are left out of the table below, though counted in the summary, the timeline and the devices. Every hit is in the other formats: run again with --format json, ndjson or csv.');
    expect(html).to.include('(<span id="hits-total">15</span> on this page, of 35 in the report)');
    // tallies, timeline and devices count every hit
    expect(data.iocs.map((t) => t.active)).to.deep.equal([30, 5]);
    expect(data.devices.reduce((n, t) => n + t.active, 0)).to.equal(35);
    expect(html).to.match(/179\.43\.139\.84:443: active <span class="n">30<\/span>/);
    expect(html).to.match(/179\.43\.139\.86:443: active <span class="n">5<\/span>/);
  });

  it('holds no more than its limit in all, however many IOCs', async () => {
    const html = await printToString((r) => printHtml(r, { perIoc: 10, atMost: 12 }), streamOf(busy()));
    expect(dataOf(html).rows).to.have.length(12);
    expect(html).to.include('23 hits of 35 are left out');
  });

  it('leaves the page as it was when every hit fits', async () => {
    const html = await printToString((r) => printHtml(r, { perIoc: 30, atMost: 100 }), streamOf(busy()));
    expect(dataOf(html).rows).to.have.length(35);
    expect(html).not.to.include('left out');
    expect(html).to.include('(<span id="hits-total">35</span> in the report)');
  });
});
