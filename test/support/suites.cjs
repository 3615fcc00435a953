// Which test files are unit tests and which end-to-end, for `npm run
// test:unit` and `npm run test:e2e` (`npm test` runs them all). Decided by
// each file's source, so a new file lands in the right run without a list
// to keep:
//   - end-to-end: the file runs the CLI, another process or a browser
//     (runCli, runInTerminal, requireBrowser, node:child_process), or says
//     so on a line of its own: `// e2e: <why>` (an in-process test that is
//     slow, such as a property run over multi-MiB exports);
//   - unit: every other file; it calls the library in this process, quickly.
// Read from test/*.test.ts; mocha runs the compiled dist/test/*.test.js.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const SOURCES = join(ROOT, 'test');
const SPAWNS = /\b(?:runCli|runInTerminal|requireBrowser)\b|['"]node:child_process['"]/;
const MARKED = /^\/\/ e2e:/m;

function isEndToEnd(source) {
  return SPAWNS.test(source) || MARKED.test(source);
}

/** The compiled test files of one suite ('unit' or 'e2e'), in name order. */
function suite(which) {
  const names = readdirSync(SOURCES).filter((name) => name.endsWith('.test.ts')).sort();
  const wanted = which === 'e2e';
  return names.filter((name) => isEndToEnd(readFileSync(join(SOURCES, name), 'utf8')) === wanted).map((name) => join('dist', 'test', name.replace(/\.ts$/, '.js')));
}

module.exports = { suite, isEndToEnd };
