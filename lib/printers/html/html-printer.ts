import type { ReportStream } from '../../report/report-stream.js';
import { count } from '../text-layout.js';
import { SeenTimes } from '../seen-times.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { escapeMarkup, jsonForScriptPieces } from './escape.js';
import { HITS_AT_MOST, HITS_PER_IOC, HitDataBuilder, type HitLimits } from './hit-data.js';
import { PAGE_STYLE } from './page-style.js';
import { page } from './page-template.js';
import { devicesHtml, errorsHtml, evidenceHtml, headerHtml, summaryHtml } from './sections.js';
import { TimelineBuilder, timelineHtml } from './timeline.js';

// `--format html`: one self-contained page for people who will not read a
// terminal dump. It renders the report only, like every printer. The parts a
// reader needs first (header, summary, timeline, devices, errors, evidence)
// are plain HTML; the hits table is drawn by the page's script from compact
// JSON, a page at a time, so 100,000 hits still open in seconds. The summary,
// timeline and device counts cover every hit; the table holds the newest
// HITS_PER_IOC of each IOC (HITS_AT_MOST in all), and the page says so when
// it leaves some out. The hits part of the page is at most that big; the
// IOCs in force are not (a row, a count and a name each, for 100,000 of them),
// so the page is written in pieces as its sections are made.

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export async function* printHtml(report: ReportStream, limits: HitLimits = { perIoc: HITS_PER_IOC, atMost: HITS_AT_MOST }): AsyncGenerator<string> {
  const { head } = report;
  const { summary } = head;
  const total = report.counts.active + report.counts.suppressed;
  const data = new HitDataBuilder(head.iocs, limits);
  const chart = new TimelineBuilder(head.iocs);
  const seenActive = new SeenTimes();
  const seenSuppressed = new SeenTimes();
  for await (const hit of report.hits()) {
    data.add(hit);
    chart.measure(hit);
    (hit.suppressedBy === null ? seenActive : seenSuppressed).add(hit);
  }
  if (chart.needsCounts) for await (const hit of report.hits()) chart.count(hit);

  const hitData = data.data();
  const held = hitData.rows.length;
  const leftOut =
    data.leftOut === 0
      ? undefined
      : {
          held: count(held),
          total: count(total),
          note: `This page holds the newest ${count(limits.perIoc)} hits of each IOC (at most ${count(limits.atMost)} in all): ${plural(data.leftOut, 'hit')} of ${count(total)} ${data.leftOut === 1 ? 'is' : 'are'} left out of the table below, though counted in the summary, the timeline and the devices. Every hit is in the other formats: run again with --format json, ndjson or csv.`,
        };
  const title = `${head.tool.name}: ${plural(summary.hits, 'active hit')}, ${count(summary.suppressed)} suppressed, ${plural(summary.errors, 'error')} (${head.finishedAt})`;
  yield* page({
    title: escapeMarkup(title),
    header: headerHtml(head),
    summary: summaryHtml(head, seenActive, seenSuppressed),
    timeline: timelineHtml(chart.result(), total),
    devices: devicesHtml(hitData),
    totalHits: count(total),
    leftOut,
    errors: errorsHtml(head),
    evidence: evidenceHtml(head),
    hitData: jsonForScriptPieces({ ...hitData }),
    style: PAGE_STYLE,
    script: CLIENT_SCRIPT,
  });
}
