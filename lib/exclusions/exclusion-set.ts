import type { ExclusionEntry, SetProvenance, TableName } from '../report/report.js';
import type { RecordFields } from '../record/source-record.js';
import { commandLineTokens, ruleForm, valueForms, type CompareKind } from './compare.js';

// Exclusions: rules that mark a hit as suppressed (kept, labelled, not
// counted active), read from a file and checked (exclusion-file.ts), compared
// as each field asks (compare.ts).
//
// Rules compiled once into predicates per table, so each hit is checked with
// plain column reads and set lookups.

export interface ColumnSource {
  /** Canonical: lower case, as records are read. */
  column: string;
  /** As the exclusions file writes it (`InitiatingProcessFileName`), for KQL, where names are case-sensitive. */
  name: string;
  /** `command-line`: each token of the value is a candidate. */
  split: 'command-line' | null;
}

export interface FieldDefinition {
  compare: CompareKind;
  columns: Partial<Record<TableName, ColumnSource[]>>;
}

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { field: string; values: string[] };

export interface ExclusionRule extends ExclusionEntry {
  when: Condition;
}

export interface ExclusionSetData {
  rules: ExclusionRule[];
  fields: Map<string, FieldDefinition>;
  origin: string;
  provenance: SetProvenance;
}

type Predicate = (fields: RecordFields) => boolean;

function candidates(fields: RecordFields, source: ColumnSource): string[] {
  const value = fields.get(source.column);
  if (value === null) return [];
  return source.split === 'command-line' ? commandLineTokens(value) : [value];
}

function compile(condition: Condition, table: TableName, fieldMap: ReadonlyMap<string, FieldDefinition>): Predicate {
  if ('all' in condition) {
    const parts = condition.all.map((c) => compile(c, table, fieldMap));
    return (fields) => parts.every((p) => p(fields));
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => compile(c, table, fieldMap));
    return (fields) => parts.some((p) => p(fields));
  }
  const definition = fieldMap.get(condition.field)!;
  const sources = definition.columns[table] ?? [];
  // a field the table lacks can never hold: missing evidence never suppresses
  if (sources.length === 0) return () => false;
  const wanted = new Set(condition.values.map((v) => ruleForm(v, definition.compare)));
  return (fields) =>
    sources.some((source) => candidates(fields, source).some((value) => valueForms(value, definition.compare).some((form) => wanted.has(form))));
}

export class ExclusionSet {
  private readonly compiled = new Map<TableName, Array<{ id: string; holds: Predicate }>>();

  constructor(
    readonly rules: readonly ExclusionRule[],
    readonly fieldMap: ReadonlyMap<string, FieldDefinition>,
    /** Where the rules came from, for the report: a path, `built-in` or `none`. */
    readonly origin: string,
    /** For the JSON report's `run`: `built-in`, the user's path or `none`, and the file's SHA-256. */
    readonly provenance: SetProvenance = { origin, sha256: null },
  ) {}

  /** Plain data a worker thread can be handed (structured clone), and back; the compiled predicates are made again there. */
  toData(): ExclusionSetData {
    return { rules: [...this.rules], fields: new Map(this.fieldMap), origin: this.origin, provenance: this.provenance };
  }

  static fromData(data: ExclusionSetData): ExclusionSet {
    return new ExclusionSet(data.rules, data.fields, data.origin, data.provenance);
  }

  static none(): ExclusionSet {
    return new ExclusionSet([], new Map(), 'none', { origin: 'none', sha256: null });
  }

  get entries(): ExclusionEntry[] {
    return this.rules.map(({ id, description }) => ({ id, description }));
  }

  /** The id of the first rule that holds for this record, or null. */
  firstMatch(fields: RecordFields, table: TableName): string | null {
    let rules = this.compiled.get(table);
    if (!rules) {
      rules = this.rules.map((rule) => ({ id: rule.id, holds: compile(rule.when, table, this.fieldMap) }));
      this.compiled.set(table, rules);
    }
    for (const rule of rules) if (rule.holds(fields)) return rule.id;
    return null;
  }
}
