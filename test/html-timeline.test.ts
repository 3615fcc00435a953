import { expect } from 'chai';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { DNE_HEADER, ROOT, runCli, tempDir, writeFiles } from './helpers.js';
import { launch, openReport, requireBrowser, type Browser } from './browser.js';
import { densestSpan } from '../lib/printers/html/time-span.js';

// Issue 20: one hit years before the incident must not squeeze the incident
// into one 30-day bar; device names must not break mid-word; a clean report's
// big figure is not an alarm. Checked in Chromium, with the script and
// without it; screenshots are kept in test-artifacts/ (git-ignored) for a
// person to look at.

const ARTIFACTS = join(ROOT, 'test-artifacts');

const OUTLIER = '2021-03-14T09:26:53Z';
/** 24 hits, one every 90 minutes from 2026-06-01T08:00Z: the incident. */
const INCIDENT = Array.from({ length: 24 }, (_, i) => new Date(Date.parse('2026-06-01T08:00:00Z') + i * 5_400_000).toISOString());
const LONG_TOKEN = 'verylongtokenwithoutanybreakopportunity'.repeat(3);
const DEVICES = ['FINANCE-WORKSTATION-0042', 'DESKTOPQX7F3K2QAB9LONGNAME', 'build-farm-runner-number-seventeen-eu-west', 'web-9', LONG_TOKEN];

function dneRow(time: string, device: string, n: number): string {
  return [time, `d${n}`, device, 'ConnectionSuccess', '179.43.139.84', '443', '', '10.1.1.1', String(40_000 + n), 'perl', 'perl /tmp/x.pl', ''].join(',');
}

/** Where each line after the first starts, as offsets into the element's text. */
async function lineStarts(page: Page, selector: string): Promise<Array<{ text: string; starts: number[] }>> {
  return page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const node = element.firstChild!;
      const text = node.textContent ?? '';
      const range = document.createRange();
      const starts: number[] = [];
      let top: number | null = null;
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2) starts.push(i);
        top = rect.top;
      }
      return { text, starts };
    }),
  );
}

function bins(page: Page, svg: string): Promise<Array<[number, number]>> {
  return page.$$eval(`${svg} rect.bin`, (rects) => rects.map((r) => [Number((r as SVGElement).dataset.from), Number((r as SVGElement).dataset.to)] as [number, number]));
}

describe('the HTML timeline with an outlier, in a browser', function () {
  this.timeout(120_000);
  let html: string;
  let clean: string;
  const browsers: Browser[] = [];

  before(function () {
    requireBrowser(this);
    const rows = [...INCIDENT.map((t, i) => dneRow(t, DEVICES[i % DEVICES.length], i)), dneRow(OUTLIER, 'web-9', 99)];
    const evidence = writeFiles({ 'dne.csv': `${DNE_HEADER}\n${rows.join('\n')}\n`, 'quiet.csv': `${DNE_HEADER}\n${dneRow('2026-06-01T08:00:00Z', 'web-9', 1).replace('179.43.139.84', '8.8.8.8')}\n` });
    html = join(tempDir(), 'outlier.html');
    expect(runCli(['--format', 'html', '--output', html, 'dne.csv'], {}, evidence).status).to.equal(1);
    clean = join(tempDir(), 'clean.html');
    expect(runCli(['--format', 'html', '--output', clean, 'quiet.csv'], {}, evidence).status).to.equal(0);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    for (const b of browsers) await b.close();
  });

  it('opens on the span holding most hits, counts the outlier at the edge and in a note, and shows all times on request (script off)', async () => {
    const browser = await launch({ javaScript: false });
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href);
    expect(await page.evaluate(() => document.documentElement.dataset.ready)).to.equal(undefined);

    // the zoomed chart: hourly bins or finer, from the incident's first hit to its last
    expect(await page.isVisible('svg.timeline.zoomed')).to.equal(true);
    const zoomed = await bins(page, 'svg.timeline.zoomed');
    const width = zoomed[0][1] - zoomed[0][0];
    expect(width).to.be.at.most(3_600_000);
    for (const t of INCIDENT.map(Date.parse)) expect(zoomed.some(([from, to]) => t >= from && t < to), new Date(t).toISOString()).to.equal(true);
    expect(zoomed[0][0]).to.be.greaterThan(Date.parse(OUTLIER));
    expect(await page.textContent('#timeline-span')).to.match(/^Shown: 2026-06-01 0\d:\d\d to 2026-06-0\d \d\d:\d\d UTC, the span holding most hits \(24 of the 25 with a time\)\.$/);

    // the outlier: counted in the note, marked at the chart's left edge, and in the legend's totals
    expect(await page.textContent('#timeline-outside')).to.equal('1');
    expect(await page.textContent('details.all-times summary')).to.equal('1 hit outside this span (1 earlier, 0 later): show all');
    expect(await page.$$eval('svg.timeline.zoomed .beyond', (marks) => marks.map((m) => `${m.getAttribute('class')}: ${m.querySelector('text')!.textContent}`))).to.deep.equal(['beyond earlier: 1']);
    expect(await page.textContent('svg.timeline.zoomed .beyond title')).to.equal('1 active hit earlier than this span, drawn when all times are shown');
    expect(await page.$$eval('.legend li .n', (spans) => spans.map((s) => s.textContent))).to.deep.equal(['25', '0']);
    await page.locator('#timeline').screenshot({ path: join(ARTIFACTS, 'html-timeline-outlier.png') });

    // every time, one click away and without a script: the full chart reaches back to the outlier
    expect(await page.isVisible('details.all-times svg.timeline')).to.equal(false);
    await page.click('details.all-times summary');
    expect(await page.isVisible('details.all-times svg.timeline')).to.equal(true);
    const all = await bins(page, 'details.all-times svg.timeline');
    expect(all[0][0]).to.be.at.most(Date.parse(OUTLIER));
    expect(all[all.length - 1][1]).to.be.greaterThan(Date.parse(INCIDENT[INCIDENT.length - 1]));
    expect(all[0][1] - all[0][0]).to.be.greaterThan(width * 100);
    const shot = join(ARTIFACTS, 'html-timeline-outlier-all-times.png');
    await page.locator('#timeline').screenshot({ path: shot });
    expect(readFileSync(shot).subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(statSync(shot).size).to.be.greaterThan(10_000);
  });

  it('a period clicked on the zoomed chart lists its hits (script on)', async () => {
    const browser = await launch();
    browsers.push(browser);
    const page = await openReport(browser, html);
    const bin = page.locator('svg.timeline.zoomed rect.bin').first();
    await bin.dispatchEvent('click');
    expect(await page.$$eval('#hits-body td.time', (cells) => cells.map((c) => c.textContent))).to.deep.equal([INCIDENT[0]]);
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-outlier.png'), fullPage: true });
    expect(browser.errors).to.deep.equal([]);
  });

  it('breaks device names only where a word ends, unless one word is wider than its column', async () => {
    const browser = await launch({ width: 900 });
    browsers.push(browser);
    const page = await openReport(browser, html);
    const names = [...(await lineStarts(page, 'button.device')), ...(await lineStarts(page, '#hits-body td.device'))];
    expect(names.map((n) => n.text)).to.include.members(DEVICES);
    for (const { text, starts } of names) {
      if (text === LONG_TOKEN) {
        expect(starts, 'a word longer than the column wraps').not.to.be.empty;
        continue;
      }
      for (const at of starts) expect(text[at - 1], `${text} broken at ${at}`).to.match(/[-\s]/);
    }
    // the short names stand on one line
    for (const { text, starts } of names) if (text.length <= 26) expect(starts, text).to.deep.equal([]);
    // and no name runs out of its box into the next column
    expect(await page.$$eval('button.device, #hits-body td.device', (cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent))).to.deep.equal([]);
    await page.locator('#devices').screenshot({ path: join(ARTIFACTS, 'html-devices-900px.png') });
  });

  it('shows "0 active hits" as good news on a clean report, and the count in red when there are active hits', async () => {
    const browser = await launch();
    browsers.push(browser);
    const red = 'rgb(176, 0, 32)';
    const figure = async (path: string) => {
      const page = await openReport(browser, path);
      const [text, color, classes] = await page.$eval('#summary-hits', (n) => [n.textContent, getComputedStyle(n).color, n.parentElement!.className]);
      if (path === clean) await page.locator('#summary').screenshot({ path: join(ARTIFACTS, 'html-clean-summary.png') });
      await page.close();
      return { text, color, classes };
    };
    const none = await figure(clean);
    expect(none.text).to.equal('0');
    expect(none.color).not.to.equal(red);
    expect(none.classes).not.to.contain('alert');
    const some = await figure(html);
    expect(some.text).to.equal('25');
    expect(some.color).to.equal(red);
  });
});

describe('the densest span', () => {
  const hour = 3_600_000;
  // the page's bin widths, roughly: a hundredth of the span
  const widthOf = (span: number) => Math.max(1_000, span / 100);
  const times = (...ms: number[]) => Float64Array.from(ms).sort();

  it('leaves out a hit years away and keeps the incident\'s own first and last hits, however spread', () => {
    // ever wider gaps: the last three lie outside the 90% core, but within its length of it
    const incident = Array.from({ length: 30 }, (_, i) => Date.UTC(2026, 5, 1) + i * i * 60_000);
    const outlier = Date.UTC(2021, 2, 14);
    expect(densestSpan(times(outlier, ...incident), widthOf)).to.deep.equal([incident[0], incident[29]]);
    expect(densestSpan(times(...incident, outlier + 10 * 365 * 24 * hour), widthOf)).to.deep.equal([incident[0], incident[29]]);
  });

  it('keeps hits within an hour of a burst, however short the burst', () => {
    const burst = Array.from({ length: 20 }, (_, i) => i * 1_000);
    expect(densestSpan(times(...burst, 40 * 60_000, 48 * hour), widthOf)).to.deep.equal([0, 40 * 60_000]);
  });

  it('does not zoom when every hit belongs, when zooming gains little, or on fewer than three hits', () => {
    const steady = Array.from({ length: 50 }, (_, i) => i * hour);
    expect(densestSpan(times(...steady), widthOf)).to.equal(null);
    // a hit two weeks before three days of hits: the full chart still reads
    expect(densestSpan(times(-14 * 24 * hour, ...Array.from({ length: 72 }, (_, i) => i * hour)), widthOf)).to.equal(null);
    expect(densestSpan(times(0, 5 * 365 * 24 * hour), widthOf)).to.equal(null);
  });
});
