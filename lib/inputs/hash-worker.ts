import { parentPort } from 'node:worker_threads';
import { createHash, type Hash } from 'node:crypto';

// SHA-256 on the other core. The scan reads each chunk into shared memory and
// both threads look at the same bytes: the hash is of the very bytes scanned,
// in the same pass, and nothing is copied between threads.

const hashes = new Map<number, Hash>();

type Message = { slots: SharedArrayBuffer[] } | { id: number; length: number; slot: number } | { id: number; done: true };

/** The ring's buffers, handed over once: posting shared memory with every chunk costs more than hashing it. */
let slots: SharedArrayBuffer[] = [];

parentPort!.on('message', (message: Message) => {
  if ('slots' in message) {
    slots = message.slots;
    return;
  }
  let hash = hashes.get(message.id);
  if (!hash) {
    hash = createHash('sha256');
    hashes.set(message.id, hash);
  }
  if ('done' in message) {
    hashes.delete(message.id);
    parentPort!.postMessage({ id: message.id, digest: hash.digest('hex') });
    return;
  }
  hash.update(new Uint8Array(slots[message.slot], 0, message.length));
  parentPort!.postMessage({ slot: message.slot });
});
