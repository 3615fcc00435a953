import { JsonKeyCache, type SourceRecord } from './source-record.js';
import { jsonProblem, recordFromJson } from './json-record.js';

const LF = 0x0a;

/** JSON lines: one record per non-blank line; a broken line is one malformed record, the next line is read as usual. */
export async function* readNdjson(content: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  const keys = new JsonKeyCache();
  let carry: Buffer[] = [];
  let carryStart = 0;
  let offset = 0;
  let line = 0;
  let index = 0;

  function* emit(bytes: Buffer, start: number): Generator<SourceRecord> {
    line++;
    let text = bytes.toString('utf8');
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return;
    index++;
    const at = { line, offset: start, index };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { ...at, fields: null, declaredTable: null, problem: jsonProblem(error), rawText: text };
      return;
    }
    yield recordFromJson(value, keys, at, () => text);
  }

  for await (const chunk of content) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, from);
      if (nl < 0) break;
      const piece = chunk.subarray(from, nl);
      const bytes = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
      const start = carry.length > 0 ? carryStart : offset + from;
      carry = [];
      yield* emit(bytes, start);
      from = nl + 1;
    }
    if (from < chunk.length) {
      if (carry.length === 0) carryStart = offset + from;
      carry.push(chunk.subarray(from));
    }
    offset += chunk.length;
  }
  if (carry.length > 0) yield* emit(Buffer.concat(carry), carryStart);
}
