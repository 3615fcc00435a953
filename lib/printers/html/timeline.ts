import type { Hit, IocEntry, Report } from '../../report/report.js';
import { escapeMarkup, htmlText } from './escape.js';
import { iocLabel, iocsOfHit } from '../../report/hit-iocs.js';
import { count } from '../text-layout.js';
import { densestSpan } from './time-span.js';

// Hits over time, drawn as inline SVG on the server side: it shows without
// the script, and no chart library has to be carried onto the air-gapped
// machine. Two panels share the time axis, active hits above and suppressed
// below, one step line per IOC. A hit holding two IOCs counts once for each,
// as in summary.perIoc, so each line's total is that IOC's count (less its
// hits without a time, which cannot be placed). When a few hits lie far from
// the rest, the page opens on the span holding most hits (time-span.ts) and
// the full timeline is one click away, in a <details> that needs no script.

/** Bin widths a reader can name, smallest first. */
const WIDTHS: ReadonlyArray<[number, string]> = [
  [1_000, '1 second'], [5_000, '5 seconds'], [15_000, '15 seconds'], [30_000, '30 seconds'],
  [60_000, '1 minute'], [300_000, '5 minutes'], [900_000, '15 minutes'], [1_800_000, '30 minutes'],
  [3_600_000, '1 hour'], [10_800_000, '3 hours'], [21_600_000, '6 hours'], [43_200_000, '12 hours'],
  [86_400_000, '1 day'], [604_800_000, '7 days'], [2_592_000_000, '30 days'], [31_536_000_000, '365 days'],
];
const MAX_BINS = 120;
/** More lines than this cannot be told apart: the rest are drawn as one, `other IOCs`. */
export const MAX_SERIES = 7;

export interface Series {
  label: string;
  /** Index into the page's palette (CSS classes s0…s7); the `other IOCs` line is last. */
  color: number;
  active: number[];
  suppressed: number[];
}

/** Bins over one period; the series in the same order and colors in every chart of a page. */
export interface Chart {
  /** Start of the first bin, epoch milliseconds (UTC). */
  start: number;
  width: number;
  widthName: string;
  bins: number;
  series: Series[];
}

export interface HitCount {
  active: number;
  suppressed: number;
}

/** The chart drawn first when a few hits lie far from the rest (time-span.ts). */
export interface Zoom extends Chart {
  /** Hits with a time before and after the span, each counted once. */
  earlier: HitCount;
  later: HitCount;
}

/** Every hit with a time; `zoom` when the page opens on the span holding most of them. */
export interface Timeline extends Chart {
  zoom: Zoom | null;
  /** Hits that hold an IOC but have no time to be placed by. */
  untimed: number;
}

function binWidth(span: number): [number, string] {
  return WIDTHS.find(([width]) => Math.floor(span / width) + 1 <= MAX_BINS) ?? WIDTHS[WIDTHS.length - 1];
}

/** A chart being counted: the hits from `min` to `max` (both included) in bins, per IOC. */
interface Bins {
  min: number;
  max: number;
  start: number;
  width: number;
  widthName: string;
  bins: number;
  perIoc: Array<{ active: number[]; suppressed: number[] }>;
}

function emptyBins(iocCount: number, min: number, max: number): Bins {
  const [width, widthName] = binWidth(max - min);
  // bins on round boundaries (whole hours, whole days, UTC) so ticks read cleanly
  const start = Math.floor(min / width) * width;
  const bins = Math.floor((max - start) / width) + 1;
  const perIoc = Array.from({ length: iocCount }, () => ({ active: new Array<number>(bins).fill(0), suppressed: new Array<number>(bins).fill(0) }));
  return { min, max, start, width, widthName, bins, perIoc };
}

function place(b: Bins, ms: number, iocs: readonly number[], active: boolean): void {
  if (ms < b.min || ms > b.max) return;
  const bin = Math.floor((ms - b.start) / b.width);
  for (const i of iocs) (active ? b.perIoc[i].active : b.perIoc[i].suppressed)[bin]++;
}

/** A series per IOC in `ranked` order. */
function chartOf(b: Bins, ranked: ReadonlyArray<{ index: number; label: string }>): Chart {
  const { start, width, widthName, bins, perIoc } = b;
  const series: Series[] = ranked.slice(0, MAX_SERIES).map((s, color) => ({ label: s.label, color, ...perIoc[s.index] }));
  const rest = ranked.slice(MAX_SERIES).map((s) => perIoc[s.index]);
  if (rest.length > 0) {
    const sum = (key: 'active' | 'suppressed') => Array.from({ length: bins }, (_, b) => rest.reduce((n, s) => n + s[key][b], 0));
    series.push({ label: `${rest.length} other IOCs`, color: MAX_SERIES, active: sum('active'), suppressed: sum('suppressed') });
  }
  return { start, width, widthName, bins, series };
}

/**
 * The timeline drawn from hits streamed past twice: the first pass gathers
 * their times (8 bytes a hit: the zoom's span is chosen from all of them),
 * the second counts each hit into its bins.
 */
export class TimelineBuilder {
  private times = new Float64Array(1024);
  private timed = 0;
  private untimed = 0;
  private readonly totals: number[];
  private counting: { all: Bins; zoom: Bins | null; span: [number, number] | null; earlier: HitCount; later: HitCount } | null = null;

  constructor(private readonly iocs: readonly IocEntry[]) {
    this.totals = new Array<number>(iocs.length).fill(0);
  }

  /** First pass. */
  measure(hit: Hit): void {
    const ms = hit.time === null ? NaN : Date.parse(hit.time);
    if (Number.isNaN(ms)) {
      this.untimed++;
      return;
    }
    if (this.timed === this.times.length) {
      const more = new Float64Array(this.times.length * 2);
      more.set(this.times);
      this.times = more;
    }
    this.times[this.timed++] = ms;
    for (const i of iocsOfHit(hit, this.iocs)) this.totals[i]++;
  }

  /** Whether a second pass is needed: false when no hit has a time (nothing to draw). */
  get needsCounts(): boolean {
    return this.timed > 0;
  }

  /** Second pass. */
  count(hit: Hit): void {
    const ms = hit.time === null ? NaN : Date.parse(hit.time);
    if (Number.isNaN(ms)) return;
    if (this.counting === null) {
      const sorted = this.times.subarray(0, this.timed).sort();
      const all = emptyBins(this.iocs.length, sorted[0], sorted[sorted.length - 1]);
      const span = densestSpan(sorted, (t) => binWidth(t)[0]);
      const zoom = span === null ? null : emptyBins(this.iocs.length, span[0], span[1]);
      this.counting = { all, zoom, span, earlier: { active: 0, suppressed: 0 }, later: { active: 0, suppressed: 0 } };
      this.times = new Float64Array(0);
    }
    const { all, zoom, span, earlier, later } = this.counting;
    const iocs = iocsOfHit(hit, this.iocs);
    const active = hit.suppressedBy === null;
    place(all, ms, iocs, active);
    if (zoom !== null && span !== null) {
      place(zoom, ms, iocs, active);
      if (ms < span[0]) earlier[active ? 'active' : 'suppressed']++;
      if (ms > span[1]) later[active ? 'active' : 'suppressed']++;
    }
  }

  /** null when no hit has a time. */
  result(): Timeline | null {
    if (this.counting === null) return null;
    const ranked = this.iocs.map((ioc, index) => ({ index, label: iocLabel(ioc), total: this.totals[index] })).filter((s) => s.total > 0).sort((a, b) => b.total - a.total);
    const { all, zoom, earlier, later } = this.counting;
    return { ...chartOf(all, ranked), zoom: zoom === null ? null : { ...chartOf(zoom, ranked), earlier, later }, untimed: this.untimed };
  }
}

/** The timeline of a report held in memory; null when no hit has a time. */
export function timeline(report: Report): Timeline | null {
  const builder = new TimelineBuilder(report.iocs);
  for (const hit of report.hits) builder.measure(hit);
  if (builder.needsCounts) for (const hit of report.hits) builder.count(hit);
  return builder.result();
}

// ---- drawing ----

const VIEW_WIDTH = 960;
const LEFT = 56;
const RIGHT = 16;
/** Room on the right of a zoomed chart for the count of later hits. */
const RIGHT_ZOOMED = 56;
const PANEL_HEIGHT = 120;
const PANEL_GAP = 28;
const TOP = 18;
const AXIS = 22;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** 1, 2, 5 × 10^k at or above n, so the axis reads in round figures. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= n)!;
}

function timeText(ms: number, width: number): string {
  const iso = new Date(ms).toISOString();
  if (width >= 86_400_000) return iso.slice(0, 10);
  if (width >= 60_000) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function stepPath(counts: readonly number[], x: (bin: number) => number, y: (n: number) => number): string {
  let d = `M${x(0)},${y(0)}`;
  counts.forEach((n, bin) => {
    d += `V${y(n)}H${x(bin + 1)}`;
  });
  return `${d}V${y(0)}`;
}

type Kind = 'active' | 'suppressed';

function panel(t: Chart, kind: Kind, top: number, x: (bin: number) => number, right: number): string {
  const peak = niceCeiling(Math.max(0, ...t.series.flatMap((s) => s[kind])));
  const y = (n: number) => +(top + PANEL_HEIGHT - (n / peak) * PANEL_HEIGHT).toFixed(1);
  const parts = [
    `<text class="panel-name" x="${LEFT}" y="${top - 5}">${kind} hits</text>`,
    `<line class="axis" x1="${LEFT}" x2="${VIEW_WIDTH - right}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<line class="grid" x1="${LEFT}" x2="${VIEW_WIDTH - right}" y1="${y(peak)}" y2="${y(peak)}"/>`,
    `<text class="tick" x="${LEFT - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`,
    `<text class="tick" x="${LEFT - 6}" y="${y(peak) + 4}" text-anchor="end">${count(peak)}</text>`,
  ];
  // the busiest line last, so it is on top
  for (const s of [...t.series].reverse()) {
    if (s[kind].every((n) => n === 0)) continue;
    parts.push(`<path class="series s${s.color}" d="${stepPath(s[kind], x, y)}"><title>${htmlText(s.label)}, ${kind}</title></path>`);
  }
  return parts.join('');
}

/** On a zoomed panel's edge: an arrow and how many of its hits lie beyond, that way. */
function beyondMark(n: number, kind: Kind, side: 'earlier' | 'later', top: number): string {
  if (n === 0) return '';
  const mid = top + PANEL_HEIGHT / 2;
  const edge = side === 'earlier' ? LEFT : VIEW_WIDTH - RIGHT_ZOOMED;
  const [arrow, label] =
    side === 'earlier'
      ? [`M4,${mid}l8,-5v10z`, `<text class="beyond-n" x="14" y="${mid + 4}">${count(n)}</text>`]
      : [`M${VIEW_WIDTH - 4},${mid}l-8,-5v10z`, `<text class="beyond-n" x="${VIEW_WIDTH - 14}" y="${mid + 4}" text-anchor="end">${count(n)}</text>`];
  return (
    `<g class="beyond ${side}"><title>${plural(n, `${kind} hit`)} ${side} than this span, drawn when all times are shown</title>` +
    `<line class="cut" x1="${edge}" x2="${edge}" y1="${top}" y2="${top + PANEL_HEIGHT}"/><path d="${arrow}"/>${label}</g>`
  );
}

function binTitle(t: Chart, bin: number): string {
  const from = t.start + bin * t.width;
  const lines = [`${timeText(from, t.width)} to ${timeText(from + t.width, t.width)} UTC`];
  for (const s of t.series) {
    if (s.active[bin] + s.suppressed[bin] > 0) lines.push(`${s.label}: active ${count(s.active[bin])}, suppressed ${count(s.suppressed[bin])}`);
  }
  return lines.length > 1 ? lines.join('\n') : `${lines[0]}: no hit`;
}

/** One chart: two panels on a shared time axis, and a hover and click target per bin. */
function chartSvg(t: Chart, label: string, zoom: Zoom | null): string {
  const right = zoom === null ? RIGHT : RIGHT_ZOOMED;
  const plot = VIEW_WIDTH - LEFT - right;
  const x = (bin: number) => +(LEFT + (bin / t.bins) * plot).toFixed(1);
  const activeTop = TOP;
  const suppressedTop = TOP + PANEL_HEIGHT + PANEL_GAP;
  const height = suppressedTop + PANEL_HEIGHT + AXIS;

  const ticks: string[] = [];
  // at most six labels: each is about 100 units wide in a 960-unit chart
  const every = Math.max(1, Math.ceil(t.bins / 5));
  for (let bin = 0; bin <= t.bins; bin += every) {
    ticks.push(`<line class="grid" x1="${x(bin)}" x2="${x(bin)}" y1="${activeTop}" y2="${suppressedTop + PANEL_HEIGHT}"/>`);
    const anchor = bin === 0 ? 'start' : bin + every > t.bins ? 'end' : 'middle';
    ticks.push(`<text class="tick" x="${x(bin)}" y="${height - 6}" text-anchor="${anchor}">${escapeMarkup(timeText(t.start + bin * t.width, t.width))}</text>`);
  }
  // one hover target per bin: its title lists the counts; clicking filters the hits table to it
  const targets: string[] = [];
  for (let bin = 0; bin < t.bins; bin++) {
    const from = t.start + bin * t.width;
    targets.push(
      `<rect class="bin" x="${x(bin)}" y="${activeTop}" width="${+(x(bin + 1) - x(bin)).toFixed(1)}" height="${suppressedTop + PANEL_HEIGHT - activeTop}" data-from="${from}" data-to="${from + t.width}"><title>${htmlText(binTitle(t, bin))}</title></rect>`,
    );
  }
  const marks =
    zoom === null
      ? []
      : (['active', 'suppressed'] as const).flatMap((kind) => {
          const top = kind === 'active' ? activeTop : suppressedTop;
          return [beyondMark(zoom.earlier[kind], kind, 'earlier', top), beyondMark(zoom.later[kind], kind, 'later', top)];
        });
  return [
    `<svg class="timeline${zoom === null ? '' : ' zoomed'}" viewBox="0 0 ${VIEW_WIDTH} ${height}" role="img" aria-label="${label}">`,
    ticks.join(''),
    panel(t, 'active', activeTop, x, right),
    panel(t, 'suppressed', suppressedTop, x, right),
    marks.join(''),
    targets.join(''),
    '</svg>',
  ].join('\n');
}

const CHART_LABEL = 'Hits over time, one line per IOC, active hits above and suppressed hits below';

/** The chart, a legend and a caption; a sentence when no hit has a time. */
export function timelineHtml(t: Timeline | null, totalHits: number): string {
  if (t === null) {
    return totalHits === 0 ? '<p>No hit to draw.</p>' : `<p>No hit has a time, so none can be drawn (${count(totalHits)} without a time).</p>`;
  }
  // the legend counts every hit with a time, those outside a zoomed span too
  const totals = (s: Series, kind: Kind) => count(s[kind].reduce((n, v) => n + v, 0));
  const legend = t.series
    .map((s) => `<li data-ioc="${htmlText(s.label)}"><span class="swatch s${s.color}"></span>${htmlText(s.label)}: active <span class="n">${totals(s, 'active')}</span>, suppressed <span class="n">${totals(s, 'suppressed')}</span></li>`)
    .join('');
  const note = t.untimed > 0 ? ` ${count(t.untimed)} ${t.untimed === 1 ? 'hit has' : 'hits have'} no time and ${t.untimed === 1 ? 'is' : 'are'} not drawn.` : '';
  const howTo = 'Point at the chart for the counts of a period; click to show only its hits in the table below.';
  if (t.zoom === null) {
    return [
      chartSvg(t, CHART_LABEL, null),
      `<ul class="legend">${legend}</ul>`,
      `<p class="caption">Hits per ${escapeMarkup(t.widthName)}, UTC. One line per IOC; a hit holding two IOCs counts for both.${note} ${howTo}</p>`,
    ].join('\n');
  }
  const z = t.zoom;
  const earlier = z.earlier.active + z.earlier.suppressed;
  const later = z.later.active + z.later.suppressed;
  const timed = totalHits - t.untimed;
  const [from, to] = [timeText(z.start, z.width), timeText(z.start + z.bins * z.width, z.width)];
  return [
    `<p class="span-note" id="timeline-span">Shown: ${escapeMarkup(from)} to ${escapeMarkup(to)} UTC, the span holding most hits (<span class="n">${count(timed - earlier - later)}</span> of the ${count(timed)} with a time).</p>`,
    `<details class="all-times"><summary><strong><span class="n" id="timeline-outside">${count(earlier + later)}</span> ${earlier + later === 1 ? 'hit' : 'hits'} outside this span</strong> (${count(earlier)} earlier, ${count(later)} later): show all</summary>`,
    chartSvg(t, `${CHART_LABEL}, at all times`, null),
    `<p class="caption">Every hit with a time: hits per ${escapeMarkup(t.widthName)}, UTC, from ${escapeMarkup(timeText(t.start, t.width))} to ${escapeMarkup(timeText(t.start + t.bins * t.width, t.width))}.</p>`,
    '</details>',
    chartSvg(z, `${CHART_LABEL}, from ${escapeMarkup(from)} to ${escapeMarkup(to)} UTC; ${plural(earlier, 'hit')} earlier and ${plural(later, 'hit')} later are counted at the edges`, z),
    `<ul class="legend">${legend}</ul>`,
    `<p class="caption">Hits per ${escapeMarkup(z.widthName)}, UTC. One line per IOC; a hit holding two IOCs counts for both. The arrows at the edges count the hits outside the span; the legend counts every hit with a time, those outside the span too.${note} ${howTo}</p>`,
  ].join('\n');
}
