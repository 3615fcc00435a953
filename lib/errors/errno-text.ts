// Errors as words: what a failed system call means to the responder reading
// the report, shared by every layer that touches the file system.

/** What a failed file-system call means, in words a responder reads in a report. */
const MEANINGS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
};

/** The meaning of `error`'s code; `where` words some codes for the place they happened. */
export function errnoText(error: unknown, where: Record<string, string> = {}): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code !== undefined) {
    const text = where[code] ?? MEANINGS[code];
    if (text !== undefined) return text;
  }
  return error instanceof Error ? error.message : String(error);
}
