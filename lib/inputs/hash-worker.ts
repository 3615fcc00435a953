import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { Ring, RING, type RingSetup } from './hash-ring.js';

// The thread that works out a large file's SHA-256 while the scan reads it,
// and reads the file ahead for the scan whenever the hash has caught up
// (hash-ring.ts). Both threads look at the same shared buffers, so the hash
// is of the very bytes scanned, in the same pass, with nothing copied. They
// signal through shared memory (Atomics), not messages: a message a chunk
// cost more than it saved.

const ring = new Ring(workerData as RingSetup);
const { state } = ring;
/** A safety net only: every change that matters bumps EVENTS. */
const NAP_MS = 50;

for (let request = 0; ; ) {
  while (Atomics.load(state, RING.REQUEST) === request) Atomics.wait(state, RING.REQUEST, request);
  request = Atomics.load(state, RING.REQUEST);
  const id = state[RING.REQUEST_ID];
  const hash = createHash('sha256');
  for (let seq = state[RING.REQUEST_FIRST]; ; ) {
    const events = Atomics.load(state, RING.EVENTS);
    if (ring.published(seq)) {
      const slot = ring.slotOf(seq);
      const length = Atomics.load(state, RING.length(slot));
      // what was read, even when a read failed part way: as when hashing in the scan's own turn
      if (length <= 0) break;
      hash.update(ring.views[slot].subarray(0, length));
      ring.release(seq);
      seq++;
    } else if (!ring.tryRead()) {
      Atomics.wait(state, RING.EVENTS, events, NAP_MS);
    }
  }
  parentPort!.postMessage({ id, digest: hash.digest('hex') });
}
