import { notTextExport } from './text-or-binary.js';
import { withoutNulRuns, type DamageMark, type NulRunReport } from './nul-runs.js';
import { fileChunks } from './file-chunks.js';
import { peek, utf16ToUtf8 } from './decode-text.js';
import { sniffShape, type ContentShape } from './sniff-shape.js';
import type { ReadTally } from './read-tally.js';

// Inputs: from the paths named to the files' bytes (discover.ts), each file
// read (file-chunks.ts), counted and hashed as it is read (read-tally.ts; on
// a thread of its own for a large file: hash-beside.ts), decompressed and
// decoded (gunzip.ts, decode-text.ts) and sniffed (sniff-shape.ts).
//
// Opening one input puts these together: gzip is recognised by its magic
// bytes, UTF-16 by its byte order mark, and the content's shape is sniffed.

export interface OpenedInput {
  compressed: boolean;
  /** Not a text export: the content is not read further. */
  binary: boolean;
  shape: ContentShape;
  /** The decoded content (gunzipped, UTF-8). */
  content: AsyncIterable<Buffer>;
  /** Reading stops here (content that will not be read): the file is closed now, not when memory is collected. */
  close(): Promise<void>;
}

/** Where zero padding between records and damage inside gzip are reported, at their lines (nul-runs.ts, gunzip.ts). */
export type PaddingReport = Pick<NulRunReport, 'lineFeedsRead' | 'report'>;

export async function openInput(path: string, tally: ReadTally, padding?: PaddingReport): Promise<OpenedInput> {
  const chunks = fileChunks(path, tally);
  const raw = await peek(chunks);
  const compressed = raw.head.length >= 2 && raw.head[0] === 0x1f && raw.head[1] === 0x8b;
  const marks: DamageMark[] = [];
  // inflating is loaded only for a gzipped input
  let content: AsyncIterable<Buffer> = compressed ? (await import('./gunzip.js')).gunzip(raw.rest, { marks }) : raw.rest;
  let decoded = await peek(content[Symbol.asyncIterator]());
  const bom = decoded.head;
  const utf16 = bom.length >= 2 && ((bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff));
  if (utf16) {
    content = utf16ToUtf8(decoded.rest, bom[0] === 0xff ? 'utf-16le' : 'utf-16be');
    decoded = await peek(content[Symbol.asyncIterator]());
  }
  const close = async () => {
    await chunks.return(undefined);
  };
  const offsetsOf = compressed ? 'the decompressed text' : utf16 ? 'the text decoded from UTF-16' : 'the file';
  // after the peeks: the reader takes the text from its first byte, so the line it has reached is known at each run
  const text = withoutNulRuns(decoded.rest, { lineFeedsRead: () => null, report: () => undefined, ...padding, offsetsOf, marks, marksUnplaced: utf16 });
  return { compressed, binary: notTextExport(decoded.head), shape: sniffShape(decoded.head), content: text, close };
}
