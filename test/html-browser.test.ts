import { expect } from 'chai';
import { searchCounts } from '../lib/report/searched.js';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { ROOT, runCli, tempDir, writeFiles } from './helpers.js';
import { launch, openReport, requireBrowser, type Browser } from './browser.js';
import { printHtml } from '../lib/printers/html/html-printer.js';
import { printToString, streamOf } from '../lib/report/report-stream.js';
import { iocLabel } from '../lib/report/hit-iocs.js';
import type { Hit, Report } from '../lib/report/report.js';

// Issue 8: the HTML report opened from a file:// URL in headless chromium,
// its figures checked against the JSON report of the same scan, its filters
// and sorting driven as a responder would, and a screenshot kept.

const CSL = [
  'TimeGenerated,DeviceVendor,DeviceProduct,DeviceName,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceProcessName,FileType',
  '2026-06-01T10:00:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.5,50000,179.43.139.84,443,perl,',
  '2026-06-02T11:30:00Z,Fortinet,FortiGate,fw-01,deny,traffic,10.0.0.7,50001,179.43.139.86,8443,,',
  '2026-06-03T11:30:00Z,Fortinet,FortiGate,fw-02,accept,traffic,10.0.0.9,50002,179.43.139.86,443,rsync,script',
  '2026-06-03T12:00:00Z,Fortinet,FortiGate,fw-02,accept,traffic,10.0.0.9,50003,8.8.8.8,53,,',
  '2026-06-03T13:00:00Z,Fortinet,FortiGate,fw-02,accept,traffic,179.43.139.84,443,179.43.139.86,443,,',
  '',
].join('\n');
const DNE = [
  'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,LocalPort,InitiatingProcessFileName,InitiatingProcessParentFileName,InitiatingProcessCommandLine',
  '2026-06-04T09:00:00Z,d1,web-10,ConnectionSuccess,179.43.139.84,443,10.1.1.1,40000,perl,bash,perl /tmp/x.pl',
  '2026-06-05T09:00:00Z,d1,web-10,ConnectionSuccess,179.43.139.86,443,10.1.1.1,40001,perl,cron,perl /opt/log_parser.pl',
  '2026-06-05T10:00:00Z,d2,web-9,ConnectionSuccess,179.43.139.84,443,10.1.1.2,40002,perl,bash,perl /tmp/y.pl',
  '2026-06-05T11:00:00Z,d3,build-01,ConnectionSuccess,179.43.139.84,80,10.1.1.3,40003,curl,bash,curl x',
  ',d3,build-01,ConnectionSuccess,179.43.139.86,443,10.1.1.3,40004,perl,bash,perl z.pl',
  '2026-06-06T09:00:00Z,d1,web-10,ConnectionSuccess,"179.43.139.84,broken',
  '',
].join('\n');

const digits = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

/** The value of the first option of `select` whose label starts with `label`. */
async function optionValue(page: Page, select: string, label: string): Promise<string> {
  const value = await page.$$eval(`${select} option`, (options, wanted) => (options as HTMLOptionElement[]).find((o) => o.textContent!.startsWith(wanted))?.value ?? null, label);
  if (value === null) throw new Error(`${select} has no option ${label}`);
  return value;
}

async function matching(page: Page): Promise<number> {
  return digits(await page.textContent('#hits-matching'));
}

async function columnTexts(page: Page, cls: string): Promise<string[]> {
  // innerText, not textContent: the text as the reader sees it on the page
  // biome-ignore lint/performance/useDomNodeTextContent: the shown text is what is tested
  return page.$$eval(`#hits-body td.${cls}`, (cells) => cells.map((c) => (c as HTMLElement).innerText));
}

const hasIoc = (hit: Hit, label: string, report: Report) => hit.matches.some((m) => report.iocs.some((i) => iocLabel(i) === label && i.ip === m.ip));

describe('the HTML report in a browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let json: Report;
  let html: string;
  let folder: string;

  before(async function () {
    requireBrowser(this);
    const evidence = writeFiles({ 'csl.csv': CSL, 'dne.csv': DNE });
    json = JSON.parse(runCli(['--format', 'json', 'csl.csv', 'dne.csv'], {}, evidence).stdout) as Report;
    folder = tempDir();
    html = join(folder, 'report.html');
    const run = runCli(['--format', 'html', '--output', html, 'csl.csv', 'dne.csv'], {}, evidence);
    expect(run.status, run.stderr).to.equal(1);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the JSON report\'s counts: summary, per IOC, the hits table, the timeline legend; saves a screenshot', async () => {
    const page = await openReport(browser, html);
    expect(digits(await page.textContent('#summary-hits'))).to.equal(json.summary.hits);
    expect(digits(await page.textContent('#summary-suppressed'))).to.equal(json.summary.suppressed);
    expect(digits(await page.textContent('#summary-errors'))).to.equal(json.summary.errors);
    expect(digits(await page.textContent('#summary-files'))).to.equal(json.summary.files);
    expect(digits(await page.textContent('#summary-records'))).to.equal(json.summary.records);
    for (const p of json.summary.perIoc) {
      const cells = await page.$$eval(`tr[data-ioc="${iocLabel(p)}"] td.n`, (tds) => tds.map((td) => td.textContent));
      expect(cells.map(digits), iocLabel(p)).to.deep.equal([p.hits, p.suppressed]);
    }
    // the table holds every hit, newest first, as the JSON report orders them
    expect(json.hits.length).to.be.greaterThan(5);
    expect(await matching(page)).to.equal(json.hits.length);
    expect(digits(await page.textContent('#hits-total'))).to.equal(json.hits.length);
    expect(await columnTexts(page, 'time')).to.deep.equal(json.hits.map((h) => h.time ?? 'time not recorded'));
    expect(await columnTexts(page, 'evidence')).to.deep.equal(json.hits.map((h) => `${h.file}:${h.line}\nrecord ${h.record}`));
    // each timeline line adds up to its IOC's count, less the hits without a time
    for (const p of json.summary.perIoc) {
      const untimed = json.hits.filter((h) => h.time === null && hasIoc(h, iocLabel(p), json));
      const active = untimed.filter((h) => h.suppressedBy === null).length;
      const counts = await page.$$eval(`.legend li[data-ioc="${iocLabel(p)}"] .n`, (spans) => spans.map((s) => s.textContent));
      expect(counts.map(digits), iocLabel(p)).to.deep.equal([p.hits - active, p.suppressed - (untimed.length - active)]);
    }
    // kept for a person to look at (git-ignored)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    const shot = join(ROOT, 'test-artifacts', 'html-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(statSync(shot).size).to.be.greaterThan(10_000);
    expect(browser.errors).to.deep.equal([]);
    await page.close();
  });

  it('filters by IOC, status, device and table, and the rows shown are exactly those hits', async () => {
    const page = await openReport(browser, html);
    const ioc = '179.43.139.86:443';
    await page.selectOption('#filter-ioc', await optionValue(page, '#filter-ioc', ioc));
    const withIoc = json.hits.filter((h) => hasIoc(h, ioc, json));
    expect(await matching(page)).to.equal(withIoc.length);
    expect(await columnTexts(page, 'evidence')).to.deep.equal(withIoc.map((h) => `${h.file}:${h.line}\nrecord ${h.record}`));
    for (const cell of await columnTexts(page, 'ioc')) expect(cell).to.include(ioc);

    await page.selectOption('#filter-status', 'suppressed');
    const suppressed = withIoc.filter((h) => h.suppressedBy !== null);
    expect(suppressed.length).to.be.greaterThan(0);
    expect(await matching(page)).to.equal(suppressed.length);
    for (const cell of await columnTexts(page, 'status')) expect(cell).to.match(/^suppressed by /);

    await page.click('#filter-reset');
    expect(await matching(page)).to.equal(json.hits.length);
    await page.selectOption('#filter-status', 'active');
    expect(await matching(page)).to.equal(json.hits.filter((h) => h.suppressedBy === null).length);

    await page.click('#filter-reset');
    await page.selectOption('#filter-device', await optionValue(page, '#filter-device', 'web-10 '));
    expect(await columnTexts(page, 'device')).to.deep.equal(json.hits.filter((h) => h.fields.DeviceName === 'web-10').map(() => 'web-10'));

    await page.click('#filter-reset');
    await page.selectOption('#filter-table', await optionValue(page, '#filter-table', 'CommonSecurityLog'));
    expect(await matching(page)).to.equal(json.hits.filter((h) => h.table === 'CommonSecurityLog').length);

    // the device list above the table filters it too
    await page.click('#filter-reset');
    await page.click('button.device[data-device="fw-02"]');
    expect(await columnTexts(page, 'device')).to.deep.equal(['fw-02', 'fw-02']);

    // free text, and a period picked on the timeline
    await page.click('#filter-reset');
    // any text shown in a row: here the parent process and the exclusion's id
    await page.fill('#filter-text', 'CRON');
    await page.waitForFunction(() => document.querySelector('#hits-matching')!.textContent === '1');
    expect(await columnTexts(page, 'status')).to.deep.equal(['suppressed by cron-log-parser']);
    await page.click('#filter-reset');
    const bin = page.locator('svg.timeline rect.bin').first();
    const [from, to] = [Number(await bin.getAttribute('data-from')), Number(await bin.getAttribute('data-to'))];
    await bin.dispatchEvent('click');
    const inWindow = json.hits.filter((h) => h.time !== null && Date.parse(h.time) >= from && Date.parse(h.time) < to);
    expect(inWindow.length).to.be.greaterThan(0);
    expect(await columnTexts(page, 'time')).to.deep.equal(inWindow.map((h) => h.time));
    expect(await page.isVisible('#filter-window')).to.equal(true);
    expect(browser.errors).to.deep.equal([]);
    await page.close();
  });

  it('sorts by a column and back, hits without a time always last', async () => {
    const page = await openReport(browser, html);
    await page.click('th[data-sort="device"] button');
    const devices = await columnTexts(page, 'device');
    // natural order: web-9 before web-10
    expect(devices).to.deep.equal([...devices].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(devices.indexOf('web-9')).to.be.lessThan(devices.indexOf('web-10'));
    expect(await page.getAttribute('th[data-sort="device"]', 'aria-sort')).to.equal('ascending');
    await page.click('th[data-sort="device"] button');
    expect(await columnTexts(page, 'device')).to.deep.equal([...devices].reverse().sort((a, b) => b.localeCompare(a, 'en', { numeric: true })));

    // back to the time: newest first, as the report is, then oldest first
    await page.click('th[data-sort="time"] button');
    expect(await columnTexts(page, 'evidence')).to.deep.equal(json.hits.map((h) => `${h.file}:${h.line}\nrecord ${h.record}`));
    expect(await page.getAttribute('th[data-sort="time"]', 'aria-sort')).to.equal('descending');
    await page.click('th[data-sort="time"] button');
    const times = await columnTexts(page, 'time');
    const timed = json.hits.filter((h) => h.time !== null).map((h) => h.time!).sort();
    expect(times.slice(0, timed.length)).to.deep.equal(timed);
    expect(times.slice(timed.length).every((t) => !/^\d{4}-/.test(t))).to.equal(true);
    expect(await page.getAttribute('th[data-sort="time"]', 'aria-sort')).to.equal('ascending');
    await page.close();
  });

  it('loads nothing from anywhere: the only request is the file itself', async () => {
    const before = browser.requests.length;
    const page = await openReport(browser, html);
    await page.click('th[data-sort="ioc"] button');
    const asked = browser.requests.slice(before);
    expect(asked).to.deep.equal([pathToFileURL(html).href]);
    await page.close();
  });

  it('shows hostile log values as text: no markup, no script run, controls and bidi escaped', async () => {
    const hostile = [
      { Timestamp: '2026-06-07T08:00:00Z', DeviceId: 'x', DeviceName: '</script><script>window.pwned=1</script>', ActionType: 'ConnectionSuccess', RemoteIP: '179.43.139.84', RemotePort: 443, InitiatingProcessFileName: '<img src=x onerror="window.pwned=2">' },
      { Timestamp: '2026-06-07T09:00:00Z', DeviceId: 'y', DeviceName: '" onmouseover="window.pwned=3" x="', ActionType: 'ConnectionSuccess', RemoteIP: '179.43.139.84', RemotePort: 443, InitiatingProcessAccountName: 'evil\u202egnp.exe\x1b[31m', RemoteUrl: 'https://179.43.139.84/<!--<script>' },
      { Timestamp: '2026-06-07T10:00:00Z', DeviceId: 'z', DeviceName: 'dev\u2066<b>bold</b>', ActionType: '<!--<script>', RemoteIP: '179.43.139.84', RemotePort: 443 },
    ];
    const evidence = writeFiles({ '<i>tilted&amp;.jsonl': hostile.map((r) => JSON.stringify(r)).join('\n') });
    const out = join(tempDir(), 'hostile.html');
    expect(runCli(['--format', 'html', '--output', out, evidence]).status).to.equal(1);
    const page = await openReport(browser, out);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).to.equal(undefined);
    // our own two scripts, no image, and no element made from a log value (our only <b> are the IOC labels)
    expect(await page.evaluate(() => [document.scripts.length, document.images.length, document.querySelectorAll('i, iframe').length, document.querySelectorAll('b').length - document.querySelectorAll('td.ioc b').length])).to.deep.equal([2, 0, 0, 0]);
    const devices = await columnTexts(page, 'device');
    expect(devices).to.have.members(['</script><script>window.pwned=1</script>', '" onmouseover="window.pwned=3" x="', 'dev\\u2066<b>bold</b>']);
    const who = (await columnTexts(page, 'who')).join('\n');
    expect(who).to.include('process <img src=x onerror="window.pwned=2">');
    expect(who).to.include('user evil\\u202egnp.exe\\x1b[31m');
    expect(who).to.include('action <!--<script>');
    expect(await columnTexts(page, 'evidence')).to.satisfy((cells: string[]) => cells.every((c) => c.includes('<i>tilted&amp;.jsonl:')));
    // biome-ignore lint/performance/useDomNodeTextContent: what the page shows is tested, not its source text
    const body = await page.evaluate(() => document.body.innerText);
    expect(body).not.to.match(/[\u202a-\u202e\u2066-\u2069\x1b]/);
    // the quote-laden device name still works as a filter from the device list
    await page.click('button.device >> text=onmouseover');
    expect(await columnTexts(page, 'device')).to.deep.equal(['" onmouseover="window.pwned=3" x="']);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).to.equal(undefined);
    expect(browser.errors).to.deep.equal([]);
    await page.close();
  });

  it('opens a report of 100,000 hits and shows them all, a page at a time', async () => {
    const path = join(tempDir(), 'large.html');
    // the page's limits raised to the size under test: what a browser can take
    writeFileSync(path, await printToString((r) => printHtml(r, { perIoc: 100_000, atMost: 100_000 }), streamOf(largeReport(100_000))));
    const page = await openReport(browser, path);
    expect(await page.textContent('#hits-matching')).to.equal('100,000');
    expect(await page.textContent('#summary-hits')).to.equal('80,000');
    expect(await page.locator('#hits-body tr').count()).to.equal(100);
    await page.click('#page-last');
    expect(await page.textContent('#hits-range')).to.equal('99,901–100,000');
    await page.selectOption('#filter-status', 'suppressed');
    expect(await page.textContent('#hits-matching')).to.equal('20,000');
    await page.close();
  });
});

/** n hits over a month on 250 devices, one in five suppressed: the shape of a large sweep. */
function largeReport(n: number): Report {
  const start = Date.parse('2026-05-21T00:00:00Z');
  const iocs = [
    { ip: '179.43.139.84', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 75, firstSeen: '2026-05-21' },
    { ip: '179.43.139.86', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 80, firstSeen: '2026-05-21' },
  ];
  const hits: Hit[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const ioc = iocs[i % 3 === 0 ? 1 : 0];
    const suppressed = i % 5 === 0;
    hits.push({
      file: `/evidence/export-${i % 12}.csv`, line: i + 2, record: i + 1, table: 'DeviceNetworkEvents',
      time: new Date(start + i * 26_000).toISOString(),
      matches: [{ field: 'RemoteIP', ip: ioc.ip, port: 443, portMatch: true }],
      suppressedBy: suppressed ? 'cron-log-parser' : null, malformed: false, fields: {},
      context: { device: `host-${i % 250}`, sourceIp: `10.1.${i % 250}.7`, sourcePort: String(40_000 + (i % 20_000)), destinationIp: ioc.ip, destinationPort: '443', process: 'perl', parentProcess: suppressed ? 'cron' : 'bash', user: `user${i % 30}`, action: 'ConnectionSuccess' },
    });
  }
  const active = hits.filter((h) => h.suppressedBy === null).length;
  const per = (ip: string, kind: boolean) => hits.filter((h) => h.matches[0].ip === ip && (h.suppressedBy === null) === kind).length;
  return {
    tool: { name: 'perlbot-hunt', version: 'test' },
    startedAt: '2026-06-22T00:00:00.000Z',
    finishedAt: '2026-06-22T00:01:00.000Z',
    iocs,
    exclusions: [{ id: 'cron-log-parser', description: 'cron running log_parser.pl' }],
    files: Array.from({ length: 12 }, (_, f) => ({ path: `/evidence/export-${f}.csv`, format: 'csv' as const, compressed: false, table: 'DeviceNetworkEvents' as const, records: 1_000_000, bytes: 123_456_789, sha256: 'ab'.repeat(32), errors: [], searched: { knownTable: 1_000_000, unknownTable: 0, rawText: 0 }, beforeWindow: 0, afterWindow: 0 })),
    summary: {
      files: 12, records: 12_000_000, hits: active, suppressed: hits.length - active, errors: 0, ...searchCounts([]),
      perIoc: iocs.map((ioc) => ({ ip: ioc.ip, port: ioc.port, hits: per(ioc.ip, true), suppressed: per(ioc.ip, false) })),
    },
    hits,
  };
}
