import { readIndicatorValue, type Expectation, type IndicatorValue } from './indicator.js';
import { refang } from './defang.js';
import { threatFoxExpectation, type IocRow } from './ioc-rows.js';

// What each IOC row is: an indicator of one kind (indicator.ts), a type of
// the source's that no kind covers (counted apart under that type, never
// silently dropped), or a value that is not what its source says (a bad
// line). Every indicator is looked for, by the matcher of its kind
// (lib/matcher/). A URL is a URL IOC, even on an IP address: its host is
// matched as the weaker "host of a URL IOC" (docs/hits.md).

export type Classified =
  | {
      kind: 'indicator';
      indicator: IndicatorValue;
      /** The IOC as written, refanged. */
      value: string;
    }
  | { kind: 'not-applicable'; type: string }
  | { kind: 'bad'; message: string };

const EXPECTED_TEXT: Record<Expectation, string> = {
  any: 'an IP, ip:port, URL, domain or hash',
  address: 'an IP address, ip:port or CIDR range',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidr: 'a CIDR range',
  domain: 'a domain name',
  url: 'a URL',
  md5: 'an MD5 hash',
  sha1: 'a SHA-1 hash',
  sha256: 'a SHA-256 hash',
  hash: 'an MD5, SHA-1 or SHA-256 hash',
};

export function classifyIoc(row: IocRow): Classified {
  const value = refang(row.value);
  const expect = row.expect === undefined ? threatFoxExpectation(row.type) : row.expect;
  if (expect === null) return { kind: 'not-applicable', type: (row.type ?? 'unknown').toLowerCase() };
  const indicator = readIndicatorValue(value, expect);
  if (!indicator) {
    const what = EXPECTED_TEXT[expect];
    return { kind: 'bad', message: row.type === null ? `"${row.value}" is not ${what}` : `"${row.value}" is typed ${row.type} but is not ${what}` };
  }
  return { kind: 'indicator', indicator, value };
}
