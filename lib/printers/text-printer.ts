import { Chalk, type ChalkInstance } from 'chalk';
import type { FileEntry, Hit, IocEntry, IocSetRecord, Match } from '../report/report.js';
import type { ReportHead, ReportStream } from '../report/report-stream.js';
import { describeActors } from '../report/hit-context.js';
import { contextOf } from '../tables/table-context.js';
import { SeenTimes } from './seen-times.js';
import { iocIndexOf, iocLabel, iocValidity, reportTitle } from '../report/hit-iocs.js';
import { byteSize, count, cutLong, length, PAGE_WIDTH, printable, wrap } from './text-layout.js';
import { notSearchedWords, searchedLines, skippedWords, windowLine } from './searched-words.js';
import { searchedAll } from '../report/searched.js';
import { inputBytes } from '../report/summary.js';

// The default report, for a responder to read and paste into a case file.
// Every line fits the page width (the terminal's, else 80 columns), but for a
// path, which is never cut: a path the line cannot hold stands whole on a
// line of its own, so a triple-click copies it into the next command.
// Nothing is carried by color alone: each colored mark also has a word, and
// every suppressed line starts with `~` (but for such a path line), so the
// report reads the same in black and white.

type Style = (text: string) => string;

interface LineOptions {
  /** Columns before the text. */
  indent?: number;
  /** Columns before each continuation line; default: indent + 4. */
  hang?: number;
  style?: Style;
  /** Put over the first columns of every physical line (the `~ ` of suppressed hits). */
  mark?: string;
}

/** A line holding a path: `head`, the path, `tail`; and the words around the path when it must stand alone. */
interface PathLine {
  head: string;
  path: string;
  tail: string;
  alone?: { head: string; tail: string };
}

/** Lines laid out at the page width first, colored after, so escapes never count as width. */
class Page {
  private lines: string[] = [];

  constructor(readonly width: number) {}

  add(text: string, options: LineOptions = {}): void {
    const indent = options.indent ?? 0;
    const hang = options.hang ?? indent + 4;
    this.push(wrap(text, this.width - indent, this.width - hang), indent, hang, options);
  }

  /**
   * A path and the words around it (raw text: made printable here). The path
   * is never wrapped or shortened: when the line cannot hold it with the
   * first word after it, the words before it end their line, and the path
   * stands alone on the next (indented when the indent leaves it room),
   * unmarked, so a triple-click selects exactly the path.
   */
  addPath(text: PathLine, options: LineOptions = {}): void {
    const indent = options.indent ?? 0;
    const hang = options.hang ?? indent + 4;
    if (text.path === '') {
      this.add(printable(text.head + text.tail), options);
      return;
    }
    const [head, path, tail] = [printable(text.head), printable(cutLong(text.path)), printable(text.tail)];
    const room = this.width - indent - length(head) - length(path);
    if (room >= length(/^\S*/.exec(tail)![0]) && !/\s/.test(path)) {
      const pieces = tail === '' ? [''] : wrap(tail, room, this.width - hang);
      pieces[0] = head + path + pieces[0];
      this.push(pieces, indent, hang, options);
      return;
    }
    const before = printable(text.alone?.head ?? head.trimEnd());
    if (before !== '') this.add(before, options);
    const at = before === '' ? indent : hang;
    const line = `${' '.repeat(at + length(path) <= this.width ? at : 0)}${path}`;
    this.lines.push(options.style ? options.style(line) : line);
    const after = printable(text.alone?.tail ?? tail);
    if (after !== '') this.add(after, { ...options, indent: hang });
  }

  private push(pieces: readonly string[], indent: number, hang: number, options: LineOptions): void {
    pieces.forEach((piece, i) => {
      let line = `${' '.repeat(i === 0 ? indent : hang)}${piece}`;
      if (options.mark) line = options.mark + line.slice(options.mark.length);
      this.lines.push(options.style ? options.style(line) : line);
    });
  }

  blank(): void {
    this.lines.push('');
  }

  /** Lines laid out since the last take(); the report is written a few pages at a time. */
  get held(): number {
    return this.lines.length;
  }

  /** The lines so far, each ended by a line feed ('' when none), and forgets them. */
  take(): string {
    const text = this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
    this.lines = [];
    return text;
  }
}

/** Lines held before they are written. */
const LINES_AT_ONCE = 2048;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** The IOC a match counts for, as `ip:port` (or its kind and value), and how it was found. */
function matchedIoc(match: Match, iocs: readonly IocEntry[]): string {
  const at = iocIndexOf(match, iocs);
  const label = at >= 0 ? iocLabel(iocs[at]) : match.ip;
  const validity = at >= 0 ? iocValidity(iocs[at]) : '';
  const how = match.how === 'subdomain' ? ` (subdomain ${match.seen})` : match.how === 'in-range' ? ` (${match.seen} in the range)` : match.how === 'url-host' ? ` (only its host ${match.seen}: a weaker match)` : match.seen !== undefined ? ` (as ${match.seen})` : '';
  return `${label}${how}${validity ? ` [${validity}]` : ''}`;
}

/** Whether a port means something for the match's IOC (an address, a range, a URL's host). */
function portMatters(match: Match): boolean {
  return match.port !== null || match.kind === undefined || match.kind === 'ipv6' || match.kind === 'cidr';
}

function endpoint(ip: string | undefined, port: string | undefined): string {
  if (!ip) return '?';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port ? `${host}:${port}` : host;
}

function portVerdict(match: Match): string {
  if (match.port === null) return 'no port recorded, port match: unknown';
  return `port seen ${match.port}, port match: ${match.portMatch === null ? 'unknown' : match.portMatch ? 'yes' : 'no'}`;
}

interface HitStyle {
  c: ChalkInstance;
  mark?: string;
  /** Applied to every line of the hit (suppressed: dim). */
  base: Style;
}

function addHit(page: Page, hit: Hit, report: ReportHead, style: HitStyle): void {
  const { c, mark, base } = style;
  const context = contextOf(hit);
  const time = hit.time ?? (hit.timeText !== undefined ? `time unresolved: ${hit.timeText}` : 'time not recorded');
  const head = [time, hit.table === 'unknown' ? 'table unknown' : hit.table];
  if (context.device) head.push(`device ${context.device}`);
  if (hit.malformed) head.push('MALFORMED RECORD');
  const line = (text: string, s: Style = base, indent = 4) => page.add(printable(text), { indent, mark, style: s });

  line(head.join('  '), (t) => base(c.bold(t)), 2);
  if (hit.suppressedBy !== null) {
    const description = report.exclusions.find((e) => e.id === hit.suppressedBy)?.description;
    line(`suppressed by ${hit.suppressedBy}${description ? `: ${description}` : ''}`);
  }
  if (context.sourceIp || context.destinationIp) line(`${endpoint(context.sourceIp, context.sourcePort)} -> ${endpoint(context.destinationIp, context.destinationPort)}`);
  for (const match of hit.matches) {
    const where = match.field === null ? 'the raw text of the record (it could not be parsed)' : match.field;
    const verdict = match.field === null || !portMatters(match) ? '' : `; ${portVerdict(match)}`;
    line(`IOC ${matchedIoc(match, report.iocs)} in ${where}${verdict}`, hit.suppressedBy === null ? (t) => c.red(t) : base);
  }
  const roles = describeActors(context);
  if (roles) line(roles);
  const path = (text: PathLine) => page.addPath(text, { indent: 4, mark, style: base });
  path({ head: 'at ', path: hit.file, tail: `:${hit.line} (record ${hit.record})`, alone: { head: `at line ${hit.line} (record ${hit.record}) of`, tail: '' } });
  // merged: the same path may exist on every machine; the report says which
  if (hit.report) path({ head: 'from ', path: hit.report, tail: '' });
}

function fileLine(file: FileEntry): PathLine {
  const what: string[] = [];
  if (file.skipped !== undefined) what.push(skippedWords(file.skipped));
  else if (file.format === null) what.push('not read');
  else {
    what.push(file.compressed ? `${file.format}, gzip` : file.format);
    what.push(file.table, plural(file.records, 'record'), byteSize(file.bytes));
  }
  if (file.errors.length > 0) what.push(plural(file.errors.length, 'error'));
  // a merged report's file: the report it is in, then the path
  const head = file.report ? `${file.report} > ` : '';
  return { head, path: file.path, tail: `: ${what.join(', ')}`, alone: { head: head.trimEnd(), tail: what.join(', ') } };
}

/** What an --iocs file held that is not looked for, so the reader knows it was seen, not lost. */
function iocSetNotes(record: IocSetRecord | undefined): PathLine[] {
  const notes: PathLine[] = [];
  for (const file of record?.files ?? []) {
    const aside = Object.entries(file.notApplicable).map(([type, n]) => `${count(n)} ${type}`);
    const parts = [`${count(file.used)} used`];
    if (file.duplicates > 0) parts.push(plural(file.duplicates, 'duplicate'));
    if (aside.length > 0) parts.push(`not applicable to these tables: ${aside.join(', ')}`);
    const notUsed = Object.entries(file.notUsed ?? {}).map(([reason, n]) => `${count(n)} ${reason}`);
    if (notUsed.length > 0) parts.push(`not used: ${notUsed.join(', ')}`);
    const byOption = Object.entries(file.usedByOption ?? {}).map(([reason, n]) => `${count(n)} ${reason}`);
    if (byOption.length > 0) parts.push(`used as asked: ${byOption.join(', ')}`);
    if (file.errors.length > 0) parts.push(`${count(file.errors.length)} unreadable (see standard error or the JSON run record)`);
    const what = `${file.format}, ${count(file.entries)} entries: ${parts.join('; ')}`;
    notes.push({ head: '', path: file.path, tail: `: ${what}`, alone: { head: '', tail: what } });
  }
  if (record?.minConfidence !== undefined) notes.push({ head: `--min-confidence ${record.minConfidence}: ${count(record.belowConfidence ?? 0)} below it dropped`, path: '', tail: '' });
  return notes;
}

/** A merged report's sources, one line each: the sweep is only as complete as this list. */
function mergedReports(report: ReportHead): PathLine[] {
  const reports = report.merge?.reports ?? [];
  if (reports.length === 0) return [];
  const lines: PathLine[] = [{ head: `merged    ${plural(reports.length, 'report')} (perlbot-hunt merge), started and finished as their first start and last end`, path: '', tail: '' }];
  for (const r of reports) {
    const what = `${plural(r.files, 'file')}, ${plural(r.records, 'record')}, active ${count(r.hits)}, suppressed ${count(r.suppressed)}, errors ${count(r.errors)}; ${r.startedAt}`;
    lines.push({ head: 'from      ', path: r.path, tail: `: ${what}`, alone: { head: 'from', tail: what } });
  }
  return lines;
}

/** The page's lines so far when it holds LINES_AT_ONCE or more: a list of 100,000 IOCs is written as it is laid out, never held whole. */
function* full(page: Page): Generator<string> {
  if (page.held >= LINES_AT_ONCE) yield page.take();
}

function* addHeader(page: Page, report: ReportHead, c: ChalkInstance): Generator<string> {
  const run = report.run;
  page.add(printable(`${report.tool.name} ${report.tool.version}: ${reportTitle(report.iocs)}`), { style: c.bold });
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  page.add(printable(`started   ${report.startedAt}`), { indent: 2 });
  page.add(printable(`finished  ${report.finishedAt} (${seconds.toFixed(1)} s)`), { indent: 2 });
  for (const line of mergedReports(report)) page.addPath(line, { indent: 2, hang: 12 });
  if (run) {
    const o = run.options;
    const fields = o.kqlParity ? "the KQL's own fields, exact strings (--kql-parity)" : "the KQL's fields, translated addresses, LocalIP, RemoteUrl";
    page.add(`watching  ${fields}`, { indent: 2, hang: 12 });
    page.add(printable(`window    ${o.since || o.until ? `${o.since ?? 'any time'} to ${o.until ?? 'any time'} (end excluded)` : 'all times'}`), { indent: 2, hang: 12 });
    page.add(printable(`table     ${o.table ? `${o.table} for every file (--table)` : 'recognised per file'}`), { indent: 2, hang: 12 });
  }

  page.blank();
  page.add(`IOCS IN FORCE (${report.iocs.length})`, { style: c.bold });
  if (run) page.addPath({ head: 'source: ', path: run.iocSet.origin, tail: '' }, { indent: 2, hang: 6 });
  for (const line of iocSetNotes(run?.iocSet)) page.addPath(line, { indent: 2, hang: 6 });
  for (const ioc of report.iocs) {
    const parts = [iocLabel(ioc), ioc.threatType ?? 'threat type unknown'];
    if (ioc.malware) parts.push(ioc.malware);
    parts.push(ioc.confidence === null ? 'confidence unknown' : `confidence ${ioc.confidence}%`);
    parts.push(`first seen ${ioc.firstSeen ?? 'unknown'}`);
    page.add(printable(parts.join('  ')), { indent: 2, hang: 6 });
    yield* full(page);
  }

  page.blank();
  page.add(`EXCLUSIONS IN FORCE (${report.exclusions.length})`, { style: c.bold });
  if (run) page.addPath({ head: 'source: ', path: run.exclusionSet.origin, tail: '' }, { indent: 2, hang: 6 });
  if (report.exclusions.length === 0) page.add('none: every hit is active', { indent: 2 });
  for (const exclusion of report.exclusions) {
    page.add(printable(`${exclusion.id}: ${exclusion.description || '(no description)'}`), { indent: 2, hang: 6 });
  }

  page.blank();
  const bytes = inputBytes(report.files);
  page.add(`INPUTS (${report.files.length}): ${byteSize(bytes)}`, { hang: 4, style: c.bold });
  for (const file of report.files) {
    page.addPath(fileLine(file), { indent: 2, hang: 6 });
    yield* full(page);
  }
}

interface Tally {
  active: number;
  suppressed: number;
}

/** What the summary tells of the hits, gathered while they are written above it. */
class HitFigures {
  private readonly devices = new Map<string, Tally>();
  readonly active = new SeenTimes();
  readonly suppressed = new SeenTimes();

  add(hit: Hit): void {
    const name = contextOf(hit).device ?? '(not recorded)';
    const tally = this.devices.get(name) ?? { active: 0, suppressed: 0 };
    if (hit.suppressedBy === null) {
      tally.active++;
      this.active.add(hit);
    } else {
      tally.suppressed++;
      this.suppressed.add(hit);
    }
    this.devices.set(name, tally);
  }

  byDevice(): Array<[string, Tally]> {
    return [...this.devices].sort(([an, a], [bn, b]) => b.active - a.active || b.suppressed - a.suppressed || (an < bn ? -1 : an > bn ? 1 : 0));
  }
}

/** First and last time among hits, in two aligned lines under `label`. */
function addSeen(page: Page, label: string, seen: SeenTimes): void {
  if (seen.hits === 0) return;
  const under = 2 + label.length + 2;
  if (seen.first === null || seen.last === null) {
    page.add(`${label}: no time recorded`, { indent: 2 });
    return;
  }
  page.add(printable(`${label}: first seen ${seen.first}`), { indent: 2 });
  page.add(printable(`last seen  ${seen.last}`), { indent: under });
  if (seen.untimed > 0) page.add(`and ${plural(seen.untimed, 'hit')} without a time`, { indent: under });
}

function* addSummary(page: Page, report: ReportStream, figures: HitFigures, c: ChalkInstance): Generator<string> {
  const { summary } = report.head;
  const bytes = inputBytes(report.head.files);
  const hits = report.counts.active + report.counts.suppressed;
  page.add('SUMMARY', { style: c.bold });
  page.add(`${plural(summary.files, 'file')}, ${plural(summary.records, 'record')}, ${byteSize(bytes)}`, { indent: 2 });
  const counts = `active hits ${count(summary.hits)}, suppressed ${count(summary.suppressed)}, errors ${count(summary.errors)}`;
  page.add(counts, { indent: 2, style: summary.hits > 0 ? (t) => c.red(c.bold(t)) : undefined });
  page.add('per IOC:', { indent: 2 });
  const sums = { active: 0, suppressed: 0 };
  for (const p of summary.perIoc) {
    page.add(printable(`${iocLabel(p)}  active ${count(p.hits)}, suppressed ${count(p.suppressed)}`), { indent: 4, hang: 8 });
    sums.active += p.hits;
    sums.suppressed += p.suppressed;
    yield* full(page);
  }
  const over: string[] = [];
  if (sums.active > summary.hits) over.push(`${count(sums.active)} active for ${count(summary.hits)}`);
  if (sums.suppressed > summary.suppressed) over.push(`${count(sums.suppressed)} suppressed for ${count(summary.suppressed)}`);
  if (over.length > 0) page.add(`a hit holding several IOCs counts once for each, so these add up to more than the hits: ${over.join(', ')}`, { indent: 4, hang: 6 });
  if (hits > 0) {
    page.add('per device:', { indent: 2 });
    for (const [device, t] of figures.byDevice()) {
      page.add(printable(`${device}  active ${count(t.active)}, suppressed ${count(t.suppressed)}`), { indent: 4, hang: 8 });
    }
  }
  addSeen(page, 'active hits', figures.active);
  addSeen(page, 'suppressed hits', figures.suppressed);
  for (const line of searchedLines(summary)) page.add(line, { indent: 2, hang: 4 });
  const outside = windowLine(summary, report.head.run?.options);
  if (outside !== null) page.add(outside, { indent: 2, hang: 4, style: summary.outsideWindow > 0 ? c.bold : undefined });
  if (hits > 0) return;
  // "no hit" plainly only when nothing was left unread
  if (searchedAll(summary) && summary.outsideWindow === 0) page.add('no hit: no record touched an IOC in force', { indent: 2 });
  else if (searchedAll(summary)) page.add('no hit in the window (hits outside it: see above)', { indent: 2, style: (t) => c.bold(c.yellow(t)) });
  else page.add(`no hit in what was searched; ${notSearchedWords(summary)}`, { indent: 2, hang: 4, style: (t) => c.bold(c.yellow(t)) });
}

function addErrors(page: Page, report: ReportHead, c: ChalkInstance): void {
  const errors = report.files.flatMap((f) => f.errors.map((e) => ({ path: f.path, ...e })));
  if (errors.length === 0) return;
  page.blank();
  page.add(`ERRORS (${errors.length})`, { style: (t) => c.bold(c.yellow(t)) });
  for (const e of errors) {
    const at = e.line === null ? '' : `:${e.line}`;
    const alone = { head: '', tail: e.line === null ? e.message : `line ${e.line}: ${e.message}` };
    page.addPath({ head: '', path: e.path, tail: `${at}: ${e.message}`, alone }, { indent: 2, hang: 6, style: (t) => c.yellow(t) });
  }
}

/** `width`: the page width (pageWidth() of standard output); PAGE_WIDTH by default. */
export async function* printText(report: ReportStream, color: boolean, options: { width?: number } = {}): AsyncGenerator<string> {
  const c = new Chalk({ level: color ? 1 : 0 });
  const page = new Page(options.width ?? PAGE_WIDTH);
  const figures = new HitFigures();
  const { head, counts } = report;

  yield* addHeader(page, head, c);

  page.blank();
  page.add(`ACTIVE HITS (${counts.active})`, { style: counts.active > 0 ? (t) => c.bold(c.red(t)) : c.bold });
  for await (const hit of report.hits('active')) {
    page.blank();
    addHit(page, hit, head, { c, base: (t) => t });
    figures.add(hit);
    yield* full(page);
  }

  page.blank();
  page.add(`SUPPRESSED BY EXCLUSIONS (${counts.suppressed}): not active, listed for review`, { hang: 4, style: c.bold });
  for await (const hit of report.hits('suppressed')) {
    page.blank();
    addHit(page, hit, head, { c, mark: '~ ', base: (t) => c.dim(t) });
    figures.add(hit);
    yield* full(page);
  }

  page.blank();
  yield* addSummary(page, report, figures, c);
  addErrors(page, head, c);
  yield page.take();
}
