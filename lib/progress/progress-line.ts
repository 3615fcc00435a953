import { humanBytes, length } from '../printers/text-layout.js';

// The one line of the progress display, as a pure function of the counts, so
// it can be checked without a terminal or a clock.

export interface ProgressState {
  bytesDone: number;
  /** null until every input has been measured. */
  bytesTotal: number | null;
  filesDone: number;
  filesTotal: number;
  hits: number;
  elapsedMs: number;
  /** The file being read (the earliest input not done), made printable; null when none. */
  current?: string | null;
}

const BAR_WIDTH = 10;
/** A file name shorter than this says too little to be worth its room. */
const MIN_FILE_WIDTH = 10;
const GAP = '  ';

type Part = 'bar' | 'percent' | 'bytes' | 'files' | 'hits' | 'rate' | 'eta' | 'file';

/** Left to right on the line. */
const ORDER: readonly Part[] = ['bar', 'percent', 'bytes', 'files', 'hits', 'rate', 'eta', 'file'];
/**
 * What goes first when the line is too narrow, one part after the other; the
 * percentage, the hit count and the ETA always stay (and are cut only on a
 * terminal too narrow for them alone).
 */
const DROPPED_FIRST: readonly Part[] = ['bar', 'file', 'rate', 'bytes', 'files'];

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** `39.0/154.5 MiB`, `0.98/1.00 GiB`: both in the total's unit, so they compare at a glance. */
export function bytesOf(done: number, total: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (total >= 1024 ** (unit + 1) && unit < units.length - 1) unit++;
  const scale = 1024 ** unit;
  const digits = unit === 0 ? 0 : total / scale < 10 ? 2 : 1;
  return `${(done / scale).toFixed(digits)}/${(total / scale).toFixed(digits)} ${units[unit]}`;
}

/** The end of a path in `width` columns: `…/node-3/export.csv`, cut after a separator when that keeps most of it. */
export function pathEnd(path: string, width: number): string {
  const chars = Array.from(path);
  if (chars.length <= width) return path;
  const tail = chars.slice(chars.length - (width - 1));
  const separator = tail.findIndex((ch, i) => i > 0 && (ch === '/' || ch === '\\'));
  const kept = separator > 0 && separator <= tail.length / 2 ? tail.slice(separator) : tail;
  return `…${kept.join('')}`;
}

/**
 * `[#####-----]  25%  39.0/154.5 MiB  files 3/10  hits 7  6.4 MiB/s  ETA 0:18  …/export.csv`,
 * in `width` columns: parts are dropped in the order of DROPPED_FIRST until
 * the rest fits, and the file name is shortened from the left to the room left.
 */
export function progressLine(state: ProgressState, width: number): string {
  const { bytesDone, bytesTotal, filesDone, filesTotal, hits, elapsedMs } = state;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? bytesDone / seconds : 0;
  const fraction = bytesTotal === null ? null : bytesTotal === 0 ? 1 : Math.min(bytesDone / bytesTotal, 1);
  const text = new Map<Part, string>();
  // until the inputs are measured, nothing is said of bytes rather than `?`
  if (fraction !== null && bytesTotal !== null) {
    const filled = Math.round(fraction * BAR_WIDTH);
    text.set('bar', `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`);
    text.set('percent', `${String(Math.floor(fraction * 100)).padStart(3)}%`);
    text.set('bytes', bytesOf(bytesDone, bytesTotal));
  }
  text.set('files', `files ${filesDone}/${filesTotal}`);
  text.set('hits', `hits ${hits}`);
  if (fraction !== null && seconds > 0) text.set('rate', `${humanBytes(Math.round(rate))}/s`);
  text.set('eta', `ETA ${fraction === null || rate === 0 || bytesTotal === null ? '--:--' : duration(Math.max(bytesTotal - bytesDone, 0) / rate)}`);

  const shown = new Set(ORDER.filter((part) => text.has(part)));
  const join = (parts: readonly Part[]) => parts.map((part, i) => (i === 0 ? '' : parts[i - 1] === 'bar' ? ' ' : GAP) + text.get(part)!).join('');
  const used = () => length(join(ORDER.filter((part) => shown.has(part) && part !== 'file')));
  const fileRoom = () => width - used() - GAP.length;
  const fits = () => used() <= width && (!shown.has('file') || fileRoom() >= Math.min(MIN_FILE_WIDTH, length(state.current!)));
  if (state.current) shown.add('file');
  for (const part of DROPPED_FIRST) {
    if (fits()) break;
    shown.delete(part);
  }
  if (shown.has('file') && state.current) text.set('file', pathEnd(state.current, fileRoom()));
  const line = join(ORDER.filter((part) => shown.has(part)));
  return length(line) <= width ? line : Array.from(line).slice(0, Math.max(width, 0)).join('');
}
