import { isUtf8 } from 'node:buffer';

/**
 * Valid UTF-8, allowing a character split by the chunk boundary at either end
 * (otherwise nearly every chunk of non-ASCII text would look damaged).
 */
export function cleanUtf8(chunk: Buffer): boolean {
  let start = 0;
  while (start < 3 && start < chunk.length && (chunk[start] & 0xc0) === 0x80) start++;
  let end = chunk.length;
  for (let k = 1; k <= 3 && k <= chunk.length; k++) {
    const byte = chunk[chunk.length - k];
    if ((byte & 0x80) === 0) break;
    if ((byte & 0xc0) === 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (k < needed) end = chunk.length - k;
      break;
    }
  }
  return isUtf8(chunk.subarray(start, Math.max(start, end)));
}

/** A chunk the fast path may skim: clean UTF-8 and no NUL bytes. Otherwise every record in it is looked at. */
export function cleanChunk(chunk: Buffer): boolean {
  return cleanUtf8(chunk) && !chunk.includes(0);
}
