import type { FileEntry, IocEntry, PerIocCount } from '../../report/report.js';
import type { ReportHead } from '../../report/report-stream.js';
import type { SeenTimes } from '../seen-times.js';
import { byteSize, count } from '../text-layout.js';
import { escapeMarkup, htmlText } from './escape.js';
import type { HitData, Tally } from './hit-data.js';
import { iocLabel } from '../../report/hit-iocs.js';
import { searchedAll } from '../../report/searched.js';
import { notSearchedWords, searchedLines, skippedWords, windowLine } from '../searched-words.js';
import { inputBytes } from '../../report/summary.js';

// The parts of the page written as plain HTML, readable with the script
// blocked: the text report's header and summary, hits per device, errors and
// the evidence manifest. Every value from the evidence, the options or the
// IOC and exclusion files goes through htmlText; only our own words and
// numbers are written as they are.

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

function row(cells: readonly string[], tag = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
}

function table(className: string, head: readonly string[], rows: readonly string[]): string {
  return `<table class="${className}"><thead>${row(head, 'th')}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Rows made at a time: a table of 100,000 IOCs is written in pieces, never held whole; each under V8's large-object size (128 KiB), which only a full collection frees. */
const ROWS_AT_ONCE = 250;

/** table(), in pieces: each item's row made as its piece is. */
function* tablePieces<T>(className: string, head: readonly string[], items: Iterable<T>, rowOf: (item: T) => string): Generator<string> {
  yield `<table class="${className}"><thead>${row(head, 'th')}</thead><tbody>`;
  let rows: string[] = [];
  for (const item of items) {
    rows.push(rowOf(item));
    if (rows.length === ROWS_AT_ONCE) {
      yield rows.join('');
      rows = [];
    }
  }
  if (rows.length > 0) yield rows.join('');
  yield '</tbody></table>';
}

function source(origin: string, sha256: string | null): string {
  return `<p class="source">source: ${htmlText(origin)}${sha256 ? `, SHA-256 <code>${htmlText(sha256)}</code>` : ''}</p>`;
}

/** The page's header: the run, the IOCs in force (one row each, written in pieces) and the exclusions. */
export function* headerHtml(report: ReportHead): Generator<string> {
  const run = report.run;
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const facts: Array<[string, string]> = [
    ['started', htmlText(report.startedAt)],
    ['finished', `${htmlText(report.finishedAt)} (${Number.isFinite(seconds) ? seconds.toFixed(1) : '?'} s)`],
  ];
  if (run) {
    const o = run.options;
    facts.push(['watching', o.kqlParity ? "the KQL's own fields, exact strings (--kql-parity)" : "the KQL's fields, translated addresses, LocalIP, RemoteUrl"]);
    facts.push(['window', o.since || o.until ? `${htmlText(o.since ?? 'any time')} to ${htmlText(o.until ?? 'any time')} (end excluded)` : 'all times']);
    facts.push(['table', o.table ? `${htmlText(o.table)} for every file (--table)` : 'recognised per file']);
  }
  const iocRow = (ioc: IocEntry) =>
    row([htmlText(iocLabel(ioc)), htmlText(ioc.threatType ?? 'unknown'), htmlText(ioc.malware ?? ''), ioc.confidence === null ? 'unknown' : `${ioc.confidence}%`, htmlText(ioc.firstSeen ?? 'unknown')]);
  const exclusions = report.exclusions.map((e) => `<li><code>${htmlText(e.id)}</code>: ${htmlText(e.description || '(no description)')}</li>`);
  yield [
    `<h1>${htmlText(report.tool.name)} ${htmlText(report.tool.version)}: PerlBot C2 hunt report</h1>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    '<div class="columns"><section id="iocs">',
    `<h2>IOCs in force (${count(report.iocs.length)})</h2>`,
    run ? source(run.iocSet.origin, run.iocSet.sha256) : '',
    '',
  ].join('\n');
  yield* tablePieces('iocs', ['IOC', 'threat type', 'malware', 'confidence', 'first seen'], report.iocs, iocRow);
  yield [
    '',
    '</section><section id="exclusions">',
    `<h2>Exclusions in force (${count(report.exclusions.length)})</h2>`,
    run ? source(run.exclusionSet.origin, run.exclusionSet.sha256) : '',
    exclusions.length === 0 ? '<p>none: every hit is active</p>' : `<ul>${exclusions.join('')}</ul>`,
    '</section></div>',
  ].join('\n');
}

function seen(label: string, times: SeenTimes): string {
  if (times.hits === 0) return '';
  const range = times.first === null || times.last === null ? 'no time recorded' : `first seen ${htmlText(times.first)}, last seen ${htmlText(times.last)}`;
  return `<p>${label}: ${range}${times.untimed > 0 && times.first !== null ? `, and ${plural(times.untimed, 'hit')} without a time` : ''}</p>`;
}

/** The page's summary: the verdict, the figures, and each IOC's hits (one row each, written in pieces). */
export function* summaryHtml(report: ReportHead, seenActive: SeenTimes, seenSuppressed: SeenTimes): Generator<string> {
  const { summary } = report;
  const bytes = inputBytes(report.files);
  // green only when nothing was left unread: never a clean verdict on data not looked at
  const all = searchedAll(summary);
  const outside = windowLine(summary, report.run?.options);
  const verdict =
    summary.hits > 0
      ? `<p class="verdict found">${plural(summary.hits, 'active hit')}: records touching PerlBot C2 addresses that no exclusion explains.</p>`
      : all && summary.outsideWindow > 0
        ? `<p class="verdict partial">No active hit in the window; ${outside}.</p>`
        : all
        ? '<p class="verdict clear">No active hit: no record touched an IOC in force, or every one that did is explained by an exclusion.</p>'
        : `<p class="verdict partial">No active hit in what was searched; ${notSearchedWords(summary)} (see the evidence manifest).</p>`;
  // the active-hits figure is an alarm only when there is something to alarm about
  const figure = (id: string, label: string, n: number, tone = '') => `<div class="figure ${id}${tone}"><span class="n" id="summary-${id}">${count(n)}</span> ${label}</div>`;
  const perIocRow = (p: PerIocCount) => `<tr data-ioc="${htmlText(iocLabel(p))}"><td>${htmlText(iocLabel(p))}</td><td class="n">${count(p.hits)}</td><td class="n">${count(p.suppressed)}</td></tr>`;
  yield [
    '<h2>Summary</h2>',
    verdict,
    `<div class="figures">${figure('hits', 'active hits', summary.hits, summary.hits > 0 ? ' alert' : all && summary.outsideWindow === 0 ? ' clear' : '')}${figure('suppressed', 'suppressed', summary.suppressed)}${figure('errors', 'errors', summary.errors)}</div>`,
    `<p><span id="summary-files">${count(summary.files)}</span> ${summary.files === 1 ? 'file' : 'files'}, <span id="summary-records">${count(summary.records)}</span> ${summary.records === 1 ? 'record' : 'records'}, ${byteSize(bytes)}</p>`,
    `<ul class="searched">${searchedLines(summary).map((line) => `<li>${line}</li>`).join('')}</ul>`,
    outside === null ? '' : `<p class="outside-window">${outside}</p>`,
    seen('active hits', seenActive),
    seen('suppressed hits', seenSuppressed),
    '<h3>Per IOC</h3>',
    '',
  ].join('\n');
  yield* tablePieces('per-ioc', ['IOC', 'active', 'suppressed'], summary.perIoc, perIocRow);
  yield '\n<p class="note">A record holding two IOCs counts once for each, so the sum can exceed the hits.</p>';
}

/** The busiest devices listed; the table below the chart reaches every one. */
export const DEVICES_LISTED = 100;

function deviceBar(t: Tally, most: number): string {
  const scale = (n: number) => +((n / most) * 100).toFixed(2);
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="active" width="${scale(t.active)}" height="10"/><rect class="suppressed" x="${scale(t.active)}" width="${scale(t.suppressed)}" height="10"/></svg>`;
}

export function devicesHtml(data: HitData): string {
  if (data.devices.length === 0) return '<h2>Hits per device</h2>\n<p>No hit.</p>';
  const most = data.devices.reduce((n, t) => Math.max(n, t.active + t.suppressed), 1);
  const listed = data.devices.slice(0, DEVICES_LISTED);
  const rows = listed.map((t) => {
    const name = data.strings[t.name];
    // the name is already in its shown form: only markup is escaped here
    return `<tr><td><button type="button" class="link device" data-device="${escapeMarkup(name)}">${escapeMarkup(name)}</button></td><td class="n">${count(t.active)}</td><td class="n">${count(t.suppressed)}</td><td class="bar-cell">${deviceBar(t, most)}</td></tr>`;
  });
  const rest = data.devices.slice(DEVICES_LISTED);
  const more =
    rest.length > 0
      ? `<p>and ${plural(rest.length, 'more device')} with ${plural(rest.reduce((n, t) => n + t.active + t.suppressed, 0), 'hit')}: choose them in the device filter of the hits table.</p>`
      : '';
  return [
    `<h2>Hits per device (${count(data.devices.length)})</h2>`,
    '<p class="note">The device is the Defender machine, or the appliance that logged the flow. Click one to list its hits.</p>',
    `<table class="devices"><thead><tr><th>device</th><th>active</th><th>suppressed</th><th><span class="swatch active"></span>active <span class="swatch suppressed"></span>suppressed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    more,
  ].join('\n');
}

export function errorsHtml(report: ReportHead): string {
  const errors = report.files.flatMap((f) => f.errors.map((e) => ({ path: f.path, ...e })));
  if (errors.length === 0) return '<h2>Errors (0)</h2>\n<p>Every input was read and every record parsed.</p>';
  const rows = errors.map((e) => row([htmlText(e.path), e.line === null ? '' : count(e.line), htmlText(e.message)]));
  return [`<h2>Errors (${count(errors.length)})</h2>`, table('errors', ['file', 'line', 'message'], rows)].join('\n');
}

function fileRow(file: FileEntry): string {
  const format = file.skipped !== undefined ? skippedWords(file.skipped) : file.format === null ? 'not read' : file.compressed ? `${file.format}, gzip` : file.format;
  return row([
    `<span class="path">${htmlText(file.path)}</span>`,
    format,
    htmlText(file.table),
    `<span class="n">${count(file.records)}</span>`,
    `<span class="n">${count(file.bytes)}</span>`,
    file.sha256 === null ? 'not read' : `<code class="sha">${htmlText(file.sha256)}</code>`,
    `<span class="n">${count(file.errors.length)}</span>`,
  ]);
}

/** Inputs with their SHA-256, and what a second responder needs to repeat the run. */
export function evidenceHtml(report: ReportHead): string {
  const bytes = inputBytes(report.files);
  const parts = [
    `<h2>Evidence manifest: ${plural(report.files.length, 'input')}, ${byteSize(bytes)}</h2>`,
    '<p class="note">SHA-256 of each file as stored (gzip: of the compressed bytes), computed in the pass that scanned it.</p>',
    table('manifest', ['path', 'format', 'table', 'records', 'bytes', 'SHA-256', 'errors'], report.files.map(fileRow)),
  ];
  const run = report.run;
  if (run) {
    const o = run.options;
    const options: Array<[string, string]> = [
      ['paths', o.paths.map((p) => `<code>${htmlText(p)}</code>`).join(' ')],
      ['working folder', `<code>${htmlText(o.cwd)}</code>`],
      ['IOC set', `${htmlText(run.iocSet.origin)}${run.iocSet.sha256 ? `, SHA-256 <code class="sha">${htmlText(run.iocSet.sha256)}</code>` : ''}`],
      ['exclusion set', `${htmlText(run.exclusionSet.origin)}${run.exclusionSet.sha256 ? `, SHA-256 <code class="sha">${htmlText(run.exclusionSet.sha256)}</code>` : ''}`],
      ['options', htmlText(JSON.stringify({ kqlParity: o.kqlParity, fullParse: o.fullParse, jobs: o.jobs, table: o.table, since: o.since, until: o.until, exclusions: o.exclusions }))],
    ];
    parts.push('<h3>Run</h3>', `<dl class="facts">${options.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`);
  }
  return parts.join('\n');
}
