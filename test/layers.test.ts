import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ROOT } from './helpers.js';

// The folders of lib/ are layers: a file may import its own folder and the
// layers below, never one above (type imports included), and no chain of
// imports comes back to where it started. A newcomer can then read the code
// from the bottom up, and change a layer knowing what it can break.

/** Lowest first; folders on one line know nothing of each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['assets', 'errors', 'kernel', 'record', 'terminal'],
  ['report', 'time'],
  ['tables'],
  ['matcher'],
  ['exclusions', 'iocs', 'inputs'],
  ['readers', 'kql'],
  ['verdict', 'sink'],
  ['plan'],
  ['scan'],
  ['printers'],
  ['progress', 'merge'],
  ['options', 'output'],
  ['cli'],
  // the single-file bundle's entry: the CLI on the main thread, a worker on the others
  ['bundle'],
];

const LIB = join(ROOT, 'lib');

function sources(dir: string): string[] {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const at = pending.pop()!;
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name.endsWith('.ts')) out.push(relative(LIB, path));
    }
  }
  return out.sort();
}

/** lib-relative paths of the lib files a source imports (static, type-only and dynamic imports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(LIB, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)) {
    found.push(normalize(join(dirname(file), m[1])).replace(/\.js$/, '.ts'));
  }
  return found;
}

const folderOf = (file: string) => file.split('/')[0];
const rankOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

describe('layers of lib/', () => {
  const files = sources(LIB);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  it('places every folder of lib/ in a layer', () => {
    const folders = [...new Set(files.filter((f) => f.includes('/')).map(folderOf))];
    expect(folders.filter((folder) => rankOf(folder) < 0)).to.deep.equal([]);
  });

  it('has no import running up a layer, or across to a folder of the same layer', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from !== to && rankOf(to) >= rankOf(from)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).to.deep.equal([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    for (const start of files) {
      // every file reachable from start: a circle when start is among them
      const seen = new Set<string>();
      const pending = [...(graph.get(start) ?? [])];
      while (pending.length > 0) {
        const file = pending.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        pending.push(...(graph.get(file) ?? []));
      }
      if (seen.has(start)) circles.push(start);
    }
    expect(circles).to.deep.equal([]);
  });
});
