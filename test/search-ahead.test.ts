import { expect } from 'chai';
import { join } from 'node:path';
import { writeFiles } from './helpers.js';
import { Ring, RING, TOKENS_PER_SLOT } from '../lib/inputs/hash-ring.js';
import { BesideFile } from '../lib/inputs/hash-beside.js';
import { chunkEscapes, chunkLineFeeds, chunkTokens } from '../lib/kernel/chunk-tokens.js';
import { scanKernel } from '../lib/kernel/scan-kernel.js';
import { TokenSearch } from '../lib/matcher/token-search.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';

// A large file's chunks are searched for a large IOC set's candidates by
// whichever thread comes to them first (inputs/hash-beside.ts). When the scan
// waits for a chunk the hashing thread is searching, it searches the chunks
// after it that the thread has not come to, and hands their candidates over
// the same way: so neither thread waits while the other has work.

const SLOT = 256;
const SLOTS = 6;

/** Two IOCs, and enough others to be searched by token. */
function feed(): string {
  const fillers = Array.from({ length: 200 }, (_, i) => `203.0.${113 + (i % 90)}.${i % 250}`);
  return join(writeFiles({ 'feed.txt': `198.51.100.7\na.evil.example\n${fillers.join('\n')}\n` }), 'feed.txt');
}

/** JSON lines, an IOC value in every third, a `\u` escape in every fifth. */
function jsonLines(count: number): Buffer {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ n: i, RemoteIP: i % 3 === 0 ? '198.51.100.7' : '192.0.2.9', RemoteUrl: i % 5 === 0 ? 'é.example' : 'a.evil.example' }).replace('é', '\\u00e9'),
  );
  return Buffer.from(`${lines.join('\n')}\n`);
}

function ringOn(disk: Buffer): Ring {
  const ring = new Ring(
    {
      buffers: Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT)),
      tokens: Array.from({ length: SLOTS }, () => new SharedArrayBuffer(4 * TOKENS_PER_SLOT)),
      control: new SharedArrayBuffer(4 * RING.words(SLOTS)),
      position: new SharedArrayBuffer(8),
    },
    (_fd, buffer, offset, length, position) => {
      const end = Math.min(position + length, disk.length);
      buffer.set(disk.subarray(position, end), offset);
      return Math.max(0, end - position);
    },
  );
  ring.request(3, 1, 1, 0, 1);
  return ring;
}

describe('searching ahead while the hashing thread searches', () => {
  it('searches the chunks after the one it waits for that the thread has not taken on, and hands their candidates, escapes and line feeds over as the thread does', async () => {
    const table = new TokenSearch(loadIocs({ kind: 'files', paths: [feed()] }, null).set).table;
    const disk = jsonLines(40);
    const ring = ringOn(disk);
    const file = new BesideFile({ ring, failed: false, digest: async () => null }, 1, 1, () => undefined, table);
    const kernel = scanKernel()!;
    const bytesOf = (seq: number) => Buffer.from(ring.views[ring.slotOf(seq)].subarray(0, ring.state[RING.length(ring.slotOf(seq))]));
    /** Chunk `seq` as the thread searches it: its candidates and `\u` escapes. */
    const searchedBy = (seq: number) => {
      const bytes = bytesOf(seq);
      const found = kernel.tokenCandidates(table, bytes, true);
      return { found: Array.from(found), escapes: kernel.escapesIn(bytes)!, feeds: Array.from(kernel.lineFeedsIn(bytes)!) };
    };
    const publish = (seq: number) => {
      const { found, escapes, feeds } = searchedBy(seq);
      ring.publishTokens(seq, Int32Array.from(found), Int32Array.from(escapes), Int32Array.from(feeds));
    };

    // the thread read and searched chunk 1, and read 2 and 3 and took on 2's search
    for (let i = 0; i < 3; i++) ring.tryRead();
    expect(ring.claimTokens(1)).to.equal(true);
    publish(1);
    const first = await file.next();
    expect(first!.length).to.equal(SLOT);
    expect(ring.claimTokens(2)).to.equal(true);

    // the scan waits for chunk 2; meanwhile it searches 3 (and what it reads after)
    const second = file.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ring.tokensOf(3), 'chunk 3 searched by the scan').to.not.equal(undefined);
    expect(ring.claimTokens(3), 'and taken on: the thread skips it').to.equal(false);
    const expected3 = searchedBy(3);
    expect(expected3.found.length + expected3.escapes.length).to.be.above(0);
    publish(2);
    await second;
    const third = (await file.next())!;
    expect(chunkTokens(third, table)!.found).to.deep.equal(expected3.found);
    expect(chunkEscapes(third)).to.deep.equal(expected3.escapes);
    expect(chunkLineFeeds(third)).to.deep.equal(expected3.feeds);
    expect(expected3.feeds).to.deep.equal([...third.keys()].filter((at) => third[at] === 0x0a));
  });
});
