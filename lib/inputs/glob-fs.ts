import * as fs from 'node:fs';
import type fg from 'fast-glob';
import { fsPath, pathFromBytes } from '../record/file-path.js';

// The file system as fast-glob sees it: names read as bytes and held as the
// tool holds paths (record/file-path.ts). With node:fs itself, a folder
// whose name is not UTF-8 comes back as U+FFFD, which opens nothing: it and
// everything in it would silently match no pattern.

type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

function names(entries: fs.Dirent<Buffer>[]): fs.Dirent[] {
  // the Dirent keeps its type; only its name is read back as a path
  return entries.map((entry) => Object.assign(entry, { name: pathFromBytes(entry.name) }) as unknown as fs.Dirent);
}

function readdir(path: string, options: { withFileTypes: true } | Callback<string[]>, callback?: Callback<fs.Dirent[]>): void {
  if (typeof options === 'function') {
    fs.readdir(fsPath(path), { encoding: 'buffer' }, (error, found) => options(error, error ? [] : found.map(pathFromBytes)));
    return;
  }
  fs.readdir(fsPath(path), { encoding: 'buffer', withFileTypes: true }, (error, found) => callback!(error, error ? [] : names(found)));
}

function readdirSync(path: string, options?: { withFileTypes: true }): string[] | fs.Dirent[] {
  if (!options) return fs.readdirSync(fsPath(path), { encoding: 'buffer' }).map(pathFromBytes);
  return names(fs.readdirSync(fsPath(path), { encoding: 'buffer', withFileTypes: true }));
}

/** Overloads fast-glob calls the one way or the other: typed as its adapter. */
export const globFs = {
  readdir,
  readdirSync,
  stat: (path: string, callback: Callback<fs.Stats>) => fs.stat(fsPath(path), callback),
  lstat: (path: string, callback: Callback<fs.Stats>) => fs.lstat(fsPath(path), callback),
  statSync: (path: string) => fs.statSync(fsPath(path)),
  lstatSync: (path: string) => fs.lstatSync(fsPath(path)),
} as unknown as Partial<fg.FileSystemAdapter>;
