/** The layout of the hashing ring's shared control words, shared by both threads. */
export const RING = {
  FREE: 0,
  FILLED: 1,
  /** A length meaning "all of this file is in: send its digest". */
  DIGEST: -1,
  state: (slot: number) => slot * 3,
  id: (slot: number) => slot * 3 + 1,
  length: (slot: number) => slot * 3 + 2,
  words: (slots: number) => slots * 3,
};

export interface RingSetup {
  buffers: SharedArrayBuffer[];
  /** Int32 words, RING's layout. */
  control: SharedArrayBuffer;
}
