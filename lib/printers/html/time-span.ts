// The span a timeline zooms to. One hit logged years before an incident (a
// stale clock, a test years ago) would otherwise set the bins to 30 days and
// draw the whole incident as one bar. The span is chosen from the times
// alone, deterministically, and the hits outside it stay counted and drawn in
// the full timeline beside it: the zoom hides nothing.

/** The share of timed hits the core period must hold. */
export const SPAN_SHARE = 0.9;
/** A hit this close to the core (or as close as the core is long) belongs to the span. */
export const SPAN_REACH_MIN = 3_600_000;
/** Zoom only when the span's bins are at least this many times finer than the full timeline's. */
export const ZOOM_GAIN = 10;

/**
 * The span of `sorted` (epoch ms, ascending) to draw instead of all of it, or
 * null when every hit belongs to it or zooming gains too little.
 * - core: the shortest period holding SPAN_SHARE of the hits (at least all
 *   but one; the earliest such period when two are as short);
 * - span: every hit no further from the core than the core is long (and at
 *   least SPAN_REACH_MIN), so the incident's own first and last hits stay in;
 * - zoomed only when `widthOf(span)` is ZOOM_GAIN times finer than the full one.
 */
export function densestSpan(sorted: Float64Array, widthOf: (span: number) => number): [number, number] | null {
  const n = sorted.length;
  if (n < 3) return null;
  const k = Math.min(n - 1, Math.ceil(n * SPAN_SHARE));
  let best = 0;
  for (let i = 1; i + k - 1 < n; i++) {
    if (sorted[i + k - 1] - sorted[i] < sorted[best + k - 1] - sorted[best]) best = i;
  }
  const [coreFrom, coreTo] = [sorted[best], sorted[best + k - 1]];
  const reach = Math.max(coreTo - coreFrom, SPAN_REACH_MIN);
  let lo = best;
  while (lo > 0 && sorted[lo - 1] >= coreFrom - reach) lo--;
  let hi = best + k - 1;
  while (hi < n - 1 && sorted[hi + 1] <= coreTo + reach) hi++;
  if (lo === 0 && hi === n - 1) return null;
  if (widthOf(sorted[hi] - sorted[lo]) * ZOOM_GAIN > widthOf(sorted[n - 1] - sorted[0])) return null;
  return [sorted[lo], sorted[hi]];
}
