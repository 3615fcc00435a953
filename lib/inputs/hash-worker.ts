import { parentPort } from 'node:worker_threads';
import { createHash, type Hash } from 'node:crypto';

// SHA-256 on the other core: the scan hands each raw chunk over as it reads
// it, so the hash is still of the very bytes scanned, in the same pass.

const hashes = new Map<number, Hash>();

parentPort!.on('message', (message: { id: number; chunk?: Uint8Array; done?: true }) => {
  let hash = hashes.get(message.id);
  if (!hash) {
    hash = createHash('sha256');
    hashes.set(message.id, hash);
  }
  if (message.chunk) {
    hash.update(message.chunk);
    parentPort!.postMessage({ hashed: message.chunk.length });
  }
  if (message.done) {
    hashes.delete(message.id);
    parentPort!.postMessage({ id: message.id, digest: hash.digest('hex') });
  }
});
