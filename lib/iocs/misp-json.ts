import { emptyToNull, firstSeenOf, labelsOf, type IocFileError, type IocFileOptions, type IocRow, type IocSetAside, type ParsedIocFile } from './ioc-rows.js';
import { isObject, lineLocator, offsetsOfKey, type Json } from './json-lines.js';
import { mispValues, toIdsOf } from './misp-types.js';

// MISP's JSON: an event export `{"Event": {...}}`, a list of them (bare
// events or `{"Event": …}`), a REST answer `{"response": [{"Event": …}]}`,
// or an attribute search answer `{"response": {"Attribute": [...]}}`. Each
// event's attributes, and those of its objects, are read by type
// (misp-types.ts). An attribute whose to_ids is false is context, not an
// IOC: set aside and counted, unless allAttributes asks for it (then counted
// as used by that option). A deleted attribute is set aside too.

type Event = Json;

function eventsOf(doc: unknown): Event[] | null {
  const unwrap = (e: unknown): Event | null => (isObject(e) && isObject(e.Event) ? e.Event : isObject(e) && (Array.isArray(e.Attribute) || Array.isArray(e.Object)) ? e : null);
  if (isObject(doc) && isObject(doc.Event)) return [doc.Event];
  if (isObject(doc) && isObject(doc.response) && Array.isArray(doc.response.Attribute)) return [{ Attribute: doc.response.Attribute }];
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.response) ? doc.response : null;
  if (list === null || list.length === 0) return null;
  const events = list.map(unwrap);
  return events.every((e): e is Event => e !== null) ? events : null;
}

export function looksLikeMisp(doc: unknown): boolean {
  return eventsOf(doc) !== null;
}

function tagNames(value: unknown): string[] {
  return Array.isArray(value) ? labelsOf(value.map((tag) => (isObject(tag) ? tag.name : null))) : [];
}

export function parseMispJson(doc: unknown, source: string, options: IocFileOptions): ParsedIocFile {
  const events = eventsOf(doc) ?? [];
  const lineAt = lineLocator(source);
  const offsets = offsetsOfKey(source, 'uuid');
  const rows: IocRow[] = [];
  const errors: IocFileError[] = [];
  const setAside: IocSetAside[] = [];
  let toIdsFalseUsed = 0;
  for (const event of events) {
    const info = typeof event.info === 'string' ? emptyToNull(event.info) : null;
    const eventTags = tagNames(event.Tag);
    const attributes: unknown[] = Array.isArray(event.Attribute) ? [...event.Attribute] : [];
    // one by one: spreading a feed's array into push() overflows the stack on a large object
    if (Array.isArray(event.Object)) for (const object of event.Object) if (isObject(object) && Array.isArray(object.Attribute)) for (const a of object.Attribute) attributes.push(a);
    for (const attribute of attributes) {
      const uuid = isObject(attribute) && typeof attribute.uuid === 'string' ? attribute.uuid : null;
      const offset = uuid === null ? undefined : offsets.get(uuid);
      const line = offset === undefined ? null : lineAt(offset);
      const type = isObject(attribute) && typeof attribute.type === 'string' ? attribute.type : null;
      const value = isObject(attribute) ? emptyToNull(typeof attribute.value === 'number' ? String(attribute.value) : attribute.value) : null;
      if (!isObject(attribute) || type === null || value === null) {
        errors.push({ line, message: `attribute ${uuid ?? '(no uuid)'}: no type or value` });
        continue;
      }
      if (attribute.deleted === true) {
        setAside.push({ line, reason: 'deleted', id: uuid, detail: null });
        continue;
      }
      const values = mispValues(type, value);
      if (values !== null && !toIdsOf(attribute.to_ids)) {
        if (!options.allAttributes) {
          setAside.push({ line, reason: 'to_ids false', id: uuid, detail: null });
          continue;
        }
        toIdsFalseUsed++;
      }
      const meta = {
        threatType: typeof attribute.category === 'string' ? emptyToNull(attribute.category) : null,
        malware: null,
        confidence: null,
        firstSeen: firstSeenOf(attribute.first_seen),
        lastSeen: firstSeenOf(attribute.last_seen),
        name: info,
        sourceId: uuid,
      };
      // a type no IOC kind covers is still a row: counted under its type
      if (values === null) rows.push({ line: line ?? 0, value, type, expect: null, labels: [], ...meta });
      else for (const v of values) rows.push({ line: line ?? 0, value: v.value, type, expect: v.expect, labels: [...tagNames(attribute.Tag), ...eventTags, ...v.labels], ...meta });
    }
  }
  return { format: 'misp-json', rows, errors, setAside, usedByOption: toIdsFalseUsed > 0 ? { 'to_ids false': toIdsFalseUsed } : undefined };
}
