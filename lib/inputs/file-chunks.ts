import { fsPath } from '../record/file-path.js';
import { open, stat } from 'node:fs/promises';
import { HashThreadFailed, SLOT_BYTES } from './hash-beside.js';
import type { ReadTally } from './read-tally.js';

// Reading an input: its raw bytes in chunks, counted and hashed by its
// ReadTally as they pass, one read ahead, in a few buffers reused file after
// file; and the rest of a file the scan stopped reading, hashed to its end.

const CHUNK_SIZE = SLOT_BYTES;
const BUFFERS = 4;
const buffers: Buffer[] = [];
let turn = -1;

/**
 * Where to read the next chunk on this thread: the same few buffers in turn
 * (readers copy what they keep beyond a chunk), shared by every file the
 * thread reads, one after another: fresh buffers for each file of a sweep
 * were garbage that held memory until a collection came.
 */
function readBuffer(): Buffer {
  turn = (turn + 1) % BUFFERS;
  buffers[turn] ??= Buffer.allocUnsafeSlow(CHUNK_SIZE);
  return buffers[turn];
}

export async function* fileChunks(path: string, tally: ReadTally): AsyncGenerator<Buffer> {
  const handle = await open(fsPath(path), 'r');
  const info = await handle.stat();
  const beside = tally.begin(handle, info.isFile(), info.size);
  if (beside) {
    // the other thread reads ahead; the handle is closed by finishBeside, even when the scan stops early
    try {
      for (let chunk = await beside.next(); chunk !== null; chunk = await beside.next()) {
        tally.update(chunk);
        yield chunk;
      }
      await tally.finishBeside();
      return;
    } catch (error) {
      if (!(error instanceof HashThreadFailed)) throw error;
      // nothing is lost but the hash: the rest is read below, from where the ring stopped
      tally.besideLost = true;
    }
  }
  // a FIFO cannot seek: read it where it stands; a file from where the tally got to
  let position = info.isFile() ? tally.bytes : null;
  const read = async (): Promise<Buffer | null> => {
    const buffer = readBuffer();
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return null;
    if (position !== null) position += bytesRead;
    const chunk = buffer.subarray(0, bytesRead);
    tally.update(chunk);
    return chunk;
  };
  // one read ahead: the disk (or page cache) works while the scan works
  let next = read();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null) break;
      next = read();
      yield chunk;
    }
    tally.done = true;
  } finally {
    await next.catch(() => null);
    await handle.close();
  }
}

/**
 * When a reader stopped early (broken gzip, unreadable tail), the rest of the
 * file is still hashed, continuing from where the scan stopped, so `sha256`
 * always describes the whole file.
 */
export async function finishTally(path: string, tally: ReadTally): Promise<void> {
  if (tally.besideReading) await tally.finishBeside();
  if (tally.done || tally.besideReading) return;
  try {
    // a pipe cannot be read a second time: what it gave is all there is
    if (!(await stat(fsPath(path))).isFile()) return;
    for await (const _ of fileChunks(path, tally)) {
      // hashing happens in fileChunks
    }
  } catch {
    // the scan already reported why this file cannot be read
  }
}
