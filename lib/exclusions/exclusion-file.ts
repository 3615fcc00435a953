import { createHash } from 'node:crypto';
import { checkNesting, FeedFileProblem, readBounded } from '../errors/feed-file.js';
import { errnoText } from '../errors/errno-text.js';
import { dataFile } from '../assets/assets.js';
import { COMPARE_KINDS, type CompareKind } from './compare.js';
import { ExclusionSet, type ColumnSource, type Condition, type ExclusionRule, type FieldDefinition } from './exclusion-set.js';
import type { SetProvenance, TableName } from '../report/report.js';
import { tableByName } from '../tables/table-specs.js';
import { type ExclusionsCode, HuntError } from '../errors/hunt-error.js';

// Reading an exclusions file, and refusing a bad one before any scanning
// starts: a rule that silently never applies would hide nothing but mislead.

/** A bad exclusions file: the CLI prints the message and exits 2. */
export class ExclusionFileError extends HuntError<ExclusionsCode> {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFields(raw: unknown, into: Map<string, FieldDefinition>, fail: (what: string) => never): void {
  if (raw === undefined) return;
  if (!isObject(raw)) fail('"fields" must be an object mapping field names to their columns');
  for (const [name, def] of Object.entries(raw)) {
    if (!isObject(def)) fail(`field "${name}" must be an object with "compare" and "columns"`);
    const previous = into.get(name);
    const compare = (def.compare ?? previous?.compare ?? 'exact') as CompareKind;
    if (!COMPARE_KINDS.includes(compare)) fail(`field "${name}": unknown compare "${String(def.compare)}" (use ${COMPARE_KINDS.join(', ')})`);
    if (!isObject(def.columns)) fail(`field "${name}": "columns" must map table names to lists of columns`);
    const columns: Partial<Record<TableName, ColumnSource[]>> = { ...previous?.columns };
    for (const [tableText, list] of Object.entries(def.columns)) {
      const table = tableByName(tableText);
      if (!table) fail(`field "${name}": unknown table "${tableText}" (use a catalogued table, such as CommonSecurityLog or DeviceNetworkEvents)`);
      if (!Array.isArray(list)) fail(`field "${name}": the columns of ${table} must be a list`);
      columns[table] = list.map((entry): ColumnSource => {
        if (typeof entry === 'string' && entry.trim() !== '') return { column: entry.trim().toLowerCase(), name: entry.trim(), split: null };
        if (isObject(entry) && typeof entry.column === 'string' && (entry.split === undefined || entry.split === 'command-line')) {
          return { column: entry.column.trim().toLowerCase(), name: entry.column.trim(), split: entry.split === 'command-line' ? 'command-line' : null };
        }
        return fail(`field "${name}": each column of ${table} must be a column name or {"column": …, "split": "command-line"}`);
      });
    }
    into.set(name, { compare, columns });
  }
}

function readCondition(raw: unknown, fields: ReadonlyMap<string, FieldDefinition>, fail: (what: string) => never): Condition {
  if (!isObject(raw)) fail('a condition must be an object: {"all": […]}, {"any": […]} or {"field": …, "equals"|"in": …}');
  const keys = Object.keys(raw).filter((k) => k !== 'description' && k !== 'comment');
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
    const list = raw[keys[0]];
    if (!Array.isArray(list) || list.length === 0) fail(`"${keys[0]}" must hold at least one condition (an empty condition would match everything or nothing)`);
    const parts = list.map((c) => readCondition(c, fields, fail));
    return keys[0] === 'all' ? { all: parts } : { any: parts };
  }
  if ('field' in raw) {
    const field = raw.field;
    if (typeof field !== 'string' || !fields.has(field)) {
      fail(`unknown field "${String(field)}" (known: ${[...fields.keys()].join(', ')}; add your own under "fields")`);
    }
    const operators = keys.filter((k) => k !== 'field');
    if (operators.length !== 1) fail(`condition on "${field}" needs exactly one operator, "equals" or "in" (got ${operators.map((o) => `"${o}"`).join(', ') || 'none'})`);
    const op = operators[0];
    const value = raw[op];
    if (op === 'equals') {
      if (typeof value !== 'string' || value.trim() === '') fail(`"equals" on "${field}" needs a non-empty text value`);
      return { field, values: [value] };
    }
    if (op === 'in') {
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
        fail(`"in" on "${field}" needs a non-empty list of text values`);
      }
      return { field, values: value as string[] };
    }
    fail(`unknown operator "${op}" on "${field}" (use "equals" or "in")`);
  }
  fail(`unknown condition ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : '{}'} (use "all", "any" or "field")`);
}

/** Parse and check an exclusions document; `base` is the field map it extends. */
/** Conditions are read and evaluated level by level: a few levels say all a rule needs; thousands overflow the stack. */
export const MAX_EXCLUSION_NESTING = 64;
export const MAX_EXCLUSION_FILE_BYTES = 16 * 1024 * 1024;

export function exclusionSetFromJson(text: string, origin: string, base?: ReadonlyMap<string, FieldDefinition>, provenance?: SetProvenance): ExclusionSet {
  let doc: unknown;
  try {
    checkNesting(text, MAX_EXCLUSION_NESTING);
  } catch (error) {
    throw new ExclusionFileError('EXCLUSIONS_TOO_DEEP', `${origin}: ${(error as Error).message}`);
  }
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ExclusionFileError('EXCLUSIONS_NOT_JSON', `${origin}: not valid JSON (${(error as Error).message})`);
  }
  const failFile = (what: string): never => {
    throw new ExclusionFileError('EXCLUSIONS_SHAPE', `${origin}: ${what}`);
  };
  const failField = (what: string): never => {
    throw new ExclusionFileError('EXCLUSIONS_FIELD', `${origin}: ${what}`);
  };
  if (!isObject(doc)) failFile('must hold one JSON object with "rules" (and optionally "fields")');
  const root = doc as Json;
  const fields = new Map(base ?? []);
  readFields(root.fields, fields, failField);
  if (!Array.isArray(root.rules)) failFile('"rules" must be a list of rules');
  const seen = new Set<string>();
  const rules = (root.rules as unknown[]).map((raw, i): ExclusionRule => {
    const label = isObject(raw) && typeof raw.id === 'string' ? `rule "${raw.id}"` : `rule ${i + 1}`;
    const fail = (what: string): never => {
      throw new ExclusionFileError('EXCLUSIONS_RULE', `${origin}: ${label}: ${what}`);
    };
    if (!isObject(raw)) fail('must be an object with "id", "description" and "when"');
    const rule = raw as Json;
    if (typeof rule.id !== 'string' || rule.id.trim() === '') fail('has no "id"');
    const id = (rule.id as string).trim();
    if (seen.has(id)) fail('duplicate id: each rule needs its own');
    seen.add(id);
    if (rule.when === undefined) fail('has no "when" condition');
    const when = readCondition(rule.when, fields, fail);
    return { id, description: typeof rule.description === 'string' ? rule.description : '', when };
  });
  return new ExclusionSet(rules, fields, origin, provenance);
}

/** Hashed as stored (not as decoded), so the digest can be checked against the file. */
function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function builtinExclusions(): ExclusionSet {
  const bytes = dataFile('exclusions.json');
  return exclusionSetFromJson(bytes.toString('utf8'), 'built-in exclusions', undefined, { origin: 'built-in', sha256: sha256Of(bytes) });
}

/** A user's file replaces the default rules but extends the default field map. */
export function loadExclusionFile(path: string): ExclusionSet {
  let bytes: Buffer;
  try {
    bytes = readBounded(path, MAX_EXCLUSION_FILE_BYTES);
  } catch (error) {
    if (error instanceof FeedFileProblem) throw new ExclusionFileError(error.code === 'FEED_FILE_TOO_LARGE' ? 'EXCLUSIONS_TOO_LARGE' : 'EXCLUSIONS_TOO_DEEP', `${path}: ${error.message}`);
    throw new ExclusionFileError('EXCLUSIONS_UNREADABLE', `${path}: cannot read exclusions file: ${errnoText(error)}`);
  }
  return exclusionSetFromJson(bytes.toString('utf8'), path, builtinExclusions().fieldMap, { origin: path, sha256: sha256Of(bytes) });
}

/** Which exclusion rules apply: the shipped defaults, a user's file (replacing them), or none. */
export type ExclusionChoice = { kind: 'builtin' } | { kind: 'file'; path: string } | { kind: 'none' };

/** The exclusion set asked for. Throws ExclusionFileError for a bad file. */
export function exclusionsFor(choice: ExclusionChoice): ExclusionSet {
  switch (choice.kind) {
    case 'builtin':
      return builtinExclusions();
    case 'file':
      return loadExclusionFile(choice.path);
    case 'none':
      return ExclusionSet.none();
  }
}
