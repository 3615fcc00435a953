// How the exports name columns: the portal's ` [zone]` header suffix, and the
// canonical name (lower case, suffix dropped) records are read by.

/** `name [label]` at the very end; the suffix needs white space before `[` (as the portal writes it). */
const HEADER_SUFFIX_RE = /^(.*?\S)\s+\[([^[\]]*)\]$/s;

/** Split a column header like `TimeGenerated [Eastern Time (US and Canada)]` into base name and zone label.
 *  `TimeGenerated` -> {name:'TimeGenerated', zoneLabel:null}. Only a trailing ` [...]` suffix counts; trim whitespace. */
export function splitHeaderSuffix(header: string): { name: string; zoneLabel: string | null } {
  const h = header.trim();
  const m = HEADER_SUFFIX_RE.exec(h);
  if (m === null) return { name: h, zoneLabel: null };
  return { name: m[1]!.trim(), zoneLabel: m[2]!.trim() };
}

/** Canonical column name: the portal's ` [zone]` suffix dropped, lower case. */
export function canonicalColumn(header: string): string {
  return splitHeaderSuffix(header).name.toLowerCase();
}

/** Empty, `null` and `-` all mean "no value" in these exports. */
export function presentValue(value: string | undefined): string | null {
  if (value === undefined || value === '' || value === 'null' || value === '-') return null;
  return value;
}
