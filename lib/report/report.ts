// The JSON report of CONTRACT.md §5. Every printer renders this one shape, so a
// new output format never has to reach back into the search.

export type TableName = 'CommonSecurityLog' | 'DeviceNetworkEvents';
export type FileTable = TableName | 'mixed' | 'unknown';
export type FileFormat = 'csv' | 'json' | 'ndjson';

export interface Match {
  field: string | null;
  ip: string;
  port: number | null;
  portMatch: boolean | null;
}

export interface Hit {
  file: string;
  line: number;
  record: number;
  table: TableName | 'unknown';
  time: string | null;
  /** The original time text, present only when `time` could not be resolved. */
  timeText?: string;
  matches: Match[];
  suppressedBy: string | null;
  malformed: boolean;
  fields: Record<string, string | null>;
}

export interface FileError {
  /** 1-based physical line, or null when the error is about the whole file. */
  line: number | null;
  message: string;
}

export interface FileEntry {
  path: string;
  /** null when the file could not be opened, so its content is unknown. */
  format: FileFormat | null;
  compressed: boolean;
  table: FileTable;
  records: number;
  bytes: number;
  sha256: string | null;
  errors: FileError[];
}

export interface IocEntry {
  ip: string;
  port: number | null;
  threatType: string | null;
  malware: string | null;
  confidence: number | null;
  firstSeen: string | null;
}

export interface ExclusionEntry {
  id: string;
  description: string;
}

export interface PerIocCount {
  ip: string;
  port: number | null;
  hits: number;
  suppressed: number;
}

export interface Summary {
  files: number;
  records: number;
  hits: number;
  suppressed: number;
  errors: number;
  perIoc: PerIocCount[];
}

export interface Report {
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  iocs: IocEntry[];
  exclusions: ExclusionEntry[];
  files: FileEntry[];
  summary: Summary;
  hits: Hit[];
}
