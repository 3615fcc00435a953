import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { firstChunkShape, Ring, RING, type RingSetup } from './hash-ring.js';
import { scanKernel, type TokenTable } from '../kernel/scan-kernel.js';

// The thread that works out a large file's SHA-256 while the scan reads it,
// and reads the file ahead for the scan whenever the hash has caught up
// (hash-ring.ts). Both threads look at the same shared buffers, so the hash
// is of the very bytes scanned, in the same pass, with nothing copied. They
// signal through shared memory (Atomics), not messages: a message a chunk
// cost more than it saved. With a token table for the file, each chunk is
// searched for IOC candidates first (the scan's costliest search, on the
// core the hash leaves idle): the only message is the table, once per IOC set.

const ring = new Ring(workerData as RingSetup);
const { state } = ring;
/** A safety net only: every change that matters bumps EVENTS. */
const NAP_MS = 50;
/** The table is posted before the file is asked for: past this, something is wrong, and the scan searches itself. */
const TABLE_WAIT_MS = 2000;

let table: TokenTable | null = null;
let tableGeneration = 0;

/** The token table of generation `wanted` (posted by the scan before the request), or null. */
function tableOf(wanted: number): TokenTable | null {
  if (wanted === 0) return null;
  const until = Date.now() + TABLE_WAIT_MS;
  while (tableGeneration < wanted && Date.now() < until) {
    const got = receiveMessageOnPort(parentPort!);
    if (got) ({ generation: tableGeneration, table } = got.message as { generation: number; table: TokenTable });
    else Atomics.wait(state, RING.EVENTS, Atomics.load(state, RING.EVENTS), 5);
  }
  return tableGeneration === wanted ? table : null;
}

for (let request = 0; ; ) {
  while (Atomics.load(state, RING.REQUEST) === request) Atomics.wait(state, RING.REQUEST, request);
  request = Atomics.load(state, RING.REQUEST);
  const id = state[RING.REQUEST_ID];
  const first = state[RING.REQUEST_FIRST];
  const searching = state[RING.REQUEST_TABLE] !== 0;
  let tokens = tableOf(state[RING.REQUEST_TABLE]);
  /** The file opens as JSON does: `\u` escapes and line feeds are noted too. */
  let json = false;
  const kernel = tokens ? scanKernel() : null;
  const hash = createHash('sha256');
  // the search runs ahead of the hash: the scan waits for a chunk's candidates, nobody waits for the hash
  let searched = searching ? first : Number.MAX_SAFE_INTEGER;
  for (let seq = first; ; ) {
    const events = Atomics.load(state, RING.EVENTS);
    if (ring.published(searched)) {
      const slot = ring.slotOf(searched);
      const length = Atomics.load(state, RING.length(slot));
      if (length <= 0) {
        searched = Number.MAX_SAFE_INTEGER;
        continue;
      }
      const bytes = ring.views[slot].subarray(0, length);
      if (searched === first) {
        const shape = firstChunkShape(bytes);
        if (!shape.searchable) tokens = null;
        json = shape.json;
      }
      // unless the scan came to it first and searches it itself
      if (ring.claimTokens(searched)) {
        const search = tokens && kernel ? kernel.chunkSearch(tokens, bytes, json) : null;
        ring.publishTokens(searched, search?.found ?? null, search?.escapes, search?.feeds);
      }
      searched++;
    } else if (ring.published(seq)) {
      const slot = ring.slotOf(seq);
      const length = Atomics.load(state, RING.length(slot));
      // what was read, even when a read failed part way: as when hashing in the scan's own turn
      if (length <= 0) break;
      hash.update(ring.views[slot].subarray(0, length));
      ring.release(seq);
      seq++;
    } else if (!ring.tryRead()) {
      ring.sleep(events, NAP_MS);
    }
  }
  parentPort!.postMessage({ id, digest: hash.digest('hex') });
}
