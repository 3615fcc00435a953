// Writing values into KQL text so that no value can change the query around
// it: strings, verbatim (regular expression) strings, column references and
// datetimes.

/** A KQL string literal. Kusto documents `\\`, `\"`, `\n`, `\t` (and `\r`); other control characters have no escape, so they are refused. */
export function kqlString(value: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    throw new Error(`${JSON.stringify(value)} holds a control character that a KQL string cannot carry`);
  }
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A verbatim string, for regular expressions: backslashes stand for themselves, a quote is doubled. */
export function kqlVerbatim(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error('a verbatim KQL string cannot span lines');
  return `@"${value.replace(/"/g, '""')}"`;
}

/** `("a", "b")`: the right side of `in` / `in~`. */
export function kqlList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

/** `dynamic(["a", "b"])`. */
export function kqlDynamicList(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(', ')}])`;
}

/** A column that may not exist in every workspace (a user's field map): empty there, as a missing column is for the scan. */
export function kqlColumnIfExists(name: string): string {
  return `tostring(column_ifexists(${kqlString(name)}, ""))`;
}

/** Text matched literally by a regular expression: the metacharacters RE2 and JavaScript share escaped, nothing else. */
export function regexLiteral(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

export function kqlDatetime(ms: number): string {
  return `datetime(${new Date(ms).toISOString()})`;
}
