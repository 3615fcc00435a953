import { JsonKeyCache } from './record-fields.js';
import type { SourceRecord } from '../record/source-record.js';
import { malformed, recordFromJson } from './json-record.js';
import { MAX_RECORD_BYTES } from './csv-framer.js';
import type { ReaderChannel } from './reader-channel.js';
import { BoundedBytes, tooLargeProblem } from './bounded-bytes.js';
import { QUOTE, BACKSLASH, LF, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE, COMMA, isSpace } from './json-bytes.js';

// A JSON array of records, pretty-printed or on one line, or the array held
// by an Event Hub `{"records": […]}` object. The array is never parsed whole:
// a small byte scanner finds where each element starts and ends (tracking
// strings and nesting), so each element is parsed alone and carries the line
// and byte offset of its opening brace. An element that fails to parse is one
// malformed record; its neighbours are unaffected.


type Phase = 'before' | 'between' | 'element' | 'after';

export async function* readJsonArray(content: AsyncIterable<Buffer>, channel: ReaderChannel, maxRecordBytes = MAX_RECORD_BYTES): AsyncGenerator<SourceRecord> {
  const keys = new JsonKeyCache();
  /** before: looking for the array's `[`; between: inside it, between elements; element: inside one; after: done. */
  let phase = 'before' as Phase;
  let depth = 0; // nesting inside the current element
  let inString = false;
  let escaped = false;
  let line = 1;
  let offset = 0;
  let index = 0;
  const held = new BoundedBytes(channel.search, maxRecordBytes);
  let elementStart = { line: 0, offset: 0 };
  let readOnAfterEnd = false;

  function finish(): SourceRecord {
    index++;
    const at = { line: elementStart.line, offset: elementStart.offset, index };
    const taken = held.take();
    return 'tooLarge' in taken ? malformed(at, tooLargeProblem(maxRecordBytes), taken.tooLarge) : recordFromJson(taken.bytes, keys, at, channel.search);
  }

  try {
  for await (const chunk of content) {
    let elementFrom = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF) line++;
      if (phase === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
          continue;
        }
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET || (depth === 0 && byte === COMMA)) {
          // a scalar element ends at the comma or bracket after it
          const scalarEnd = depth === 0;
          if (!scalarEnd) depth--;
          if (scalarEnd || depth === 0) {
            held.add(chunk.subarray(elementFrom, scalarEnd ? i : i + 1));
            phase = 'between';
            yield finish();
            if (scalarEnd && byte === CLOSE_BRACKET) phase = 'after';
          }
        }
        continue;
      }
      if (phase === 'before') {
        if (byte === OPEN_BRACKET) phase = 'between';
        continue;
      }
      if (phase === 'after') {
        // a closed array (or the Event Hub object around it) should end the
        // text; anything more is damage, and records after it are still read
        if (isSpace(byte) || byte === CLOSE_BRACE) continue;
        if (!readOnAfterEnd) channel.error(line, 'text after the end of the JSON array; read on as more records');
        readOnAfterEnd = true;
        phase = 'between';
      }
      if (phase === 'between') {
        if (isSpace(byte) || byte === COMMA) continue;
        if (byte === CLOSE_BRACKET) {
          phase = 'after';
          continue;
        }
        phase = 'element';
        elementStart = { line, offset: offset + i };
        elementFrom = i;
        depth = byte === OPEN_BRACE || byte === OPEN_BRACKET ? 1 : 0;
        inString = byte === QUOTE;
        escaped = false;
      }
    }
    if (phase === 'element') held.add(chunk.subarray(elementFrom));
    offset += chunk.length;
    if (channel.progress) channel.progress.lineFeeds = line - 1;
  }
  } catch (error) {
    // the content itself failed (corrupt or cut gzip): the element being read is cut off
    if (phase === 'element') {
      index++;
      yield malformed({ line: elementStart.line, offset: elementStart.offset, index }, 'record cut off where the data ends', held.takeFound());
    }
    throw error;
  }

  if (phase === 'element') {
    index++;
    yield malformed({ line: elementStart.line, offset: elementStart.offset, index }, 'the JSON array ends inside this record (file cut short?)', held.takeFound());
  } else if (phase === 'between') {
    channel.error(line, 'the JSON array is never closed (file cut short?)');
  } else if (phase === 'before') {
    channel.error(1, 'no JSON array found');
  }
}
