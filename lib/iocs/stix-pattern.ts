import { readIndicatorValue, type Expectation } from './indicator.js';

// The part of the STIX 2.1 patterning language that names IOCs this tool can
// look for, read without recursion (a pattern comes from a feed, and feeds
// can be hostile): a tokenizer, a shunting-yard pass to postfix, and a
// postfix evaluation into OR-of-ANDs, all loops over bounded lists.
//
// Used: observation expressions `[...]` joined by OR; inside one,
// comparisons joined by AND, OR and parentheses, where each alternative
// (each AND-group of the OR-of-ANDs) is one of
//   ipv4-addr:value / ipv6-addr:value = address or CIDR (ISSUBSET CIDR too)
//   domain-name:value = name, url:value = URL
//   file:hashes.MD5 / 'SHA-1' / 'SHA-256' = hash
//   network-traffic:dst_ref.value = address or name, alone or AND
//     network-traffic:dst_port = port (becomes ip:port), optionally AND
//     network-traffic:dst_ref.type = '…'
// with `IN ('a', 'b')` read as the OR of its values. Every other alternative
// is reported as not used (a dropped AND-part would widen the IOC, so an
// alternative is used whole or not at all); observation operators (AND,
// FOLLOWEDBY) and qualifiers (WITHIN, REPEATS, START/STOP) leave the whole
// pattern unused.

export interface PatternIoc {
  /** The object path (or `network-traffic` for address AND port), as the IOC's source type. */
  type: string;
  value: string;
  expect: Expectation;
}

export type PatternReading = { iocs: PatternIoc[]; notUsed: string[] } | { error: string };

const MAX_PATTERN = 16384;
const MAX_ALTERNATIVES = 512;

type Token =
  | { t: 'path'; text: string }
  | { t: 'str'; text: string }
  | { t: 'num'; text: string }
  | { t: 'other'; text: string } // t'…', b'…', h'…' literals, true/false
  | { t: 'op'; text: string } // = != <> < > <= >=
  | { t: 'word'; text: string } // AND OR NOT IN LIKE MATCHES ISSUBSET ISSUPERSET EXISTS FOLLOWEDBY WITHIN …
  | { t: 'punct'; text: string }; // [ ] ( ) ,

function quoted(pattern: string, start: number): { text: string; end: number } | null {
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      text += pattern[i + 1];
      i += 2;
    } else if (ch === "'") {
      return { text, end: i + 1 };
    } else {
      text += ch;
      i++;
    }
  }
  return null;
}

/** Object path: `type:prop`, then `.prop`, `.'quoted key'`, `[n]` or `[*]`. */
function objectPath(pattern: string, start: number): { text: string; end: number } | null {
  const head = /^[a-z0-9][a-z0-9-]*:[A-Za-z_][A-Za-z0-9_-]*/.exec(pattern.slice(start, start + 300));
  if (!head) return null;
  let i = start + head[0].length;
  let text = head[0];
  for (;;) {
    const rest = pattern.slice(i, i + 300);
    const step = /^(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[(?:\d+|\*)\])/.exec(rest);
    if (step) {
      text += step[0];
      i += step[0].length;
    } else if (rest.startsWith(".'")) {
      const key = quoted(pattern, i + 1);
      if (!key) return null;
      text += `.'${key.text}'`;
      i = key.end;
    } else {
      return { text, end: i };
    }
  }
}

function tokenize(pattern: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ('[](),'.includes(ch)) {
      tokens.push({ t: 'punct', text: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      const s = quoted(pattern, i);
      if (!s) return null;
      tokens.push({ t: 'str', text: s.text });
      i = s.end;
      continue;
    }
    const op = /^(?:!=|<>|<=|>=|=|<|>)/.exec(pattern.slice(i, i + 2));
    if (op) {
      tokens.push({ t: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    if (/^[tbh]'/.test(pattern.slice(i, i + 2))) {
      const s = quoted(pattern, i + 1);
      if (!s) return null;
      tokens.push({ t: 'other', text: `${ch}'${s.text}'` });
      i = s.end;
      continue;
    }
    const path = objectPath(pattern, i);
    if (path) {
      tokens.push({ t: 'path', text: path.text });
      i = path.end;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(pattern.slice(i, i + 40));
    if (num) {
      tokens.push({ t: 'num', text: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z]+/.exec(pattern.slice(i, i + 40));
    if (!word) return null;
    const upper = word[0].toUpperCase();
    tokens.push(upper === 'TRUE' || upper === 'FALSE' ? { t: 'other', text: word[0] } : { t: 'word', text: upper });
    i += word[0].length;
  }
  return tokens;
}

interface Comparison {
  path: string;
  op: string;
  value: Token;
}

type Postfix = Comparison | 'AND' | 'OR';

/** One observation's tokens as postfix comparisons and operators; IN becomes an OR of `=`. */
function toPostfix(tokens: Token[]): Postfix[] | string {
  const out: Postfix[] = [];
  const ops: Array<'AND' | 'OR' | '('> = [];
  const precedence = { OR: 1, AND: 2 };
  let i = 0;
  let expectOperand = true;
  while (i < tokens.length) {
    const tok = tokens[i];
    if (expectOperand) {
      if (tok.t === 'punct' && tok.text === '(') {
        ops.push('(');
        i++;
        continue;
      }
      if (tok.t !== 'path') return `a comparison must start with an object path, not "${tok.text}"`;
      const negated = tokens[i + 1]?.t === 'word' && tokens[i + 1].text === 'NOT';
      const opTok = tokens[i + (negated ? 2 : 1)];
      if (!opTok) return 'a comparison without operator';
      const op = `${negated ? 'NOT ' : ''}${opTok.text}`;
      i += negated ? 3 : 2;
      if (opTok.t === 'word' && opTok.text === 'IN') {
        if (tokens[i]?.text !== '(') return 'IN without its list';
        i++;
        let first = true;
        for (;;) {
          const value = tokens[i];
          if (!value || value.t === 'punct') return 'a broken IN list';
          out.push({ path: tok.text, op: negated ? op : '=', value });
          if (!first) out.push('OR');
          first = false;
          i++;
          if (tokens[i]?.text === ',') i++;
          else if (tokens[i]?.text === ')') break;
          else return 'a broken IN list';
        }
        i++;
      } else {
        const value = tokens[i];
        if (!value || value.t === 'punct' || value.t === 'word' || value.t === 'path') return `no value after ${op}`;
        out.push({ path: tok.text, op, value });
        i++;
      }
      expectOperand = false;
      continue;
    }
    if (tok.t === 'punct' && tok.text === ')') {
      while (ops.length > 0 && ops[ops.length - 1] !== '(') out.push(ops.pop() as 'AND' | 'OR');
      if (ops.pop() !== '(') return 'unbalanced parentheses';
      i++;
      continue;
    }
    if (tok.t === 'word' && (tok.text === 'AND' || tok.text === 'OR')) {
      const op = tok.text;
      while (ops.length > 0 && ops[ops.length - 1] !== '(' && precedence[ops[ops.length - 1] as 'AND' | 'OR'] >= precedence[op]) out.push(ops.pop() as 'AND' | 'OR');
      ops.push(op);
      expectOperand = true;
      i++;
      continue;
    }
    return `"${tok.text}" where AND, OR or ) was expected`;
  }
  if (expectOperand) return 'an incomplete comparison expression';
  while (ops.length > 0) {
    const op = ops.pop()!;
    if (op === '(') return 'unbalanced parentheses';
    out.push(op);
  }
  return out;
}

/** Postfix to OR-of-ANDs, refusing more alternatives than a feed entry can sensibly mean. */
function alternatives(postfix: Postfix[]): Comparison[][] | string {
  const stack: Comparison[][][] = [];
  for (const item of postfix) {
    if (item !== 'AND' && item !== 'OR') {
      stack.push([[item]]);
      continue;
    }
    const right = stack.pop();
    const left = stack.pop();
    if (!left || !right) return 'a broken comparison expression';
    if (item === 'OR') {
      if (left.length + right.length > MAX_ALTERNATIVES) return `more than ${MAX_ALTERNATIVES} alternatives`;
      stack.push([...left, ...right]);
    } else {
      if (left.length * right.length > MAX_ALTERNATIVES) return `more than ${MAX_ALTERNATIVES} alternatives`;
      stack.push(left.flatMap((a) => right.map((b) => [...a, ...b])));
    }
  }
  return stack.length === 1 ? stack[0] : 'a broken comparison expression';
}

const HASH_KEYS: Record<string, Expectation> = { md5: 'md5', 'sha-1': 'sha1', sha1: 'sha1', 'sha-256': 'sha256', sha256: 'sha256' };

/** What a single `path = value` comparison names, or null. */
function single(c: Comparison): PatternIoc | null {
  if (c.value.t !== 'str') return null;
  const value = c.value.text;
  const path = c.path;
  if (c.op === 'ISSUBSET') {
    const range = path === 'ipv4-addr:value' || path === 'ipv6-addr:value' || path === 'network-traffic:dst_ref.value';
    return range ? { type: path, value, expect: 'cidr' } : null;
  }
  if (c.op !== '=') return null;
  if (path === 'ipv4-addr:value' || path === 'ipv6-addr:value') return { type: path, value, expect: 'address' };
  if (path === 'domain-name:value') return { type: path, value, expect: 'domain' };
  if (path === 'url:value') return { type: path, value, expect: 'url' };
  if (path === 'network-traffic:dst_ref.value') {
    return { type: path, value, expect: readIndicatorValue(value, 'address') ? 'address' : 'domain' };
  }
  const hash = /^file:hashes\.'?([A-Za-z0-9-]+)'?$/.exec(path);
  const expect = hash ? HASH_KEYS[hash[1].toLowerCase()] : undefined;
  return expect ? { type: path, value, expect } : null;
}

/** An AND-group: one comparison, or a network-traffic destination AND its port (AND its ref type). */
function alternative(group: Comparison[]): PatternIoc | null {
  if (group.length === 1) return single(group[0]);
  let address: PatternIoc | null = null;
  let port: number | null = null;
  for (const c of group) {
    if (c.path === 'network-traffic:dst_ref.value' && address === null) {
      address = single(c);
      if (!address) return null;
    } else if (c.path === 'network-traffic:dst_port' && c.op === '=' && c.value.t === 'num' && port === null) {
      port = Number(c.value.text);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
    } else if (c.path === 'network-traffic:dst_ref.type' && c.op === '=' && c.value.t === 'str') {
      // says what dst_ref is; the value's own shape says the same
    } else {
      return null;
    }
  }
  if (address === null) return null;
  if (port === null) return address;
  if (address.expect === 'cidr') return null; // a range with a port is no IOC kind of ours
  const host = readIndicatorValue(address.value, address.expect);
  if (!host || host.kind === 'cidr') return null;
  const written = host.kind === 'ipv6' ? `[${host.value}]` : host.value;
  return { type: 'network-traffic', value: `${written}:${port}`, expect: address.expect };
}

function describe(group: Comparison[]): string {
  return group.map((c) => `${c.path} ${c.op} ${c.value.t === 'str' ? `'${c.value.text}'` : c.value.text}`).join(' AND ');
}

export function readStixPattern(pattern: string): PatternReading {
  if (pattern.length > MAX_PATTERN) return { error: `a pattern of ${pattern.length} characters (at most ${MAX_PATTERN} are read)` };
  const tokens = tokenize(pattern);
  if (!tokens) return { error: 'not a STIX pattern (an unclosed quote or an unknown character)' };
  // top level: observation expressions joined by OR, parentheses allowed
  const observations: Token[][] = [];
  let depth = 0;
  let i = 0;
  let expectObservation = true;
  while (i < tokens.length) {
    const tok = tokens[i];
    if (tok.t === 'punct' && tok.text === '[' && expectObservation) {
      let close = i + 1;
      while (close < tokens.length && !(tokens[close].t === 'punct' && (tokens[close].text === ']' || tokens[close].text === '['))) close++;
      if (close >= tokens.length || tokens[close].text !== ']') return { error: 'an observation expression without its closing ]' };
      observations.push(tokens.slice(i + 1, close));
      i = close + 1;
      expectObservation = false;
    } else if (tok.t === 'punct' && tok.text === '(' && expectObservation) {
      depth++;
      i++;
    } else if (tok.t === 'punct' && tok.text === ')' && !expectObservation && depth > 0) {
      depth--;
      i++;
    } else if (tok.t === 'word' && tok.text === 'OR' && !expectObservation) {
      expectObservation = true;
      i++;
    } else {
      return { error: `"${tok.text}" between observation expressions (only OR of [ … ] is used: AND, FOLLOWEDBY and qualifiers are not)` };
    }
  }
  if (expectObservation || depth !== 0) return { error: 'an incomplete pattern' };
  const iocs: PatternIoc[] = [];
  const notUsed: string[] = [];
  for (const observation of observations) {
    const postfix = toPostfix(observation);
    if (typeof postfix === 'string') return { error: postfix };
    const groups = alternatives(postfix);
    if (typeof groups === 'string') return { error: groups };
    for (const group of groups) {
      const ioc = alternative(group);
      if (ioc) iocs.push(ioc);
      else notUsed.push(describe(group));
    }
  }
  return { iocs, notUsed };
}
