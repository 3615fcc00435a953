import type { Ioc, IocSet } from './ioc-set.js';

// A malformed record has no fields to compare, only text. An IOC IP counts in
// it only as a whole address: not inside `179.43.139.840` or `1179.43.139.84`.

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function standsAlone(text: string, at: number, length: number): boolean {
  const before = text[at - 1];
  const after = text[at + length];
  if (isDigit(before) || (before === '.' && isDigit(text[at - 2]))) return false;
  if (isDigit(after) || (after === '.' && isDigit(text[at + length + 1]))) return false;
  return true;
}

/** Each IOC whose IP appears in the text as a whole address, in IOC-set order. */
export function iocsInText(text: string, iocs: IocSet): Ioc[] {
  const found: Ioc[] = [];
  for (const ip of iocs.ips) {
    let at = text.indexOf(ip);
    while (at >= 0) {
      if (standsAlone(text, at, ip.length)) {
        found.push(iocs.lookup(ip)![0]);
        break;
      }
      at = text.indexOf(ip, at + 1);
    }
  }
  return found;
}
