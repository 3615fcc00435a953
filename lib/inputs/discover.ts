import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errnoText } from '../errors/errno-text.js';
import { bytesOfPath, fsPath, pathFromBytes } from '../record/file-path.js';
import { globFs } from './glob-fs.js';

// From what the user named to the list of files to scan (docs/inputs.md).
// A sweep must not silently skip evidence: hidden files and folders are
// walked, no ignore file is honoured, and a path that cannot be read is an
// entry with an error rather than a silent omission. Names are read as
// bytes: one that is not UTF-8 is walked and read like any other
// (record/file-path.ts).

export interface InputFile {
  path: string;
  /** Set when the path cannot be scanned at all (missing, unreadable, a link loop, a glob or folder that gave nothing). */
  error?: string;
  /** Set when a walk met the file and did not take it: its extension is not an export's (--all-files takes it). */
  skipped?: 'extension';
}

export interface Discovery {
  files: InputFile[];
  /** How many named paths did not exist and matched nothing. */
  missing: number;
  /** How many named paths gave no file to read (missing, a glob matching nothing, a folder holding no export). */
  gaveNothing: number;
}

/** What a folder walk takes, in words (for --help and messages). */
export const WALKED_EXTENSIONS = '*.csv *.tsv *.json *.jsonl *.ndjson, each also .gz';

/** Linux's PATH_MAX: a longer path cannot be opened or listed. */
const PATH_MAX = 4096;

/** A subtree deeper than a path can name: its own error, with its depth, so nothing below it is silently missing. */
function tooDeep(path: string, depth: number, root: string): string {
  return `too deep to reach: ${depth} levels below ${root}, a path of ${bytesOfPath(resolve(path)).length} bytes from /, longer than the ${PATH_MAX - 1} bytes a path can have; it and everything in it not read`;
}

const EXPORT_NAME = /\.(csv|tsv|json|jsonl|ndjson)(\.gz)?$/i;

export function isExportName(name: string): boolean {
  return EXPORT_NAME.test(name);
}

/** The real path, its bytes read back as they are (two names that are not UTF-8 must not become one). */
async function realPath(path: string): Promise<string> {
  return pathFromBytes(await realpath(fsPath(path), { encoding: 'buffer' }));
}

class Walker {
  readonly files: InputFile[] = [];
  /** Files and errors met so far, each file counted even when met again: did a named path give anything? */
  met = 0;
  skipped = 0;

  /** `allFiles`: take every file a walk meets, not only exports (--all-files). */
  constructor(private readonly allFiles: boolean) {}

  private takes(name: string): boolean {
    return this.allFiles || isExportName(name);
  }

  private error(path: string, error: string): void {
    this.met++;
    this.files.push({ path, error });
  }

  /** A file the walk does not take: named in the report, never dropped in silence. */
  private skip(path: string): void {
    this.skipped++;
    this.files.push({ path, skipped: 'extension' });
  }
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();

  async addFile(path: string): Promise<void> {
    this.met++;
    let real: string;
    try {
      real = await realPath(path);
    } catch {
      real = path;
    }
    if (this.seenFiles.has(real)) return;
    this.seenFiles.add(real);
    this.files.push({ path });
  }

  /**
   * Found by a walk or a glob, not named one by one: only regular files are
   * read (a FIFO or a link to /dev/urandom would block the sweep or never end).
   */
  async addEntry(path: string, regular: boolean): Promise<void> {
    if (regular) await this.addFile(path);
    else this.error(path, 'not a regular file (a FIFO, socket or device): not read in a directory walk or a glob; name it on its own to read it');
  }

  /** `known`: the real path, when the folder is a plain subfolder of one whose real path is known (resolving it again costs a call per level: quadratic in a deep tree). */
  async walk(dir: string, ancestors: readonly string[], root = dir, known?: string): Promise<void> {
    let real: string;
    try {
      real = known ?? (await realPath(dir));
    } catch (error) {
      const long = (error as NodeJS.ErrnoException).code === 'ENAMETOOLONG';
      this.error(dir, long ? tooDeep(dir, ancestors.length, root) : errnoText(error));
      return;
    }
    if (ancestors.includes(real)) {
      this.error(dir, `symbolic link loop: leads back to ${real}, not entered again`);
      return;
    }
    // reached a second time through another link: already scanned once
    if (this.seenDirs.has(real)) {
      this.met++;
      return;
    }
    this.seenDirs.add(real);
    let entries: Array<Dirent<Buffer> & { text: string }>;
    try {
      entries = (await readdir(fsPath(dir), { withFileTypes: true, encoding: 'buffer' })).map((entry) => Object.assign(entry, { text: pathFromBytes(entry.name) }));
    } catch (error) {
      this.error(dir, `cannot list directory: ${errnoText(error)}`);
      return;
    }
    entries.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    const inside = [...ancestors, real];
    for (const entry of entries) {
      const path = join(dir, entry.text);
      if (bytesOfPath(resolve(path)).length >= PATH_MAX && (entry.isDirectory() || entry.isSymbolicLink() || this.takes(entry.text))) {
        this.error(path, tooDeep(path, inside.length, root));
        continue;
      }
      if (entry.isDirectory()) {
        await this.walk(path, inside, root, join(real, entry.text));
      } else if (entry.isSymbolicLink()) {
        let target: Stats;
        try {
          target = await stat(fsPath(path));
        } catch (error) {
          if (this.takes(entry.text)) this.error(path, `broken symbolic link: ${errnoText(error)}`);
          else this.skip(path);
          continue;
        }
        if (target.isDirectory()) await this.walk(path, inside, root);
        else if (this.takes(entry.text)) await this.addEntry(path, target.isFile());
        else this.skip(path);
      } else if (this.takes(entry.text)) {
        await this.addEntry(path, entry.isFile());
      } else {
        this.skip(path);
      }
    }
  }
}

/** `allFiles`: a walk takes every file, not only exports (--all-files). */
export async function discoverInputs(paths: readonly string[], options: { allFiles?: boolean } = {}): Promise<Discovery> {
  const walker = new Walker(options.allFiles === true);
  let missing = 0;
  let gaveNothing = 0;
  for (const path of paths) {
    const before = walker.met;
    const skippedBefore = walker.skipped;
    await take(path);
    if (walker.met > before) continue;
    // each named path gives something to read or an error of its own: an empty glob or folder is said, not ignored
    gaveNothing++;
    const skipped = walker.skipped - skippedBefore;
    walker.files.push({ path, error: skipped > 0 ? `holds no export (walked for ${WALKED_EXTENSIONS}): ${skipped === 1 ? '1 other file' : `${skipped} other files`} skipped; --all-files reads them` : `folder holds no export (walked for ${WALKED_EXTENSIONS})` });
  }
  return { files: walker.files, missing, gaveNothing };

  async function take(path: string): Promise<void> {
    let info: Stats;
    try {
      info = await stat(fsPath(path));
    } catch (error) {
      // loaded only here: most runs name folders and files, and loading it costs ~15 ms
      const fg = (await import('fast-glob')).default;
      if (fg.isDynamicPattern(path)) {
        const matches = await fg(path, { fs: globFs, dot: true, onlyFiles: false, markDirectories: true, followSymbolicLinks: false, suppressErrors: true, unique: true });
        if (matches.length === 0) {
          missing++;
          walker.files.push({ path, error: 'glob matched nothing' });
          walker.met++;
          gaveNothing++;
        }
        for (const match of matches.sort()) {
          if (match.endsWith('/')) {
            await walker.walk(match.slice(0, -1), []);
            continue;
          }
          // a match is not named one by one: the walk's rule (links followed, only regular files read)
          const target = await stat(fsPath(match)).catch(() => null);
          if (target?.isDirectory()) await walker.walk(match, []);
          else await walker.addEntry(match, target === null || target.isFile());
        }
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        missing++;
        gaveNothing++;
      }
      const linkInfo = await lstat(fsPath(path)).catch(() => null);
      walker.files.push({ path, error: linkInfo?.isSymbolicLink() ? `broken symbolic link: ${errnoText(error)}` : errnoText(error) });
      walker.met++;
      return;
    }
    if (info.isDirectory()) await walker.walk(path, []);
    else await walker.addFile(path);
  }
}
