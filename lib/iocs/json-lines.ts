// JSON has no lines of its own: IOC files written as JSON point their
// messages into the file by where an entry's key or id is written.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line of a character offset. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Offset of each `"key": "value"` string pair (the first where a value is written twice), for ids and uuids. */
export function offsetsOfKey(text: string, key: 'id' | 'uuid'): Map<string, number> {
  const offsets = new Map<string, number>();
  const re = key === 'id' ? /"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"/g : /"uuid"\s*:\s*"((?:[^"\\]|\\.){1,200})"/g;
  for (const m of text.matchAll(re)) if (!offsets.has(m[1])) offsets.set(m[1], m.index);
  return offsets;
}
