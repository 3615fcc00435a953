import type { FileEntry, Hit, RunRecord } from './report.js';
import { bytesOfPath, displayPath, hasRawBytes, pathFromBytes } from '../record/file-path.js';

// A path that is not UTF-8 in the JSON reports (docs/inputs.md): `path` (a
// hit's `file`) shows it, each such byte as `\xHH`, and `pathBytes`
// (`fileBytes`) right after it holds its exact bytes in base64, since the
// shown form cannot tell the byte 0xff from a name holding the four
// characters `\xff`. A UTF-8 path is written as it always was, with no such key.
// The paths named on the command line (`run.options.paths`, `output`) are only shown.

/** `item` with the path under `key` shown and its bytes under `bytesKey`; `item` itself when the path is UTF-8. */
function withBytes<T extends object>(item: T, key: string, bytesKey: string): T {
  const path = (item as Record<string, unknown>)[key] as string;
  if (!hasRawBytes(path)) return item;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(item)) {
    out[k] = k === key ? displayPath(path) : value;
    if (k === key) out[bytesKey] = bytesOfPath(path).toString('base64');
  }
  return out as T;
}

/** `item` as read from a JSON report: the path as the tool holds it, from its bytes when they were written. */
function fromBytes<T extends object>(item: T, key: string, bytesKey: string): T {
  const bytes = (item as Record<string, unknown>)[bytesKey];
  if (typeof bytes !== 'string') return item;
  const { [bytesKey]: _bytes, ...rest } = item as Record<string, unknown>;
  return { ...rest, [key]: pathFromBytes(Buffer.from(bytes, 'base64')) } as T;
}

export const fileToJson = (file: FileEntry): FileEntry => withBytes(file, 'path', 'pathBytes');
export const hitToJson = (hit: Hit): Hit => withBytes(hit, 'file', 'fileBytes');
export const fileFromJson = (file: FileEntry): FileEntry => fromBytes(file, 'path', 'pathBytes');
export const hitFromJson = (hit: Hit): Hit => fromBytes(hit, 'file', 'fileBytes');

/** The paths as named, and --output: shown (the files list holds the bytes of each file the paths led to). */
export function runToJson(run: RunRecord): RunRecord {
  const { paths, output } = run.options;
  if (!paths.some(hasRawBytes) && !(output !== null && hasRawBytes(output))) return run;
  return { ...run, options: { ...run.options, paths: paths.map(displayPath), output: output === null ? null : displayPath(output) } };
}
