import { isUtf8 } from 'node:buffer';
import { JsonFields, type JsonKeyCache, NOT_UTF8 } from './record-fields.js';
import type { SourceRecord } from '../record/source-record.js';
import type { RawIocSearch } from '../matcher/raw-text.js';

export interface Provenance {
  line: number;
  offset: number;
  index: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One JSON record's text, parsed alone. Defender streaming-API rows keep the
 * event in `properties` and name the table in `category`
 * (`AdvancedHunting-DeviceNetworkEvents`); flat rows may name it in `Type`.
 * `utf8Checked`: the bytes are known to be valid UTF-8 (a line whole within
 * a chunk the reader checked), so they are not checked again.
 */
export function recordFromJson(bytes: Buffer, keys: JsonKeyCache, at: Provenance, search: RawIocSearch, utf8Checked = false): SourceRecord {
  if (!utf8Checked && !isUtf8(bytes)) return malformed(at, NOT_UTF8, search.find(bytes));
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return malformed(at, `invalid JSON (${(error as Error).message})`, search.find(bytes));
  }
  if (!isObject(value)) return malformed(at, 'a record is not a JSON object', search.find(bytes));
  if (isObject(value.properties) && typeof value.category === 'string') {
    return { ...at, fields: new JsonFields(value.properties, keys), declaredTable: value.category };
  }
  const fields = new JsonFields(value, keys);
  return { ...at, fields, declaredTable: fields.get('type') };
}

export function malformed(at: Provenance, problem: string, rawIps: Set<string>): SourceRecord {
  return { ...at, fields: null, declaredTable: null, problem, rawIps };
}
