import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { RING, type RingSetup } from './hash-ring.js';

// The thread that reads a large file for the scan and works out its SHA-256
// on the way: the scan only scans. Both threads look at the same shared
// buffers, so the hash is of the very bytes scanned, in the same pass, and
// nothing is copied between threads. They signal through shared memory
// (Atomics), not messages: a message a chunk cost more than it saved.
// Reading here rather than on the libuv pool keeps the scan from waiting for
// a third thread to get a core (measured: ~15% of a 2-core scan's time).

const { buffers, control, position } = workerData as RingSetup;
const state = new Int32Array(control);
const start = new Float64Array(position);
const slots = buffers.length;
const views = buffers.map((b) => new Uint8Array(b));

function waitFree(slot: number): void {
  const at = RING.users(slot);
  for (let users = Atomics.load(state, at); users !== 0; users = Atomics.load(state, at)) Atomics.wait(state, at, users);
}

function publish(slot: number, seq: number, length: number, users: number): void {
  Atomics.store(state, RING.length(slot), length);
  Atomics.store(state, RING.users(slot), users);
  Atomics.store(state, RING.seq(slot), seq);
  Atomics.notify(state, RING.seq(slot));
}

for (let request = 0; ; ) {
  while (Atomics.load(state, RING.REQUEST) === request) Atomics.wait(state, RING.REQUEST, request);
  request = Atomics.load(state, RING.REQUEST);
  const fd = state[RING.REQUEST_FD];
  const id = state[RING.REQUEST_ID];
  let seq = state[RING.REQUEST_FIRST];
  let at = start[0];
  const hash = createHash('sha256');
  for (;; seq++) {
    const slot = ((seq % slots) + slots) % slots;
    waitFree(slot);
    let length: number;
    try {
      length = readSync(fd, views[slot], 0, views[slot].length, at);
    } catch (error) {
      length = typeof (error as { errno?: number }).errno === 'number' ? Math.min(-1, (error as { errno: number }).errno) : -5;
    }
    if (length <= 0) {
      // the end (or a failed read): only the scan looks at this slot
      publish(slot, seq, length, 1);
      break;
    }
    publish(slot, seq, length, 2);
    at += length;
    hash.update(views[slot].subarray(0, length));
    Atomics.sub(state, RING.users(slot), 1);
    Atomics.notify(state, RING.users(slot));
  }
  // what was read, even when a read failed part way: as when hashing in the scan's own turn
  parentPort!.postMessage({ id, digest: hash.digest('hex') });
}
