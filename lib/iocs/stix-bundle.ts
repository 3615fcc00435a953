import { confidenceOf, emptyToNull, labelsOf, type IocFileError, type IocRow, type IocSetAside, type ParsedIocFile } from './ioc-rows.js';
import { isObject, lineLocator, offsetsOfKey, type Json } from './json-lines.js';
import { readStixPattern } from './stix-pattern.js';

// A STIX 2.1 bundle (`{"type": "bundle", "objects": [...]}`, or a TAXII
// envelope `{"objects": [...]}`): its `indicator` objects whose pattern_type
// is `stix` give IOCs through their patterns (stix-pattern.ts). A revoked
// indicator, another pattern type, and a pattern or pattern part this tool
// cannot read are set aside, counted, and named by the indicator's id. The
// malware an indicator `indicates` (a relationship to a malware object) is
// kept as its malware.

export function looksLikeStix(doc: unknown): doc is Json {
  return isObject(doc) && Array.isArray(doc.objects) && (doc.type === 'bundle' || doc.objects.some((o) => isObject(o) && typeof o.spec_version === 'string'));
}

/** indicator id → the name of the malware it indicates (first relationship wins). */
function malwareNames(objects: unknown[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const o of objects) if (isObject(o) && o.type === 'malware' && typeof o.id === 'string' && typeof o.name === 'string') names.set(o.id, o.name);
  const indicates = new Map<string, string>();
  for (const o of objects) {
    if (!isObject(o) || o.type !== 'relationship' || o.relationship_type !== 'indicates') continue;
    const name = typeof o.target_ref === 'string' ? names.get(o.target_ref) : undefined;
    if (typeof o.source_ref === 'string' && name !== undefined && !indicates.has(o.source_ref)) indicates.set(o.source_ref, name);
  }
  return indicates;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? emptyToNull(value) : null;
}

/** At most 200 characters of a pattern, for a warning. */
function shown(pattern: string): string {
  return pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern;
}

export function parseStixBundle(doc: Json, source: string): ParsedIocFile {
  const objects = doc.objects as unknown[];
  const lineAt = lineLocator(source);
  const offsets = offsetsOfKey(source, 'id');
  const malware = malwareNames(objects);
  const rows: IocRow[] = [];
  const errors: IocFileError[] = [];
  const setAside: IocSetAside[] = [];
  objects.forEach((o, index) => {
    if (!isObject(o) || o.type !== 'indicator') return;
    const id = text(o.id);
    const offset = id === null ? undefined : offsets.get(id);
    const line = offset === undefined ? null : lineAt(offset);
    const aside = (reason: string, detail: string | null): void => void setAside.push({ line, reason, id: id ?? `object ${index + 1}`, detail });
    if (o.revoked === true) {
      aside('revoked', null);
      return;
    }
    if (o.pattern_type !== 'stix') {
      aside('pattern type not stix', `pattern_type ${JSON.stringify(o.pattern_type ?? null)}`);
      return;
    }
    if (typeof o.pattern !== 'string') {
      errors.push({ line, message: `indicator ${id ?? `object ${index + 1}`}: no pattern` });
      return;
    }
    const reading = readStixPattern(o.pattern);
    if ('error' in reading) {
      aside('pattern not supported', `${reading.error}: ${shown(o.pattern)}`);
      return;
    }
    for (const part of reading.notUsed) aside('pattern part not supported', shown(part));
    const types = labelsOf(o.indicator_types);
    for (const ioc of reading.iocs) {
      rows.push({
        line: line ?? 0,
        value: ioc.value,
        type: ioc.type,
        expect: ioc.expect,
        threatType: types.length > 0 ? types.join(',') : null,
        malware: id === null ? null : (malware.get(id) ?? null),
        confidence: confidenceOf(o.confidence),
        firstSeen: null,
        validFrom: text(o.valid_from),
        validUntil: text(o.valid_until),
        labels: labelsOf(o.labels),
        name: text(o.name),
        sourceId: id,
      });
    }
  });
  return { format: 'stix-bundle', rows, errors, setAside };
}
