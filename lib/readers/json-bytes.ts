// The bytes the JSON readers' scanners look at: the array reader and the
// query-answer reader walk JSON structure byte by byte, never parsing a
// whole file, and must agree on what these bytes are.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LF = 0x0a;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** JSON's white space: space, line feed, carriage return, tab. */
export function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
