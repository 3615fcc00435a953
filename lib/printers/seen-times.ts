import type { Hit } from '../report/report.js';

/** First and last time among some hits, and how many have none: gathered as the hits stream past. */
export class SeenTimes {
  hits = 0;
  untimed = 0;
  first: string | null = null;
  last: string | null = null;

  add(hit: Hit): void {
    this.hits++;
    const time = hit.time;
    if (time === null) {
      this.untimed++;
      return;
    }
    if (this.first === null || time < this.first) this.first = time;
    if (this.last === null || time > this.last) this.last = time;
  }
}
