import { expect } from 'chai';
import { join } from 'node:path';
import { CSL_HEADER, hunt, writeFiles } from './helpers.js';
import { CRASH_HOOK, planToData, type PlanData } from '../lib/scan/worker-protocol.js';
import { WorkerSetup } from '../lib/scan/parallel-scan.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';

// A file worker that dies takes only its own file with it: the report still
// comes, naming that file with an error, with every other file's hits.

describe('a file worker that crashes', () => {
  const line = (ip: string) => `2026-05-21T10:00:00Z,Fortinet,FortiGate,accept,,10.0.0.7,50000,${ip},443,,,,,`;

  afterEach(() => {
    delete process.env[CRASH_HOOK];
  });

  it('becomes an error entry of its file; the other files are scanned and their hits reported', async () => {
    const dir = writeFiles({
      'a.csv': `${CSL_HEADER}\n${line('179.43.139.84')}\n`,
      'b-crash.csv': `${CSL_HEADER}\n${line('179.43.139.84')}\n`,
      'c.csv': `${CSL_HEADER}\n${line('179.43.139.86')}\n`,
      'd.csv': `${CSL_HEADER}\n${line('179.43.139.86')}\n`,
    });
    // --jobs 2: a.csv on the main thread, b-crash.csv on the first worker
    process.env[CRASH_HOOK] = 'b-crash.csv';
    const report = await hunt([join(dir, '*.csv')], { jobs: 2 });
    const files = report.files.map((f) => [f.path.slice(dir.length + 1), f.errors.map((e) => e.message.split(':')[0])]);
    expect(files).to.deep.equal([
      ['a.csv', []],
      ['b-crash.csv', ['the scan of this file stopped']],
      ['c.csv', []],
      ['d.csv', []],
    ]);
    expect(report.files[1].errors[0].message).to.include(`${CRASH_HOOK} (a test) crashed this thread`);
    expect(report.hits.map((h) => [h.file.slice(dir.length + 1), h.matches[0].ip])).to.deep.equal([
      ['a.csv', '179.43.139.84'],
      ['c.csv', '179.43.139.86'],
      ['d.csv', '179.43.139.86'],
    ]);
    expect(report.summary.errors).to.equal(1);
  });
});

describe('the plan handed to file workers', () => {
  const options = normalizeOptions({ paths: ['.'], format: 'json', jobs: '3' });
  const plan = planFromOptions(options, builtinIocSet(), exclusionsFor(options.exclusions));

  it('is made once for the workers that run at once, let go when the last of them starts, and made again for a worker started after one died', () => {
    const made: PlanData[] = [];
    const setup = new WorkerSetup(() => {
      made.push(planToData(plan));
      return made[made.length - 1];
    }, 2);
    const first = setup.take(0);
    const second = setup.take(1);
    expect(made).to.have.length(1);
    expect(second).to.equal(first);
    // one died: its successor starts beside the other, with the plan made again
    const successor = setup.take(1);
    expect(made).to.have.length(2);
    expect(successor).to.not.equal(first);
    expect(successor).to.deep.equal(first);
    expect(setup.take(1)).to.not.equal(successor);
    expect(made).to.have.length(3);
  });
});
