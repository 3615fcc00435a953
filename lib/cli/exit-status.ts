import type { Report } from '../report/report.js';

/** CONTRACT.md §6. */
export const EXIT = {
  clean: 0,
  activeHit: 1,
  nothingScanned: 2,
  incomplete: 3,
} as const;

export function exitStatus(report: Pick<Report, 'summary'>): number {
  if (report.summary.hits > 0) return EXIT.activeHit;
  if (report.summary.errors > 0) return EXIT.incomplete;
  return EXIT.clean;
}
