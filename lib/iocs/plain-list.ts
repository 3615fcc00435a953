import type { IocRow, ParsedIocFile } from './ioc-rows.js';

// A plain list: one IOC a line, as analysts paste them from a report or a
// ticket. `#` starts a comment (at the start of a line, or after white
// space, so a URL's `#fragment` stays part of it); blank lines are skipped.
// Nothing says what type a line is: classify-ioc.ts decides from the text.

export function parsePlainList(lines: readonly string[]): ParsedIocFile {
  const rows: IocRow[] = [];
  lines.forEach((raw, index) => {
    const value = raw.replace(/(^|\s)#.*$/, '').trim();
    if (value === '') return;
    rows.push({ line: index + 1, value, type: null, threatType: null, malware: null, confidence: null, firstSeen: null });
  });
  return { format: 'plain-list', rows, errors: [] };
}
