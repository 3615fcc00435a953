/**
 * The shared control words between the scan and the thread that reads and
 * hashes for it. Int32 words: a request mailbox, then three words a slot.
 *
 * The reading thread reads chunk n of a file into slot n % slots, sets the
 * slot's `users` to 2 (the scan and the hash), then its `seq` to n; the scan
 * waits for `seq`, and each side takes one off `users` when done with the
 * bytes. A slot is read into again only when `users` is 0.
 */
export const RING = {
  /** Bumped for each file handed over (the reading thread waits on it). */
  REQUEST: 0,
  REQUEST_FD: 1,
  REQUEST_ID: 2,
  /** The chunk number of the file's first chunk: chunk numbers run on across files. */
  REQUEST_FIRST: 3,
  seq: (slot: number) => 4 + slot * 3,
  users: (slot: number) => 5 + slot * 3,
  /** Bytes in the slot; 0 at the end of the file; a negative errno when the read failed. */
  length: (slot: number) => 6 + slot * 3,
  words: (slots: number) => 4 + slots * 3,
};

export interface RingSetup {
  buffers: SharedArrayBuffer[];
  /** Int32 words, RING's layout. */
  control: SharedArrayBuffer;
  /** Float64: where in the file the request starts. */
  position: SharedArrayBuffer;
}
