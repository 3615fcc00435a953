import { confidenceOf, emptyToNull, firstSeenOf, labelsOf, type IocFileError, type IocRow, type ParsedIocFile } from './ioc-rows.js';

// ThreatFox's CSV export (export/csv/…): a banner of `#` lines, the header as
// a comment (`# "first_seen_utc","ioc_id","ioc_value",…`), then one IOC a
// line with every field quoted and separated by `", "`, `"None"` for empty,
// and a closing `# Number of entries: N`. Columns are found by name in that
// header, because ThreatFox has added columns over the years (is_compromised).

const HEADER = /^#\s*"first_seen_utc"/;

/** Does this text look like a ThreatFox CSV export? (its commented header, or its quoted `", "` rows) */
export function looksLikeThreatFoxCsv(lines: readonly string[]): boolean {
  return lines.some((line) => HEADER.test(line));
}

/** One line's fields: quoted (`""` inside for a quote) or bare, separated by commas with optional spaces. */
export function splitQuotedLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return null;
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
      while (line[i] === ' ' || line[i] === '\t') i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end).trim());
      i = end;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') return null;
    i++;
  }
}

export function parseThreatFoxCsv(lines: readonly string[]): ParsedIocFile {
  const errors: IocFileError[] = [];
  return { format: 'threatfox-csv', rows: threatFoxRows(lines, errors), errors };
}

/** Each IOC line's row, made as it is read (an export of 100,000 IOCs is not first made 100,000 rows); a line that cannot be read goes to `errors`. */
function* threatFoxRows(lines: readonly string[], errors: IocFileError[]): Generator<IocRow> {
  let columns: Map<string, number> | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].replace(/\r$/, '');
    const lineNumber = index + 1;
    if (HEADER.test(line)) {
      const names = splitQuotedLine(line.replace(/^#\s*/, ''));
      if (names) columns = new Map(names.map((name, i) => [name.trim().toLowerCase(), i]));
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!columns?.has('ioc_value')) {
      errors.push({ line: lineNumber, message: 'an IOC line before the commented header (# "first_seen_utc","ioc_id","ioc_value",…)' });
      continue;
    }
    const fields = splitQuotedLine(line);
    if (!fields) {
      errors.push({ line: lineNumber, message: 'broken quoting: not a ThreatFox CSV line' });
      continue;
    }
    const at = columns;
    const get = (name: string): string | null => {
      const i = at.get(name);
      return i === undefined ? null : emptyToNull(fields[i]);
    };
    const value = get('ioc_value');
    if (value === null) {
      errors.push({ line: lineNumber, message: `no ioc_value (${fields.length} fields where the header names ${at.size})` });
      continue;
    }
    yield {
      line: lineNumber,
      value,
      type: get('ioc_type'),
      threatType: get('threat_type'),
      malware: get('malware_printable') ?? get('fk_malware') ?? get('malware'),
      confidence: confidenceOf(get('confidence_level')),
      firstSeen: firstSeenOf(get('first_seen_utc')),
      lastSeen: firstSeenOf(get('last_seen_utc')),
      labels: labelsOf(get('tags')),
      sourceId: get('ioc_id'),
    };
  }
}
