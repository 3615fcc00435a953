import type { Ioc } from './ioc-set.js';

/**
 * IOCs by a key (an address, a domain, a hash), in set order. A key most
 * often names one IOC: it is held as itself, a list only from the second
 * on. (A list for each of a 100,000-IOC feed's keys was 7 MB of the scan's
 * memory.) A lookup that finds one makes its one-IOC list then: only a value
 * that is an IOC's is found.
 */
export class IocIndex<K> {
  private readonly byKey = new Map<K, Ioc | Ioc[]>();

  add(key: K, ioc: Ioc): void {
    const held = this.byKey.get(key);
    if (held === undefined) this.byKey.set(key, ioc);
    else if (Array.isArray(held)) held.push(ioc);
    else this.byKey.set(key, [held, ioc]);
  }

  /** The IOCs under `key`, in set order; undefined when none. */
  get(key: K): readonly Ioc[] | undefined {
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
