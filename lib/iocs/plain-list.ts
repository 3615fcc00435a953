import type { IocRow, ParsedIocFile } from './ioc-rows.js';

// A plain list: one IOC a line, as analysts paste them from a report or a
// ticket. `#` starts a comment (at the start of a line, or after white
// space, so a URL's `#fragment` stays part of it); blank lines are skipped.
// Nothing says what type a line is: classify-ioc.ts decides from the text.

export function parsePlainList(lines: readonly string[]): ParsedIocFile {
  return { format: 'plain-list', rows: plainRows(lines), errors: [] };
}

/** Each line's row, made as it is read: a list of 100,000 IOCs is not first made 100,000 rows. */
function* plainRows(lines: readonly string[]): Generator<IocRow> {
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    // most lines hold no `#`, so no comment to cut
    const value = (raw.includes('#') ? raw.replace(/(^|\s)#.*$/, '') : raw).trim();
    if (value !== '') yield { line: index + 1, value, type: null, threatType: null, malware: null, confidence: null, firstSeen: null };
  }
}
