import type { Summary } from '../report/report.js';

/** 0 clean, 1 an active hit whatever else happened, 2 nothing scanned, 3 some input unreadable (docs/exit-status.md). */
export const EXIT = {
  clean: 0,
  activeHit: 1,
  nothingScanned: 2,
  incomplete: 3,
} as const;

export function exitStatus(report: { summary: Pick<Summary, 'hits' | 'errors'> }): number {
  if (report.summary.hits > 0) return EXIT.activeHit;
  if (report.summary.errors > 0) return EXIT.incomplete;
  return EXIT.clean;
}
