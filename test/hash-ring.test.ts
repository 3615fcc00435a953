import { expect } from 'chai';
import { Ring, RING, TOKENS_PER_SLOT, type ReadAt } from '../lib/inputs/hash-ring.js';

// The ring a large file is read into (hash-ring.ts), on a disk that fails
// part way: a bad sector makes a read come back short, and the read after it
// fail. What was read before the failure is evidence: it is handed to the
// scan and the hash, and the failure comes after it.

const SLOT = 16;

function ringOn(disk: Buffer, badFrom: number): Ring {
  const readAt: ReadAt = (_fd, buffer, offset, length, position) => {
    if (position >= badFrom) throw Object.assign(new Error('EIO: i/o error, read'), { errno: -5, code: 'EIO' });
    const end = Math.min(position + length, badFrom, disk.length);
    buffer.set(disk.subarray(position, end), offset);
    return Math.max(0, end - position);
  };
  const ring = new Ring(
    {
      buffers: Array.from({ length: 4 }, () => new SharedArrayBuffer(SLOT)),
      tokens: Array.from({ length: 4 }, () => new SharedArrayBuffer(4 * TOKENS_PER_SLOT)),
      control: new SharedArrayBuffer(4 * RING.words(4)),
      position: new SharedArrayBuffer(8),
    },
    readAt,
  );
  ring.request(3, 1, 1, 0);
  return ring;
}

/** Each chunk's bytes (latin1) or, for a failed read, its negative errno; read and given back until the end. */
function chunks(ring: Ring, first = 1): Array<string | number> {
  const seen: Array<string | number> = [];
  for (let seq = first; ring.tryRead(); seq++) {
    expect(ring.published(seq), `chunk ${seq} published`).to.equal(true);
    const slot = ring.slotOf(seq);
    const length = ring.state[RING.length(slot)];
    seen.push(length < 0 ? length : Buffer.from(ring.views[slot].subarray(0, length)).toString('latin1'));
    // the scan is done with it, and the hash too (the end, or a failure, is the scan's alone)
    ring.release(seq);
    if (length > 0) ring.release(seq);
  }
  return seen;
}

describe('the ring a large file is read into', () => {
  const disk = Buffer.from('0123456789abcdef' + 'ghijklmnopqrstuv' + 'wxyzWXYZ', 'latin1');

  it('reads a whole file in slot-sized chunks, then its end', () => {
    expect(chunks(ringOn(disk, Infinity))).to.deep.equal(['0123456789abcdef', 'ghijklmnopqrstuv', 'wxyzWXYZ', '']);
  });

  it('hands on the bytes read before a bad sector, then the failed read', () => {
    // bytes 16 to 19 read, then the disk fails at 20 in the middle of the second chunk
    expect(chunks(ringOn(disk, 20))).to.deep.equal(['0123456789abcdef', 'ghij', -5]);
  });

  it('gives the failed read alone when nothing of the chunk could be read', () => {
    expect(chunks(ringOn(disk, 16))).to.deep.equal(['0123456789abcdef', -5]);
  });

  it('starts the next file without the last one\'s failure', () => {
    const ring = ringOn(disk, 20);
    expect(chunks(ring)).to.have.length(3);
    ring.request(3, 2, 4, 0);
    // the same bad disk again, read from the start: not the failure left over
    expect(chunks(ring, 4)).to.deep.equal(['0123456789abcdef', 'ghij', -5]);
  });

  it('gives a chunk\'s candidate search to one thread only, and hands over what it found or that it found too many', () => {
    const ring = ringOn(disk, 1000);
    expect(ring.tryRead()).to.equal(true);
    expect(ring.tryRead()).to.equal(true);
    // nothing yet: the scan waits, or searches itself once it claims the chunk
    expect(ring.tokensOf(1)).to.equal(undefined);
    expect(ring.claimTokens(1)).to.equal(true);
    expect(ring.claimTokens(1)).to.equal(false);
    ring.publishTokens(1, Int32Array.of(3, 9));
    expect([...ring.tokensOf(1)!.found]).to.deep.equal([3, 9]);
    expect(ring.tokensOf(1)!.escapes).to.equal(null);
    // a list past what a slot holds is not cut short: the scan searches the chunk itself
    expect(ring.claimTokens(2)).to.equal(true);
    ring.publishTokens(2, new Int32Array(TOKENS_PER_SLOT + 1));
    expect(ring.tokensOf(2)).to.equal(null);
  });

  it('hands over where a chunk\'s `\\u` escapes start and its line feeds are beside its candidates, each only when all before it fit', () => {
    const ring = ringOn(disk, 1000);
    for (let i = 0; i < 3; i++) ring.tryRead();
    ring.publishTokens(1, Int32Array.of(3, 9), Int32Array.of(5, 40), Int32Array.of(12, 30, 31));
    expect([...ring.tokensOf(1)!.found]).to.deep.equal([3, 9]);
    expect([...ring.tokensOf(1)!.escapes!]).to.deep.equal([5, 40]);
    expect([...ring.tokensOf(1)!.feeds!]).to.deep.equal([12, 30, 31]);
    // the candidates and escapes fit, the line feeds too would not: the reader finds them itself
    ring.publishTokens(2, new Int32Array(TOKENS_PER_SLOT - 3), Int32Array.of(7, 8), Int32Array.of(1, 2));
    expect(ring.tokensOf(2)!.found).to.have.length(TOKENS_PER_SLOT - 3);
    expect([...ring.tokensOf(2)!.escapes!]).to.deep.equal([7, 8]);
    expect(ring.tokensOf(2)!.feeds).to.equal(null);
    // the candidates fit, the escapes would not: neither list comes
    ring.publishTokens(3, new Int32Array(TOKENS_PER_SLOT - 1), Int32Array.of(7, 8), Int32Array.of(1));
    expect(ring.tokensOf(3)!.found).to.have.length(TOKENS_PER_SLOT - 1);
    expect(ring.tokensOf(3)!.escapes).to.equal(null);
    expect(ring.tokensOf(3)!.feeds).to.equal(null);
  });

  it('wakes a side asleep on the ring at the next change, and only a sleeper is woken', async function () {
    this.timeout(2_000);
    const ring = ringOn(disk, 1000);
    const events = Atomics.load(ring.state, RING.EVENTS);
    // asleep for up to a minute: only the change below can end it within the test's time
    const asleep = ring.sleepAsync(events, 60_000);
    expect(Atomics.load(ring.state, RING.WAITERS)).to.equal(1);
    setTimeout(() => ring.tryRead(), 10);
    await asleep;
    expect(Atomics.load(ring.state, RING.WAITERS)).to.equal(0);
    // a change already made is seen at once: no sleep
    await ring.sleepAsync(events, 60_000);
  });
});

