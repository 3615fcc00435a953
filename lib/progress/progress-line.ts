import { humanBytes } from '../printers/text-layout.js';

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
}

const BAR_WIDTH = 10;

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** `[#####-----]  42%  1.2 MiB/2.9 MiB  files 3/10  hits 5  24.1 MiB/s  ETA 0:07`, cut to `width`. */
export function progressLine(state: ProgressState, width: number): string {
  const { bytesDone, bytesTotal, filesDone, filesTotal, hits, elapsedMs } = state;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? bytesDone / seconds : 0;
  const fraction = bytesTotal === null ? null : bytesTotal === 0 ? 1 : Math.min(bytesDone / bytesTotal, 1);
  const parts = [
    fraction === null ? '  ?%' : `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${humanBytes(bytesDone)}/${bytesTotal === null ? '?' : humanBytes(bytesTotal)}`,
    `files ${filesDone}/${filesTotal}`,
    `hits ${hits}`,
    `${humanBytes(Math.round(rate))}/s`,
    `ETA ${fraction === null || rate === 0 || bytesTotal === null ? '--:--' : duration(Math.max(bytesTotal - bytesDone, 0) / rate)}`,
  ];
  const text = parts.join('  ');
  // a fixed width, so the bar does not jump as the numbers grow; on a narrow
  // terminal the bar goes first, then the end of the text
  if (text.length + BAR_WIDTH + 3 > width) return text.slice(0, Math.max(width, 0));
  const barWidth = BAR_WIDTH;
  const filled = fraction === null ? 0 : Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${text}`;
}
