import { existsSync, fstatSync } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { builtinIocSet } from '../matcher/ioc-set.js';
import { iocLabel } from '../report/hit-iocs.js';
import { STANDARD_INPUT_FILE, UsageError } from '../options/scan-options.js';
import { errnoText } from '../errors/errno-text.js';
import { fsPath } from '../record/file-path.js';

// What a newcomer reads first: the help's closing part, why nothing was
// scanned, and a word when a file name may have been taken for an option.

export { WALKED_EXTENSIONS } from '../inputs/discover.js';
import { WALKED_EXTENSIONS } from '../inputs/discover.js';

/** The part of --help after the options: what paths are, the built-in IOCs, exit codes, examples. */
export function helpEpilog(program: string): string {
  const iocs = builtinIocSet().iocs.map((ioc) => `  ${iocLabel(ioc)}  ${ioc.malware ?? ''}  ${ioc.threatType ?? ''}  confidence ${ioc.confidence ?? '?'}%`);
  return [
    'Paths:',
    `  a file (any extension: CSV, TSV, JSON, JSON lines, gzipped or not, told by its content);`,
    `  a folder, walked for ${WALKED_EXTENSIONS}, hidden ones included;`,
    '    other files it meets are listed as skipped (--all-files reads them too);',
    "  a glob in quotes ('exports/**/*.csv'), which the tool expands itself;",
    '  - for standard input. Paths after -- are never options (a file may be named --iocs=x.csv).',
    '',
    'Built-in IOCs (--iocs FILE replaces them):',
    ...iocs,
    '',
    'What each kind of IOC is looked for in (never free text such as Message or a command line):',
    '  IPv4, IPv6 (any spelling), CIDR range   CommonSecurityLog SourceIP, DestinationIP and the translated',
    '                                          addresses; DeviceNetworkEvents RemoteIP, LocalIP, RemoteUrl host',
    '  domain (equal, or a subdomain of it)     DestinationHostName, SourceHostName, DestinationDnsDomain,',
    '                                          the host of RequestURL; the host of RemoteUrl',
    '  URL (normalised; its host: url-host)     RequestURL; RemoteUrl',
    '  MD5, SHA-1, SHA-256 (any case)           FileHash; InitiatingProcessSHA256, -SHA1, -MD5',
    '',
    'Exit status (1 means found: the reverse of grep):',
    '  0  scan finished, no active hit',
    '  1  at least one active hit, whatever else happened',
    '  2  nothing scanned: bad usage, an unreadable IOC or exclusion file, no input,',
    '     or the report could not be written',
    '  3  no active hit, but some input could not be read or parsed, or a named',
    '     path (a glob, a folder) gave nothing to read',
    '',
    'Examples:',
    `  ${program} /mnt/evidence/logs`,
    `  ${program} -f json -o hunt.json 'exports/*.csv'`,
    `  ${program} -f csv -o hits.csv -- *.csv`,
    `  zcat export.csv.gz | ${program} -`,
    `  ${program} --emit kql > hunt.kql`,
    `  ${program} merge -f html -o sweep.html -- host-*/hunt.json`,
  ].join('\n');
}

const VALUE_OPTIONS = new Set(['--format', '-f', '--output', '-o', '--jobs', '-j', '--table', '--since', '--until', '--exclusions', '--iocs', '--min-confidence', '--emit']);
/** Options that change what is looked for or where the report goes: given after a path, they may come from a file name. */
const WATCHED = ['--iocs', '--exclusions', '--output', '-o'];

function isOption(token: string): boolean {
  return token.startsWith('-') && token !== '-';
}

/**
 * The words of argv that look like options but name a file here, or that
 * set the IOCs, exclusions or output after the first path: `perlbot-hunt
 * *.csv` in a folder holding a file `--iocs=decoy.csv` is expanded by the
 * shell into exactly that. A name that is a file here is refused; a watched
 * option after a path is warned about.
 */
export function checkOptionWords(argv: readonly string[], cwd: string): { late: string[] } {
  const late: string[] = [];
  let firstPath: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') break;
    if (!isOption(token)) {
      firstPath ??= token;
      continue;
    }
    if (existsSync(`${cwd}/${token}`)) {
      throw new UsageError('USAGE_FILE_AS_OPTION', `${token} is the name of a file here, not an option: did a glob (such as *.csv) expand to it? Quote the glob (the tool expands it itself) or put the paths after --`);
    }
    const takesNext = VALUE_OPTIONS.has(token) && i + 1 < argv.length;
    const name = token.split('=')[0];
    if (firstPath !== null && (WATCHED.includes(name) || /^-o./.test(token))) late.push(takesNext ? `${token} ${argv[i + 1]}` : token);
    if (takesNext) i++;
  }
  return { late: late.map((word) => `${word} comes after the path ${firstPath}: is it a file name a glob expanded to? Put paths after -- to be sure`) };
}

/** Why a named path gave nothing to scan, in the words other command line tools use. */
export async function whyNothing(path: string): Promise<string> {
  const info = await stat(fsPath(path)).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code !== 'ENOENT') return `${path}: ${errnoText(info)}`;
    if ((await lstat(fsPath(path)).catch(() => null))?.isSymbolicLink()) return `${path}: broken symbolic link`;
    const fg = (await import('fast-glob')).default;
    return fg.isDynamicPattern(path) ? `${path}: glob matched nothing` : `${path}: no such file or directory`;
  }
  if (info.isDirectory()) return `${path}: folder holds no export (walked for ${WALKED_EXTENSIONS})`;
  return `${path}: not readable`;
}

/**
 * `-` is read through /dev/stdin, like any file; a socket (what some
 * launchers hand a child as standard input) cannot be opened that way.
 */
export function checkStandardInput(paths: readonly string[]): void {
  if (!paths.includes(STANDARD_INPUT_FILE)) return;
  let socket = false;
  try {
    socket = fstatSync(0).isSocket();
  } catch {
    // no standard input at all: the scan says so for that path
  }
  if (socket) throw new UsageError('USAGE_STDIN_SOCKET', '- reads standard input, but standard input is a socket here, which cannot be read as a file: pipe the export in (cat export.csv | perlbot-hunt -) or name the file');
}
