import { Chalk } from 'chalk';
import type { Hit, Report } from '../report/report.js';

// The default human listing. Nothing is carried by color alone: every
// colored mark also has a word.

function where(hit: Hit): string {
  return `${hit.file}:${hit.line}`;
}

function endpoint(ip: string | null | undefined, port: string | null | undefined): string {
  if (!ip) return '?';
  return port ? `${ip}:${port}` : ip;
}

function flow(hit: Hit): string {
  const f = hit.fields;
  if (hit.table === 'CommonSecurityLog') return `${endpoint(f.SourceIP, null)} -> ${endpoint(f.DestinationIP, f.DestinationPort)}`;
  if (hit.table === 'DeviceNetworkEvents') return `${f.DeviceName ?? '?'} -> ${endpoint(f.RemoteIP, f.RemotePort)}`;
  return '';
}

function hitLines(hit: Hit): string[] {
  const lines = [`  ${hit.time ?? hit.timeText ?? 'time unknown'}  ${hit.table}${hit.malformed ? '  MALFORMED RECORD' : ''}`];
  if (!hit.malformed) lines.push(`    ${flow(hit)}`);
  for (const m of hit.matches) {
    const port = m.portMatch === null ? 'port not recorded' : m.portMatch ? `port ${m.port} matches` : `port ${m.port} differs`;
    lines.push(`    IOC ${m.ip} in ${m.field ?? 'raw text'} (${port})`);
  }
  lines.push(`    at ${where(hit)} (record ${hit.record})`);
  return lines;
}

export function printText(report: Report, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  const { summary } = report;
  out.push(c.bold(`${report.tool.name} ${report.tool.version}`));
  out.push(`IOCs: ${report.iocs.map((i) => `${i.ip}:${i.port ?? '*'}`).join(', ')}`);
  out.push('');
  const active = report.hits.filter((h) => h.suppressedBy === null);
  const suppressed = report.hits.filter((h) => h.suppressedBy !== null);
  const descriptions = new Map(report.exclusions.map((e) => [e.id, e.description]));
  out.push(c.bold(active.length > 0 ? c.red(`ACTIVE HITS (${active.length})`) : `ACTIVE HITS (0)`));
  for (const hit of active) out.push(...hitLines(hit));
  if (suppressed.length > 0) {
    out.push('');
    out.push(c.bold(`SUPPRESSED BY EXCLUSIONS (${suppressed.length}): not active, listed for review`));
    for (const hit of suppressed) {
      const lines = [...hitLines(hit), `    suppressed by ${hit.suppressedBy}: ${descriptions.get(hit.suppressedBy!) ?? ''}`];
      out.push(...lines.map((l) => c.dim(l.replace(/^  /, '  ~ '))));
    }
  }
  out.push('');
  out.push(c.bold('SUMMARY'));
  out.push(`  files ${summary.files}  records ${summary.records}  active hits ${summary.hits}  suppressed ${summary.suppressed}  errors ${summary.errors}`);
  for (const p of summary.perIoc) out.push(`  ${p.ip}:${p.port ?? '*'}  active ${p.hits}  suppressed ${p.suppressed}`);
  const errors = report.files.flatMap((f) => f.errors.map((e) => `${f.path}${e.line === null ? '' : `:${e.line}`}: ${e.message}`));
  if (errors.length > 0) {
    out.push('');
    out.push(c.bold(c.yellow(`ERRORS (${errors.length})`)));
    for (const e of errors) out.push(`  ${e}`);
  }
  return `${out.join('\n')}\n`;
}
