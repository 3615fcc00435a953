import { confidenceOf, emptyToNull, firstSeenOf, IocFileFatal, labelsOf, type IocFileError, type IocFileOptions, type IocRow, type ParsedIocFile } from './ioc-rows.js';
import { isObject, lineLocator, type Json } from './json-lines.js';
import { looksLikeMisp, parseMispJson } from './misp-json.js';
import { looksLikeStix, parseStixBundle } from './stix-bundle.js';

// The JSON layouts an IOC file may have:
// - ThreatFox's JSON export (export/json/…): an object keyed by IOC id, each
//   holding a one-element array of {ioc_value, ioc_type, threat_type,
//   malware, malware_printable, first_seen_utc, confidence_level, …};
// - a saved ThreatFox API answer: {"query_status": "ok", "data": [{ioc, …}]};
// - this tool's own data file (lib/data/iocs.json): {"iocs": [{ioc, …}]}.
// JSON has no lines of its own, so each entry's line is found by where its
// key is written, for messages that point into the file.

/** Offsets where successive occurrences of a pattern start, in order, for entries written in order. */
function successive(text: string, pattern: (key: string) => RegExp): (key: string) => number | null {
  let from = 0;
  return (key) => {
    const re = pattern(key);
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) return null;
    from = m.index + m[0].length;
    return m.index;
  };
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at line ${lineLocator(text)(Number(position[1]))}` : '';
    throw new IocFileFatal('IOC_FILE_NOT_JSON', `not valid JSON${where} (${message})`);
  }
}

function threatFoxExport(doc: Json, text: string): ParsedIocFile {
  const lineAt = lineLocator(text);
  // JSON.parse gives integer-like keys (ThreatFox's ids) in ascending order,
  // not as written: the entries are put back in file order, by where each key
  // is written, so a JSON export reads in the same order as its CSV twin.
  const offsets = new Map<string, number>();
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*[[{]/g)) if (!offsets.has(m[1])) offsets.set(m[1], m.index);
  const ids = Object.keys(doc).sort((a, b) => (offsets.get(a) ?? Infinity) - (offsets.get(b) ?? Infinity));
  const rows: IocRow[] = [];
  const errors: IocFileError[] = [];
  for (const id of ids) {
    const offset = offsets.get(id);
    const line = offset === undefined ? null : lineAt(offset);
    const value = doc[id];
    const entries = Array.isArray(value) ? value : [value];
    for (const entry of entries) {
      const iocValue = isObject(entry) ? emptyToNull(entry.ioc_value) : null;
      if (!isObject(entry) || iocValue === null) {
        errors.push({ line, message: `IOC ${id}: no ioc_value` });
        continue;
      }
      rows.push({
        line: line ?? 0,
        value: iocValue,
        type: emptyToNull(entry.ioc_type),
        threatType: emptyToNull(entry.threat_type),
        malware: emptyToNull(entry.malware_printable) ?? emptyToNull(entry.malware),
        confidence: confidenceOf(entry.confidence_level),
        firstSeen: firstSeenOf(entry.first_seen_utc),
        lastSeen: firstSeenOf(entry.last_seen_utc),
        labels: labelsOf(entry.tags),
        sourceId: id,
      });
    }
  }
  return { format: 'threatfox-json', rows, errors };
}

function entryList(list: unknown[], text: string, format: 'threatfox-api-json' | 'perlbot-hunt-json'): ParsedIocFile {
  const lineAt = lineLocator(text);
  const keyAt = successive(text, () => /"ioc"\s*:/g);
  const rows: IocRow[] = [];
  const errors: IocFileError[] = [];
  list.forEach((entry, i) => {
    const offset = keyAt('ioc');
    const line = offset === null ? null : lineAt(offset);
    const iocValue = isObject(entry) ? emptyToNull(entry.ioc) : null;
    if (!isObject(entry) || iocValue === null) {
      errors.push({ line, message: `entry ${i + 1}: no "ioc"` });
      return;
    }
    const ours = format === 'perlbot-hunt-json';
    rows.push({
      line: line ?? 0,
      value: iocValue,
      type: emptyToNull(ours ? entry.type : entry.ioc_type),
      threatType: emptyToNull(ours ? entry.threatType : entry.threat_type),
      malware: ours ? emptyToNull(entry.malware) : (emptyToNull(entry.malware_printable) ?? emptyToNull(entry.malware)),
      confidence: confidenceOf(ours ? entry.confidence : entry.confidence_level),
      firstSeen: firstSeenOf(ours ? entry.firstSeen : entry.first_seen),
      lastSeen: firstSeenOf(ours ? entry.lastSeen : entry.last_seen),
      labels: labelsOf(entry.tags),
      sourceId: emptyToNull(entry.id),
    });
  });
  return { format, rows, errors };
}

export function parseIocJson(text: string, options: IocFileOptions = {}): ParsedIocFile {
  const doc = parseJsonText(text);
  if (looksLikeStix(doc)) return parseStixBundle(doc, text);
  if (looksLikeMisp(doc)) return parseMispJson(doc, text, options);
  if (isObject(doc) && Array.isArray(doc.iocs)) return entryList(doc.iocs, text, 'perlbot-hunt-json');
  if (isObject(doc) && 'query_status' in doc) {
    if (!Array.isArray(doc.data)) throw new IocFileFatal('IOC_FILE_LAYOUT', `a ThreatFox API answer without IOCs (query_status "${String(doc.query_status)}")`);
    return entryList(doc.data, text, 'threatfox-api-json');
  }
  if (isObject(doc) && Object.values(doc).every((v) => Array.isArray(v) || isObject(v))) return threatFoxExport(doc, text);
  throw new IocFileFatal('IOC_FILE_LAYOUT', 'JSON of no known IOC layout (a STIX 2.1 bundle, a MISP event export, a ThreatFox export keyed by IOC id, a ThreatFox API answer, or {"iocs": […]})');
}
