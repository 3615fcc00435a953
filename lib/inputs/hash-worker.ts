import { parentPort, workerData } from 'node:worker_threads';
import { createHash, type Hash } from 'node:crypto';
import { RING, type RingSetup } from './hash-ring.js';

// SHA-256 on the other core. The scan reads each chunk into a ring of shared
// buffers and both threads look at the same bytes: the hash is of the very
// bytes scanned, in the same pass, and nothing is copied between threads.
// The two sides signal through shared memory (Atomics), not messages: a
// message per chunk cost the scanning thread more than hashing saved it.

const { buffers, control } = workerData as RingSetup;
const state = new Int32Array(control);
const hashes = new Map<number, Hash>();

for (let slot = 0; ; slot = (slot + 1) % buffers.length) {
  while (Atomics.load(state, RING.state(slot)) !== RING.FILLED) Atomics.wait(state, RING.state(slot), RING.FREE);
  const id = state[RING.id(slot)];
  const length = state[RING.length(slot)];
  let hash = hashes.get(id);
  if (!hash) {
    hash = createHash('sha256');
    hashes.set(id, hash);
  }
  if (length === RING.DIGEST) {
    hashes.delete(id);
    parentPort!.postMessage({ id, digest: hash.digest('hex') });
  } else {
    hash.update(new Uint8Array(buffers[slot], 0, length));
  }
  Atomics.store(state, RING.state(slot), RING.FREE);
  Atomics.notify(state, RING.state(slot));
}
