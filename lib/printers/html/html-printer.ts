import type { Report } from '../../report/report.js';
import { count } from '../text-layout.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { escapeMarkup, jsonForScript } from './escape.js';
import { hitData } from './hit-data.js';
import { PAGE_STYLE } from './page-style.js';
import { page } from './page-template.js';
import { devicesHtml, errorsHtml, evidenceHtml, headerHtml, summaryHtml } from './sections.js';
import { timeline, timelineHtml } from './timeline.js';

// `--format html`: one self-contained page for people who will not read a
// terminal dump. It renders the Report only, like every printer. The parts a
// reader needs first (header, summary, timeline, devices, errors, evidence)
// are plain HTML; the hits table is drawn by the page's script from compact
// JSON, a page at a time, so 100,000 hits still open in seconds.

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function printHtml(report: Report): string {
  const { summary } = report;
  const data = hitData(report);
  const title = `${report.tool.name}: ${plural(summary.hits, 'active hit')}, ${count(summary.suppressed)} suppressed, ${plural(summary.errors, 'error')} (${report.finishedAt})`;
  return page({
    title: escapeMarkup(title),
    header: headerHtml(report),
    summary: summaryHtml(report),
    timeline: timelineHtml(timeline(report), report.hits.length),
    devices: devicesHtml(data),
    totalHits: count(report.hits.length),
    errors: errorsHtml(report),
    evidence: evidenceHtml(report),
    hitData: jsonForScript(data),
    style: PAGE_STYLE,
    script: CLIENT_SCRIPT,
  });
}
