import type { Hit, IocEntry, Report } from '../../report/report.js';
import { escapeMarkup, htmlText } from './escape.js';
import { iocLabel, iocsOfHit } from '../../report/hit-iocs.js';
import { count } from '../text-layout.js';

// Hits over time, drawn as inline SVG on the server side: it shows without
// the script, and no chart library has to be carried onto the air-gapped
// machine. Two panels share the time axis, active hits above and suppressed
// below, one step line per IOC. A hit holding two IOCs counts once for each,
// as in summary.perIoc, so each line's total is that IOC's count (less its
// hits without a time, which cannot be placed).

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

export interface Timeline {
  /** Start of the first bin, epoch milliseconds (UTC). */
  start: number;
  width: number;
  widthName: string;
  bins: number;
  series: Series[];
  /** Hits that hold an IOC but have no time to be placed by. */
  untimed: number;
}

function binWidth(span: number): [number, string] {
  return WIDTHS.find(([width]) => Math.floor(span / width) + 1 <= MAX_BINS) ?? WIDTHS[WIDTHS.length - 1];
}

/**
 * The timeline drawn from hits streamed past twice: the first pass finds the
 * span (and so the bins), the second counts each hit into its bin. Memory is
 * the bins', whatever the number of hits.
 */
export class TimelineBuilder {
  private min = Infinity;
  private max = -Infinity;
  private untimed = 0;
  private bins: { start: number; width: number; widthName: string; count: number; perIoc: Array<{ active: number[]; suppressed: number[]; total: number }> } | null = null;

  constructor(private readonly iocs: readonly IocEntry[]) {}

  /** First pass. */
  measure(hit: Hit): void {
    const ms = hit.time === null ? NaN : Date.parse(hit.time);
    if (Number.isNaN(ms)) {
      this.untimed++;
      return;
    }
    this.min = Math.min(this.min, ms);
    this.max = Math.max(this.max, ms);
  }

  /** Whether a second pass is needed: false when no hit has a time (nothing to draw). */
  get needsCounts(): boolean {
    return this.min <= this.max;
  }

  /** Second pass. */
  count(hit: Hit): void {
    const ms = hit.time === null ? NaN : Date.parse(hit.time);
    if (Number.isNaN(ms)) return;
    if (this.bins === null) {
      const [width, widthName] = binWidth(this.max - this.min);
      // bins on round boundaries (whole hours, whole days, UTC) so ticks read cleanly
      const start = Math.floor(this.min / width) * width;
      const count = Math.floor((this.max - start) / width) + 1;
      const perIoc = this.iocs.map(() => ({ active: new Array<number>(count).fill(0), suppressed: new Array<number>(count).fill(0), total: 0 }));
      this.bins = { start, width, widthName, count, perIoc };
    }
    const { perIoc, start, width } = this.bins;
    const bin = Math.floor((ms - start) / width);
    const active = hit.suppressedBy === null;
    for (const i of iocsOfHit(hit, this.iocs)) {
      (active ? perIoc[i].active : perIoc[i].suppressed)[bin]++;
      perIoc[i].total++;
    }
  }

  /** null when no hit has a time. */
  result(): Timeline | null {
    if (this.bins === null) return null;
    const { start, width, widthName, count: bins, perIoc } = this.bins;
    const ranked = this.iocs.map((ioc, i) => ({ label: iocLabel(ioc), ...perIoc[i] })).filter((s) => s.total > 0).sort((a, b) => b.total - a.total);
    const series: Series[] = ranked.slice(0, MAX_SERIES).map((s, color) => ({ label: s.label, color, active: s.active, suppressed: s.suppressed }));
    const rest = ranked.slice(MAX_SERIES);
    if (rest.length > 0) {
      const sum = (key: 'active' | 'suppressed') => Array.from({ length: bins }, (_, b) => rest.reduce((n, s) => n + s[key][b], 0));
      series.push({ label: `${rest.length} other IOCs`, color: MAX_SERIES, active: sum('active'), suppressed: sum('suppressed') });
    }
    return { start, width, widthName, bins, series, untimed: this.untimed };
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
const PANEL_HEIGHT = 120;
const PANEL_GAP = 28;
const TOP = 18;
const AXIS = 22;

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

function panel(t: Timeline, kind: 'active' | 'suppressed', top: number, x: (bin: number) => number): string {
  const peak = niceCeiling(Math.max(0, ...t.series.flatMap((s) => s[kind])));
  const y = (n: number) => +(top + PANEL_HEIGHT - (n / peak) * PANEL_HEIGHT).toFixed(1);
  const parts = [
    `<text class="panel-name" x="${LEFT}" y="${top - 5}">${kind} hits</text>`,
    `<line class="axis" x1="${LEFT}" x2="${VIEW_WIDTH - RIGHT}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<line class="grid" x1="${LEFT}" x2="${VIEW_WIDTH - RIGHT}" y1="${y(peak)}" y2="${y(peak)}"/>`,
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

function binTitle(t: Timeline, bin: number): string {
  const from = t.start + bin * t.width;
  const lines = [`${timeText(from, t.width)} to ${timeText(from + t.width, t.width)} UTC`];
  for (const s of t.series) {
    if (s.active[bin] + s.suppressed[bin] > 0) lines.push(`${s.label}: active ${count(s.active[bin])}, suppressed ${count(s.suppressed[bin])}`);
  }
  return lines.length > 1 ? lines.join('\n') : `${lines[0]}: no hit`;
}

/** The chart, a legend and a caption; a sentence when no hit has a time. */
export function timelineHtml(t: Timeline | null, totalHits: number): string {
  if (t === null) {
    return totalHits === 0 ? '<p>No hit to draw.</p>' : `<p>No hit has a time, so none can be drawn (${count(totalHits)} without a time).</p>`;
  }
  const plot = VIEW_WIDTH - LEFT - RIGHT;
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

  const totals = (s: Series, kind: 'active' | 'suppressed') => count(s[kind].reduce((n, v) => n + v, 0));
  const legend = t.series
    .map((s) => `<li data-ioc="${htmlText(s.label)}"><span class="swatch s${s.color}"></span>${htmlText(s.label)}: active <span class="n">${totals(s, 'active')}</span>, suppressed <span class="n">${totals(s, 'suppressed')}</span></li>`)
    .join('');
  const note = t.untimed > 0 ? ` ${count(t.untimed)} ${t.untimed === 1 ? 'hit has' : 'hits have'} no time and ${t.untimed === 1 ? 'is' : 'are'} not drawn.` : '';

  return [
    `<svg class="timeline" viewBox="0 0 ${VIEW_WIDTH} ${height}" role="img" aria-label="Hits over time, one line per IOC, active hits above and suppressed hits below">`,
    ticks.join(''),
    panel(t, 'active', activeTop, x),
    panel(t, 'suppressed', suppressedTop, x),
    targets.join(''),
    '</svg>',
    `<ul class="legend">${legend}</ul>`,
    `<p class="caption">Hits per ${escapeMarkup(t.widthName)}, UTC. One line per IOC; a hit holding two IOCs counts for both.${note} Point at the chart for the counts of a period; click to show only its hits in the table below.</p>`,
  ].join('\n');
}
