import { JsonFields, JsonKeyCache, type SourceRecord } from './source-record.js';

export interface Provenance {
  line: number;
  offset: number;
  index: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One parsed JSON value as a record. Defender streaming-API rows keep the event
 * in `properties` and name the table in `category`
 * (`AdvancedHunting-DeviceNetworkEvents`); flat rows may name it in `Type`.
 */
export function recordFromJson(value: unknown, keys: JsonKeyCache, at: Provenance, rawText: () => string): SourceRecord {
  if (!isObject(value)) {
    return { ...at, fields: null, declaredTable: null, problem: 'a record is not a JSON object', rawText: rawText() };
  }
  if (isObject(value.properties) && typeof value.category === 'string') {
    return { ...at, fields: new JsonFields(value.properties, keys), declaredTable: value.category };
  }
  const fields = new JsonFields(value, keys);
  return { ...at, fields, declaredTable: fields.get('type') };
}

export function jsonProblem(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `invalid JSON (${reason})`;
}
