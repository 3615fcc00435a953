import { expect } from 'chai';
import { join } from 'node:path';
import { ROOT, writeFiles } from './helpers.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';
import { exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';
import { scan } from '../lib/scan/scan.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import type { ScanSink } from '../lib/sink/scan-sink.js';
import type { Ioc } from '../lib/matcher/ioc-set.js';
import { IocSet } from '../lib/matcher/ioc-set.js';
import { AddressRanges } from '../lib/matcher/address-ranges.js';
import { printToString, type ReportStream } from '../lib/report/report-stream.js';
import type { PerIocCount, Report } from '../lib/report/report.js';
import { printJson } from '../lib/printers/json-printer.js';
import { printText } from '../lib/printers/text-printer.js';
import { printHtml } from '../lib/printers/html/html-printer.js';
import { iocLabel } from '../lib/report/hit-iocs.js';
import { htmlText } from '../lib/printers/html/escape.js';

// A scan hands the printers its IOCs in force as it holds them (with more
// than their entry) and makes each IOC's count as it is printed, so that a
// feed of 100,000 IOCs is not copied into the report's shape at the end of
// the scan. Every format still writes each IOC's entry and count as ever, and
// the in-memory report is what the JSON report says.

const KINDS = join(ROOT, 'test', 'data', 'kinds');
const STIX = join(ROOT, 'test', 'data', 'feeds', 'stix-bundle.json');

/** The keys of an IOC entry read from a feed, in the report's order; `sourceId` only when the feed gave one. */
const ENTRY_KEYS = ['ip', 'port', 'threatType', 'malware', 'confidence', 'firstSeen', 'kind', 'sourceFile', 'line', 'validFrom', 'validUntil', 'lastSeen'];

interface Scanned {
  report: ReportStream;
  built: Report;
  iocs: readonly Ioc[];
  /** Each IOC's hits as the scan handed them to the sink, counted here. */
  tally: Map<Ioc, { hits: number; suppressed: number }>;
  plainList: string;
}

/** The kinds fixtures scanned with the STIX bundle, the kinds list and `extra` more plain-list IOCs (past 250: more than one JSON batch). */
async function scanned(extra: number): Promise<Scanned> {
  const lines = Array.from({ length: extra }, (_, i) => (i % 2 === 0 ? `198.18.${i >> 8}.${i & 255}:${2000 + i}` : `c2-${i}.feed.example`));
  const dir = writeFiles({ 'more.txt': `${lines.join('\n')}\n` });
  const plainList = join(dir, 'more.txt');
  const feeds = [STIX, join(KINDS, 'iocs.txt'), ...(extra > 0 ? [plainList] : [])];
  const options = normalizeOptions({ paths: [KINDS], format: 'json', iocs: feeds });
  const { set } = loadIocs({ kind: 'files', paths: feeds }, null);
  const exclusions = exclusionsFor(options.exclusions);
  const builder = new ReportBuilder('test', set, exclusions.entries);
  const tally = new Map<Ioc, { hits: number; suppressed: number }>();
  const sink: ScanSink = {
    hit(hit, iocs) {
      for (const ioc of iocs) {
        const count = tally.get(ioc) ?? { hits: 0, suppressed: 0 };
        if (hit.suppressedBy === null) count.hits++;
        else count.suppressed++;
        tally.set(ioc, count);
      }
      builder.hit(hit, iocs);
    },
    file: (entry) => builder.file(entry),
    warning: (path, message) => builder.warning(path, message),
  };
  await scan(planFromOptions(options, set, exclusions), sink);
  return { report: builder.finish(), built: builder.build(), iocs: set.iocs, tally, plainList };
}

function expectedPerIoc(s: Scanned): PerIocCount[] {
  return s.iocs.map((ioc) => {
    const { hits, suppressed } = s.tally.get(ioc) ?? { hits: 0, suppressed: 0 };
    return { ip: ioc.ip, port: ioc.port, kind: ioc.kind, hits, suppressed };
  });
}

for (const extra of [0, 600]) {
  describe(`a scan's report of ${extra === 0 ? 'a small feed' : 'a feed of more IOCs than a JSON batch'}: each IOC's entry and count, in every format`, () => {
    let s: Scanned;
    before(async () => {
      s = await scanned(extra);
    });

    it('JSON: each IOC in force is its entry (its fields in order, and nothing the search holds besides), and its count is the hits the scan found for it', async () => {
      const parsed = JSON.parse(await printToString(printJson, s.report)) as Report;
      expect(parsed.iocs).to.have.length(s.iocs.length);
      for (const [i, entry] of parsed.iocs.entries()) {
        expect(Object.keys(entry), JSON.stringify(entry)).to.deep.equal(entry.sourceId === undefined ? ENTRY_KEYS : [...ENTRY_KEYS, 'sourceId']);
        expect([entry.ip, entry.port, entry.kind]).to.deep.equal([s.iocs[i].ip, s.iocs[i].port, s.iocs[i].kind]);
      }
      expect(JSON.stringify(parsed.iocs[0])).to.equal(
        `{"ip":"179.43.139.84","port":443,"threatType":"malicious-activity","malware":"PerlBot","confidence":75,"firstSeen":null,"kind":"ipv4","sourceFile":${JSON.stringify(STIX)},"line":26,"validFrom":"2026-05-21T09:14:37Z","validUntil":"2026-08-21T00:00:00Z","lastSeen":null,"sourceId":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`,
      );
      if (extra > 0) {
        expect(JSON.stringify(parsed.iocs[parsed.iocs.length - 1])).to.equal(
          `{"ip":"c2-599.feed.example","port":null,"threatType":null,"malware":null,"confidence":null,"firstSeen":null,"kind":"domain","sourceFile":${JSON.stringify(s.plainList)},"line":600,"validFrom":null,"validUntil":null,"lastSeen":null}`,
        );
      }
      expect(parsed.summary.perIoc).to.deep.equal(expectedPerIoc(s));
      // the fixtures hit several IOCs, some more than once
      expect(parsed.summary.perIoc.filter((p) => p.hits > 0).length).to.be.above(5);
    });

    it('the in-memory report is the JSON report: its IOCs, exclusions, files and summary', async () => {
      const parsed = JSON.parse(await printToString(printJson, s.report)) as Report;
      for (const key of ['tool', 'iocs', 'exclusions', 'files', 'summary'] as const) expect(s.built[key], key).to.deep.equal(parsed[key]);
      expect(Object.keys(s.built)).to.deep.equal(Object.keys(parsed));
    });

    it('text and HTML: each IOC in force is listed, with its count', async () => {
      const text = await printToString((r) => printText(r, false), s.report);
      const html = await printToString((r) => printHtml(r), s.report);
      expect(text).to.include(`IOCS IN FORCE (${s.iocs.length})`);
      for (const p of expectedPerIoc(s)) {
        const label = iocLabel(p);
        // a long line wraps, at a space
        const line = new RegExp(`\\n    ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+active ${p.hits},\\s+suppressed ${p.suppressed}\\n`);
        expect(text).to.match(line);
        expect(html).to.include(`<tr data-ioc="${htmlText(label)}"><td>${htmlText(label)}</td><td class="n">${p.hits}</td><td class="n">${p.suppressed}</td></tr>`);
      }
    });
  });
}

describe('IOCs by address: one IOC or several under one key', () => {
  const ioc = (value: string, ip: string, port: number | null, kind: 'ipv4' | 'cidr' = 'ipv4'): Ioc => ({
    value,
    ip,
    port,
    threatType: null,
    malware: null,
    confidence: null,
    firstSeen: null,
    kind,
    sourceFile: 'feed.txt',
    line: 1,
    validFrom: null,
    validUntil: null,
    lastSeen: null,
  });

  it('an address names every IOC written for it, in the set order, and an address of none is not found', () => {
    const a443 = ioc('198.51.100.7:443', '198.51.100.7', 443);
    const alone = ioc('198.51.100.8', '198.51.100.8', null);
    const a8443 = ioc('198.51.100.7:8443', '198.51.100.7', 8443);
    const a = ioc('198.51.100.7', '198.51.100.7', null);
    const set = new IocSet([a443, alone, a8443, a]);
    expect(set.lookup('198.51.100.7')).to.deep.equal([a443, a8443, a]);
    expect(set.lookup('198.51.100.7')?.[0]).to.equal(a443);
    expect(set.lookup('198.51.100.8')).to.deep.equal([alone]);
    expect(set.lookup('198.51.100.9')).to.equal(undefined);
    expect(set.ips).to.deep.equal(['198.51.100.7', '198.51.100.8']);
  });

  it('a range names every IOC written for it, the narrowest range first', () => {
    const wide = ioc('198.51.100.0/24', '198.51.100.0/24', null, 'cidr');
    const narrow = ioc('198.51.100.0/25', '198.51.100.0/25', null, 'cidr');
    const narrowPort = ioc('198.51.100.0/25 port 443', '198.51.100.0/25', 443, 'cidr');
    const ranges = new AddressRanges([wide, narrow, narrowPort]);
    expect(ranges.lookup('ipv4', '198.51.100.7')).to.deep.equal([narrow, narrowPort]);
    expect(ranges.lookup('ipv4', '198.51.100.200')).to.deep.equal([wide]);
    expect(ranges.lookup('ipv4', '198.51.101.1')).to.equal(undefined);
  });
});
