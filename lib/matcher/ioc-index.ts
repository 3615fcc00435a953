import type { IocEntry } from '../report/report.js';

/**
 * IOCs by a key (an address, a domain, a hash), in set order. A key most
 * often names one IOC: it is held as itself, a list only from the second
 * on. (A list for each of a 100,000-IOC feed's keys was 7 MB of the scan's
 * memory.) A lookup that finds one makes its one-IOC list then: only a value
 * that is an IOC's is found. (An IOC is never a list: what a key holds
 * says which it is.)
 */
export class IocIndex<K, I extends Pick<IocEntry, 'ip'>> {
  private readonly byKey = new Map<K, I | I[]>();

  add(key: K, ioc: I): void {
    const held = this.byKey.get(key);
    if (held === undefined) this.byKey.set(key, ioc);
    else if (Array.isArray(held)) held.push(ioc);
    else this.byKey.set(key, [held, ioc]);
  }

  /** The IOCs under `key`, in set order; undefined when none. */
  get(key: K): readonly I[] | undefined {
    const held = this.byKey.get(key);
    return held === undefined || Array.isArray(held) ? held : [held];
  }

  keys(): IterableIterator<K> {
    return this.byKey.keys();
  }

  get size(): number {
    return this.byKey.size;
  }
}
