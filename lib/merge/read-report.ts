import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errnoText } from '../errors/errno-text.js';
import type { Report } from '../report/report.js';
import { TOOL_NAME } from '../sink/report-builder.js';
import { fileFromJson, hitFromJson } from '../report/json-paths.js';
import { HuntError, type ReportFileCode } from '../errors/hunt-error.js';

// A JSON report of this tool (`--format json`), read back for `merge`: checked
// for the keys a merge relies on, so that a wrong file (a report of another
// tool, an NDJSON stream, a truncated copy) is refused with its name rather
// than merged into nonsense.

/** A file that is not a readable perlbot-hunt JSON report: the CLI names it and exits 2. */
export class ReportFileError extends HuntError<ReportFileCode> {}

export interface ReadReport {
  path: string;
  sha256: string;
  report: Report;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readReport(path: string): ReadReport {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ReportFileError('REPORT_FILE_UNREADABLE', `${path}: cannot read it: ${errnoText(error)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ReportFileError('REPORT_FILE_NOT_JSON', `${path}: not JSON (${(error as Error).message}); merge reads reports written with --format json`);
  }
  if (!isObject(doc) || !isObject(doc.tool) || doc.tool.name !== TOOL_NAME) {
    throw new ReportFileError('REPORT_FILE_NOT_OURS', `${path}: not a ${TOOL_NAME} JSON report (no "tool": {"name": "${TOOL_NAME}"})`);
  }
  for (const key of ['iocs', 'exclusions', 'files', 'hits'] as const) {
    if (!Array.isArray(doc[key])) throw new ReportFileError('REPORT_FILE_CUT', `${path}: "${key}" is missing or not a list: a cut or edited report?`);
  }
  if (!isObject(doc.summary) || !Array.isArray(doc.summary.perIoc)) throw new ReportFileError('REPORT_FILE_CUT', `${path}: "summary.perIoc" is missing: a cut or edited report?`);
  if (typeof doc.startedAt !== 'string' || typeof doc.finishedAt !== 'string') throw new ReportFileError('REPORT_FILE_CUT', `${path}: "startedAt" and "finishedAt" are missing`);
  const report = doc as unknown as Report;
  // paths that are not UTF-8 as the tool holds them, so they compare and are written again exactly
  report.files = report.files.map(fileFromJson);
  report.hits = report.hits.map(hitFromJson);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), report };
}
