// What can stop a run, as data: every refusal is a HuntError with a code
// (its family first: USAGE_, IOC_FILE_, EXCLUSIONS_, REPORT_FILE_, MERGE_,
// OUTPUT_) and one line of words naming the file, the line or the option.
// A test or a caller tells refusals apart by code; the words are for the
// responder, and may be reworded without breaking anything that decides.

/** An option or argument the run cannot go on with (exit 2, before anything is read). */
export type UsageCode =
  | 'USAGE_ARGUMENTS'
  | 'USAGE_UNKNOWN_OPTION'
  | 'USAGE_FILE_AS_OPTION'
  | 'USAGE_OPTION_REPEATED'
  | 'USAGE_OPTION_VALUE'
  | 'USAGE_OUTPUT'
  | 'USAGE_FORMAT'
  | 'USAGE_TIME'
  | 'USAGE_WINDOW'
  | 'USAGE_JOBS'
  | 'USAGE_EXCLUSIONS'
  | 'USAGE_IOCS'
  | 'USAGE_MIN_CONFIDENCE'
  | 'USAGE_EMIT'
  | 'USAGE_TABLE'
  | 'USAGE_NO_INPUT'
  | 'USAGE_STDIN_SOCKET'
  | 'USAGE_MERGE';

/** A feed file read whole (IOCs, exclusions) past a bound. */
export type FeedFileCode = 'FEED_FILE_TOO_LARGE' | 'FEED_FILE_TOO_DEEP';

/** IOC files that cannot be used (exit 2). */
export type IocFileCode =
  | 'IOC_FILE_UNREADABLE'
  | 'IOC_FILE_TOO_LARGE'
  | 'IOC_FILE_TOO_DEEP'
  | 'IOC_FILE_NOT_JSON'
  | 'IOC_FILE_LAYOUT'
  | 'IOC_FILE_NO_USABLE_IOC'
  | 'IOC_FILE_NONE_SEARCHABLE'
  | 'IOC_FILE_BELOW_CONFIDENCE';

/** An exclusions file refused before any scanning (exit 2). */
export type ExclusionsCode =
  | 'EXCLUSIONS_UNREADABLE'
  | 'EXCLUSIONS_TOO_LARGE'
  | 'EXCLUSIONS_TOO_DEEP'
  | 'EXCLUSIONS_NOT_JSON'
  | 'EXCLUSIONS_SHAPE'
  | 'EXCLUSIONS_FIELD'
  | 'EXCLUSIONS_RULE';

/** A report `merge` cannot read back (exit 2). */
export type ReportFileCode = 'REPORT_FILE_UNREADABLE' | 'REPORT_FILE_NOT_JSON' | 'REPORT_FILE_NOT_OURS' | 'REPORT_FILE_CUT';

/** Reports `merge` refuses to add up (exit 2). */
export type MergeCode = 'MERGE_REFUSED_NOTHING' | 'MERGE_REFUSED_OTHER_SWEEP' | 'MERGE_REFUSED_OVERLAP';

/** An output that is not opened, or a report that could not be written whole. */
export type OutputCode = 'OUTPUT_DANGLING_LINK' | 'OUTPUT_DIRECTORY' | 'OUTPUT_NOT_A_FILE' | 'OUTPUT_EXISTS' | 'OUTPUT_PIPE_CLOSED' | 'OUTPUT_WRITE_FAILED';

/** A table catalogue (tables.json) that does not hold together. */
export type CatalogueCode = 'CATALOGUE_NOT_JSON' | 'CATALOGUE_INVALID';

/** The hashing thread stopped; the file is hashed on the main thread instead. */
export type InternalCode = 'HASH_THREAD_FAILED';

export type HuntErrorCode = UsageCode | FeedFileCode | IocFileCode | ExclusionsCode | ReportFileCode | MergeCode | OutputCode | CatalogueCode | InternalCode;

/** The base of every refusal; each family is a subclass where it is raised, narrowing `code`. */
export class HuntError<Code extends HuntErrorCode = HuntErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}
