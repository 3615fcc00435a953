// Decoding an input: a look at its first bytes before they are handed on
// (gzip and UTF-16 are told by them), and UTF-16 re-encoded as UTF-8.

/** Hold on to the first chunk so it can be looked at, then hand it on. */
export async function peek(source: AsyncIterator<Buffer>): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const parts: Buffer[] = [];
  let size = 0;
  let finished = false;
  // a pipe or a tiny first read may deliver fewer bytes than a sniff needs
  while (size < 4096) {
    const next = await source.next();
    if (next.done) {
      finished = true;
      break;
    }
    parts.push(next.value);
    size += next.value.length;
  }
  // one read is the usual case: no copy (the buffer is not read into again before the reader takes it)
  const head = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (finished) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, rest: rest() };
}

/** UTF-16 with a BOM is re-encoded as UTF-8 so every reader sees one encoding. */
export async function* utf16ToUtf8(source: AsyncIterable<Buffer>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const tail = decoder.decode();
  if (tail) yield Buffer.from(tail, 'utf8');
}
