import { isUtf8 } from 'node:buffer';
import { CsvLayout, NOT_UTF8 } from './record-fields.js';
import type { SourceRecord } from '../record/source-record.js';
import { malformed, type Provenance } from './json-record.js';
import { MAX_RECORD_BYTES } from './csv-framer.js';
import type { ReaderChannel } from './reader-channel.js';
import { BoundedBytes, tooLargeProblem } from './bounded-bytes.js';
import { QUOTE, BACKSLASH, LF, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE, COMMA, COLON, isSpace } from './json-bytes.js';

// A Log Analytics query answer, as the REST API (`az rest`, Invoke-RestMethod)
// returns it: {"tables":[{"name":"PrimaryResult","columns":[{"name","type"}…],
// "rows":[[…],[…]]}]}. Azure Data Explorer's v1 answer is the same with
// capitalised keys ("Tables", "Columns" of {"ColumnName"}, "Rows"). The
// column list is the header; each row is one record whose fields are the
// columns, carrying the line and byte offset of its `[`.
//
// The answer is never parsed whole (it may be gigabytes on one line): a small
// byte scanner walks the few outer levels (answer, table list, table, row
// list) with a stack of four frames at most, and every other value is
// skipped or held alone, so memory is one row, never the answer.

const UNICODE_ESCAPE = Buffer.from('\\u');

/** The outer levels the scanner walks; any other value is skipped whole. */
type Level = 'answer' | 'tables' | 'table' | 'rows';
interface Frame {
  level: Level;
  /** key: an object wants a key or its end; colon; value; next: a `,` or the end. */
  expect: 'key' | 'colon' | 'value' | 'next';
  key: string;
}

/** What a value being scanned is for. */
type Purpose = 'skip' | 'columns' | 'row' | 'error' | 'key';

/** A key longer than this is no key the scanner looks for: it is still scanned, not kept. */
const MAX_KEY_BYTES = 64;

function columnNames(bytes: Buffer): string[] | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `the column list is not valid JSON (${(error as Error).message})`;
  }
  if (!Array.isArray(value)) return 'the column list is not a JSON array';
  const names: string[] = [];
  for (const column of value) {
    const name = typeof column === 'object' && column !== null ? ((column as Record<string, unknown>).name ?? (column as Record<string, unknown>).ColumnName) : undefined;
    if (typeof name !== 'string' || name === '') return `column ${names.length + 1} of the list has no name`;
    names.push(name);
  }
  return names;
}

/** A key as JSON spells it (escapes decoded), lower case; a key too long to be one the scanner looks for is ''. */
function keyText(bytes: number[]): string {
  if (bytes.length > MAX_KEY_BYTES) return '';
  try {
    return (JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string).toLowerCase();
  } catch {
    return '';
  }
}

/** A cell as text, as the CSV export would write it: null empty, numbers and booleans as written, objects as JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The service's own words when the answer says the query failed or is partial (`PartialError`), kept short. */
function answerError(bytes: Buffer): string {
  let code = 'unknown';
  let message = '';
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    if (typeof value?.code === 'string') code = value.code;
    if (typeof value?.message === 'string') message = value.message;
  } catch {
    // the error entry itself is damaged: its code stays unknown
  }
  const said = `${code}${message ? `: ${message}` : ''}`;
  return `the query answer reports an error (${said.length > 200 ? `${said.slice(0, 200)}…` : said}); its rows may be only part of the query's result`;
}

export async function* readQueryAnswer(content: AsyncIterable<Buffer>, channel: ReaderChannel, maxRecordBytes = MAX_RECORD_BYTES): AsyncGenerator<SourceRecord> {
  const stack: Frame[] = [];
  let started = false;
  let finished = false;
  /** Set once the text stops being an answer: the rest is only searched for IOC text. */
  let damaged = false;
  let sawTables = false;
  let layout: CsvLayout | null = null;
  let typed = false;

  // the value being scanned
  let purpose: Purpose | null = null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false;
  let keyBytes: number[] = [];
  const held = new BoundedBytes(channel.search, maxRecordBytes);
  let valueStart: Provenance = { line: 0, offset: 0, index: 0 };

  let line = 1;
  let offset = 0;
  let index = 0;

  const top = () => stack[stack.length - 1];

  function row(taken: ReturnType<BoundedBytes['take']>, at: Provenance): SourceRecord | null {
    if ('tooLarge' in taken) return malformed(at, tooLargeProblem(maxRecordBytes), taken.tooLarge);
    const bytes = taken.bytes;
    if (layout === null) return malformed(at, 'a row before the answer\'s column list: its columns are unknown', channel.search.find(bytes));
    // The fast path counts a row it can prove holds no IOC: clean UTF-8, no
    // `\u` escape (the one JSON escape that can spell a digit or a dot), no IOC text.
    if (!channel.fullParse && !bytes.includes(UNICODE_ESCAPE) && !bytes.includes(0) && isUtf8(bytes) && channel.search.find(bytes).size === 0) return null;
    if (!isUtf8(bytes)) return malformed(at, NOT_UTF8, channel.search.find(bytes));
    let cells: unknown;
    try {
      cells = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return malformed(at, `invalid JSON (${(error as Error).message})`, channel.search.find(bytes));
    }
    if (!Array.isArray(cells)) return malformed(at, 'a row is not a JSON array', channel.search.find(bytes));
    if (cells.length !== layout.names.length) return malformed(at, `row has ${cells.length} values, the column list has ${layout.names.length}`, channel.search.find(bytes));
    const fields = layout.fields(cells.map(cellText));
    return { ...at, fields, declaredTable: typed ? fields.get('type') : null };
  }

  /** The value just scanned is complete: act on it; a row may come out. */
  function finishValue(): SourceRecord | null {
    const done = purpose;
    purpose = null;
    const frame = top();
    if (done === 'key') {
      frame.key = keyText(keyBytes);
      frame.expect = 'colon';
      return null;
    }
    frame.expect = 'next';
    if (done === 'row') {
      index++;
      return row(held.take(), { ...valueStart, index });
    }
    if (done === 'columns') {
      const taken = held.take();
      const names = 'tooLarge' in taken ? 'the column list is too large to read' : columnNames(taken.bytes);
      if (typeof names === 'string') {
        channel.error(valueStart.line, `${names}: the rows after it cannot be matched to columns`);
        layout = null;
      } else {
        layout = new CsvLayout(names);
        typed = layout.has('type');
        channel.header?.(names);
      }
    } else if (done === 'error') {
      const taken = held.take();
      channel.error(valueStart.line, answerError('tooLarge' in taken ? Buffer.from('{}') : taken.bytes));
    }
    return null;
  }

  /** A value starts at `byte` (at `at`) inside the top frame: push a level, or scan the value for what it is. */
  function startValue(byte: number, at: Provenance): void {
    const frame = top();
    const key = frame.key;
    frame.expect = 'next';
    if (frame.level === 'answer' && key === 'tables' && byte === OPEN_BRACKET) {
      sawTables = true;
      stack.push({ level: 'tables', expect: 'value', key: '' });
      return;
    }
    if (frame.level === 'tables' && byte === OPEN_BRACE) {
      stack.push({ level: 'table', expect: 'key', key: '' });
      return;
    }
    if (frame.level === 'table' && key === 'rows' && byte === OPEN_BRACKET) {
      stack.push({ level: 'rows', expect: 'value', key: '' });
      return;
    }
    purpose =
      frame.level === 'rows' ? 'row'
      : frame.level === 'table' && key === 'columns' ? 'columns'
      : frame.level === 'answer' && key === 'error' ? 'error'
      : 'skip';
    valueStart = at;
    depth = byte === OPEN_BRACE || byte === OPEN_BRACKET ? 1 : 0;
    inString = byte === QUOTE;
    scalar = !inString && depth === 0;
    escaped = false;
  }

  /** Not an answer from here on: said once, and the rest is searched as raw text so no IOC hides in it. */
  function damage(why: string, at: Provenance): void {
    damaged = true;
    channel.error(at.line, `${why}: the rest of the file is not read as rows, only searched for IOC addresses`);
    valueStart = at;
  }

  /** Where the structure goes wrong at `byte`, or null when it is as an answer should be. */
  function structure(byte: number, at: Provenance): string | null {
    if (!started) {
      if (byte !== OPEN_BRACE) return 'not a query answer (it does not start with `{`)';
      started = true;
      stack.push({ level: 'answer', expect: 'key', key: '' });
      return null;
    }
    if (finished) return 'text after the end of the query answer';
    const frame = top();
    const objectLevel = frame.level === 'answer' || frame.level === 'table';
    const close = objectLevel ? CLOSE_BRACE : CLOSE_BRACKET;
    // an empty object or list closes where its first key or value would be
    if (byte === close && (frame.expect === 'next' || frame.expect === (objectLevel ? 'key' : 'value'))) {
      stack.pop();
      if (stack.length === 0) finished = true;
      return null;
    }
    switch (frame.expect) {
      case 'next':
        if (byte !== COMMA) return `not a well-formed query answer here (\`,\` or the end of a list was expected)`;
        frame.expect = objectLevel ? 'key' : 'value';
        return null;
      case 'key':
        if (byte !== QUOTE) return 'not a well-formed query answer here (a key was expected)';
        purpose = 'key';
        keyBytes = [];
        inString = true;
        scalar = false;
        depth = 0;
        escaped = false;
        return null;
      case 'colon':
        if (byte !== COLON) return 'not a well-formed query answer here (`:` was expected)';
        frame.expect = 'value';
        return null;
      case 'value':
        if (byte === COMMA || byte === COLON || byte === CLOSE_BRACE || byte === CLOSE_BRACKET) return 'not a well-formed query answer here (a value was expected)';
        startValue(byte, at);
        return null;
    }
  }

  try {
    for await (const chunk of content) {
      if (damaged) {
        // from the damage on, bytes are only searched
        held.add(chunk);
        offset += chunk.length;
        continue;
      }
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (purpose !== null) {
          // inside a value: find where it ends
          let ends = false;
          if (scalar) {
            if (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || isSpace(byte)) {
              if (purpose !== 'skip') held.add(chunk.subarray(from, i));
              const record = finishValue();
              if (record) yield record;
              i--; // the delimiter belongs to the level around the value
              continue;
            }
          } else if (inString) {
            if (escaped) escaped = false;
            else if (byte === BACKSLASH) escaped = true;
            else if (byte === QUOTE) inString = false;
            if (purpose === 'key' && inString && keyBytes.length <= MAX_KEY_BYTES) keyBytes.push(byte);
            ends = !inString && depth === 0;
          } else if (byte === QUOTE) inString = true;
          else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
          else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) ends = --depth === 0;
          if (byte === LF) line++;
          if (ends) {
            if (purpose !== 'skip' && purpose !== 'key') held.add(chunk.subarray(from, i + 1));
            const record = finishValue();
            if (record) yield record;
          }
          continue;
        }
        if (byte === LF) line++;
        if (isSpace(byte)) continue;
        // a BOM before the answer is not damage
        if (!started && offset + i < 3 && (byte === 0xef || byte === 0xbb || byte === 0xbf)) continue;
        const at = { line, offset: offset + i, index: 0 };
        const wrong = structure(byte, at);
        if (wrong !== null) {
          damage(wrong, at);
          held.add(chunk.subarray(i));
          break;
        }
        if (purpose !== null) from = i;
      }
      if (!damaged && purpose !== null && purpose !== 'skip' && purpose !== 'key') held.add(chunk.subarray(from));
      offset += chunk.length;
      if (channel.progress) channel.progress.lineFeeds = line - 1;
    }
  } catch (error) {
    // the content itself failed (corrupt or cut gzip): a row being read is cut off
    if (purpose === 'row') {
      index++;
      yield malformed({ ...valueStart, index }, 'record cut off where the data ends', held.takeFound());
    }
    channel.counted?.(index);
    throw error;
  }

  if (damaged) {
    const found = held.takeFound();
    if (found.size > 0) {
      index++;
      yield malformed({ ...valueStart, index }, 'IOC text in the damaged part of the query answer', found);
    }
  } else if (purpose === 'row') {
    index++;
    yield malformed({ ...valueStart, index }, 'the query answer ends inside this row (file cut short?)', held.takeFound());
  } else if (!started) {
    channel.error(1, 'no query answer found (the file is empty)');
  } else if (!finished) {
    channel.error(line, 'the query answer is never closed (file cut short?)');
  }
  if (started && !sawTables && !damaged) channel.error(1, 'no "tables" list in this query answer: nothing to read');
  channel.counted?.(index);
}
