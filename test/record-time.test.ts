import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { normalizeTime, resolveZone, type TimeZoneSpec } from '../lib/time/record-time.js';
import { splitHeaderSuffix } from '../lib/record/columns.js';

const UTC: TimeZoneSpec = { kind: 'utc' };
const EASTERN: TimeZoneSpec = { kind: 'iana', name: 'America/New_York', label: 'Eastern Time (US and Canada)' };
const BERLIN: TimeZoneSpec = { kind: 'iana', name: 'Europe/Berlin', label: 'Europe/Berlin' };
const UNKNOWN: TimeZoneSpec = { kind: 'unknown', label: 'Local Time' };

describe('record-time', () => {
  describe('splitHeaderSuffix', () => {
    it('splits the portal [UTC] suffix', () => {
      expect(splitHeaderSuffix('TimeGenerated [UTC]')).to.deep.equal({ name: 'TimeGenerated', zoneLabel: 'UTC' });
    });
    it('splits a display-name suffix containing parentheses', () => {
      expect(splitHeaderSuffix('TimeGenerated [Eastern Time (US and Canada)]')).to.deep.equal({
        name: 'TimeGenerated',
        zoneLabel: 'Eastern Time (US and Canada)',
      });
    });
    it('leaves a plain header alone', () => {
      expect(splitHeaderSuffix('TimeGenerated')).to.deep.equal({ name: 'TimeGenerated', zoneLabel: null });
    });
    it('only counts a trailing suffix', () => {
      expect(splitHeaderSuffix('Foo [bar] baz')).to.deep.equal({ name: 'Foo [bar] baz', zoneLabel: null });
    });
    it('trims white space around name and label', () => {
      expect(splitHeaderSuffix('  StartTime   [ UTC ]  ')).to.deep.equal({ name: 'StartTime', zoneLabel: 'UTC' });
    });
    it('needs white space before the bracket, and a name before it', () => {
      expect(splitHeaderSuffix('AdditionalFields[0]')).to.deep.equal({ name: 'AdditionalFields[0]', zoneLabel: null });
      expect(splitHeaderSuffix('[UTC]')).to.deep.equal({ name: '[UTC]', zoneLabel: null });
    });
  });

  describe('resolveZone', () => {
    it('reads null, empty and UTC spellings as utc', () => {
      for (const label of [null, '', '  ', 'UTC', 'utc', 'Coordinated Universal Time', '(UTC) Coordinated Universal Time', 'Etc/UTC', 'GMT', '(UTC+00:00) Coordinated Universal Time']) {
        expect(resolveZone(label), String(label)).to.deep.equal({ kind: 'utc' });
      }
    });
    it('resolves portal display names ("and") and Windows display names ("&")', () => {
      expect(resolveZone('Eastern Time (US and Canada)')).to.deep.equal({
        kind: 'iana',
        name: 'America/New_York',
        label: 'Eastern Time (US and Canada)',
      });
      expect(resolveZone('Pacific Time (US and Canada)')).to.include({ kind: 'iana', name: 'America/Los_Angeles' });
      expect(resolveZone('Pacific Time (US & Canada)')).to.include({ kind: 'iana', name: 'America/Los_Angeles' });
      expect(resolveZone('(UTC-06:00) Central Time (US & Canada)')).to.include({ kind: 'iana', name: 'America/Chicago' });
      expect(resolveZone('(UTC\u201305:00) Eastern Time (US and Canada)')).to.include({ kind: 'iana', name: 'America/New_York' });
      expect(resolveZone('(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna')).to.include({ kind: 'iana', name: 'Europe/Berlin' });
      expect(resolveZone('Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna')).to.include({ kind: 'iana', name: 'Europe/Berlin' });
      expect(resolveZone('(UTC+00:00) Dublin, Edinburgh, Lisbon, London')).to.include({ kind: 'iana', name: 'Europe/London' });
      expect(resolveZone('(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi')).to.include({ kind: 'iana', name: 'Asia/Kolkata' });
    });
    it('resolves Windows ids, case-insensitively', () => {
      expect(resolveZone('W. Europe Standard Time')).to.include({ kind: 'iana', name: 'Europe/Berlin' });
      expect(resolveZone('eastern standard time')).to.include({ kind: 'iana', name: 'America/New_York' });
      expect(resolveZone('EASTERN TIME (US AND CANADA)')).to.include({ kind: 'iana', name: 'America/New_York' });
      expect(resolveZone('UTC-11')).to.include({ kind: 'iana', name: 'Etc/GMT+11' });
      expect(resolveZone('UTC')).to.deep.equal({ kind: 'utc' });
    });
    it('keeps the original label', () => {
      expect(resolveZone(' W. Europe Standard Time ')).to.deep.equal({ kind: 'iana', name: 'Europe/Berlin', label: 'W. Europe Standard Time' });
    });
    it('accepts IANA names', () => {
      expect(resolveZone('Europe/Berlin')).to.deep.equal({ kind: 'iana', name: 'Europe/Berlin', label: 'Europe/Berlin' });
      expect(resolveZone('europe/berlin')).to.include({ kind: 'iana', name: 'Europe/Berlin' });
      expect(resolveZone('America/New_York')).to.include({ kind: 'iana', name: 'America/New_York' });
    });
    it('reports anything else as unknown', () => {
      expect(resolveZone('Local Time')).to.deep.equal({ kind: 'unknown', label: 'Local Time' });
      expect(resolveZone('Mars/Olympus_Mons')).to.deep.equal({ kind: 'unknown', label: 'Mars/Olympus_Mons' });
      expect(resolveZone('Narnia Standard Time')).to.deep.equal({ kind: 'unknown', label: 'Narnia Standard Time' });
    });
    it('has a data file whose every zone is known to ICU and every label resolves to its zone', () => {
      const url = new URL('../../lib/data/windows-zones.json', import.meta.url);
      const data = JSON.parse(readFileSync(url, 'utf8')) as {
        zones: Array<{ windows: string; display: string; iana: string }>;
        aliases: Record<string, string>;
        utc: string[];
      };
      expect(data.zones.length).to.be.at.least(135);
      for (const z of data.zones) {
        expect(() => new Intl.DateTimeFormat('en-US', { timeZone: z.iana }), z.iana).not.to.throw();
        const expected = z.iana === 'Etc/UTC' ? { kind: 'utc' } : { kind: 'iana', name: z.iana };
        expect(resolveZone(z.windows), z.windows).to.include(expected);
        expect(resolveZone(z.display), z.display).to.include(expected);
      }
      for (const [label, iana] of Object.entries(data.aliases)) {
        expect(() => new Intl.DateTimeFormat('en-US', { timeZone: iana }), iana).not.to.throw();
        expect(resolveZone(label), label).to.include({ kind: 'iana', name: iana });
      }
      for (const u of data.utc) expect(resolveZone(u), u).to.deep.equal({ kind: 'utc' });
    });
  });

  describe('normalizeTime: ISO 8601 with designator', () => {
    it('truncates 7 fraction digits to milliseconds', () => {
      expect(normalizeTime('2023-12-21T19:04:59.0109752Z', UTC)).to.equal('2023-12-21T19:04:59.010Z');
    });
    it('truncates, never rounds', () => {
      expect(normalizeTime('2023-12-31T23:59:59.9999999Z', UTC)).to.equal('2023-12-31T23:59:59.999Z');
      expect(normalizeTime('2023-12-31T23:59:59.9999999+01:00', UTC)).to.equal('2023-12-31T22:59:59.999Z');
    });
    it('accepts 0 to 9 fraction digits', () => {
      expect(normalizeTime('2023-10-18T15:43:09Z', UTC)).to.equal('2023-10-18T15:43:09.000Z');
      expect(normalizeTime('2023-10-18T15:43:09.1Z', UTC)).to.equal('2023-10-18T15:43:09.100Z');
      expect(normalizeTime('2023-10-18T15:43:09.12Z', UTC)).to.equal('2023-10-18T15:43:09.120Z');
      expect(normalizeTime('2023-10-18T15:43:29.32423Z', UTC)).to.equal('2023-10-18T15:43:29.324Z');
      expect(normalizeTime('2023-10-18T15:43:29.123456789Z', UTC)).to.equal('2023-10-18T15:43:29.123Z');
      expect(normalizeTime('2023-10-18T15:43:29.1234567891Z', UTC)).to.equal(null);
    });
    it('accepts a space separator, lower-case designators and no seconds', () => {
      expect(normalizeTime('2023-10-18 15:43:09.5Z', UTC)).to.equal('2023-10-18T15:43:09.500Z');
      expect(normalizeTime('2023-10-18t15:43:09z', UTC)).to.equal('2023-10-18T15:43:09.000Z');
      expect(normalizeTime('2023-10-18T15:43Z', UTC)).to.equal('2023-10-18T15:43:00.000Z');
    });
    it('applies offsets and ignores the zone argument', () => {
      expect(normalizeTime('2020-11-20T10:52:04.808-05:00', UNKNOWN)).to.equal('2020-11-20T15:52:04.808Z');
      expect(normalizeTime('2020-11-20T10:52:04.808-0500', BERLIN)).to.equal('2020-11-20T15:52:04.808Z');
      expect(normalizeTime('2020-11-20T10:52:04.808+05:30', EASTERN)).to.equal('2020-11-20T05:22:04.808Z');
      expect(normalizeTime('2020-11-20T10:52:04+00:00', EASTERN)).to.equal('2020-11-20T10:52:04.000Z');
      expect(normalizeTime('2020-11-20T10:52:04 +01', UTC)).to.equal('2020-11-20T09:52:04.000Z');
      expect(normalizeTime('2020-11-20T10:52:04Z', UNKNOWN)).to.equal('2020-11-20T10:52:04.000Z');
    });
    it('crosses day, month and year boundaries with offsets', () => {
      expect(normalizeTime('2021-01-01T01:30:00+02:00', UTC)).to.equal('2020-12-31T23:30:00.000Z');
      expect(normalizeTime('2024-02-28T22:00:00-03:00', UTC)).to.equal('2024-02-29T01:00:00.000Z');
    });
    it('trims surrounding white space', () => {
      expect(normalizeTime('  2023-12-21T19:04:59.0109752Z\r\n', UTC)).to.equal('2023-12-21T19:04:59.010Z');
    });
  });

  describe('normalizeTime: zone-less ISO 8601', () => {
    it('reads it as UTC in a utc zone', () => {
      expect(normalizeTime('2023-12-21T19:04:59.0109752', UTC)).to.equal('2023-12-21T19:04:59.010Z');
      expect(normalizeTime('2023-12-21 19:04:59', UTC)).to.equal('2023-12-21T19:04:59.000Z');
    });
    it('reads it in an IANA zone', () => {
      expect(normalizeTime('2020-11-20T10:52:04.808', EASTERN)).to.equal('2020-11-20T15:52:04.808Z');
      expect(normalizeTime('2020-07-20 10:52:04.808', EASTERN)).to.equal('2020-07-20T14:52:04.808Z');
      expect(normalizeTime('2020-07-20T10:52:04', BERLIN)).to.equal('2020-07-20T08:52:04.000Z');
    });
    it('is null in an unknown zone', () => {
      expect(normalizeTime('2020-11-20T10:52:04.808', UNKNOWN)).to.equal(null);
    });
  });

  describe('normalizeTime: portal locale text', () => {
    it('reads the real UTC example', () => {
      expect(normalizeTime('10/15/2020, 6:38:45.828 PM', UTC)).to.equal('2020-10-15T18:38:45.828Z');
    });
    it('reads the zero datetime', () => {
      expect(normalizeTime('1/1/1970, 12:00:00.000 AM', UTC)).to.equal('1970-01-01T00:00:00.000Z');
    });
    it('reads Eastern in winter (EST, UTC-5)', () => {
      expect(normalizeTime('11/20/2020, 10:52:04.808 AM', EASTERN)).to.equal('2020-11-20T15:52:04.808Z');
      expect(normalizeTime('11/20/2020, 10:52:04.808 AM', resolveZone('Eastern Time (US and Canada)'))).to.equal('2020-11-20T15:52:04.808Z');
    });
    it('reads Eastern in summer (EDT, UTC-4)', () => {
      expect(normalizeTime('7/4/2021, 12:00:00.000 PM', EASTERN)).to.equal('2021-07-04T16:00:00.000Z');
      expect(normalizeTime('10/15/2020, 6:38:45.828 PM', EASTERN)).to.equal('2020-10-15T22:38:45.828Z');
    });
    it('crosses into the next UTC day', () => {
      expect(normalizeTime('12/31/2020, 11:30:00.000 PM', EASTERN)).to.equal('2021-01-01T04:30:00.000Z');
    });
    it('handles 12 AM and 12 PM', () => {
      expect(normalizeTime('3/5/2021, 12:00:00.000 AM', UTC)).to.equal('2021-03-05T00:00:00.000Z');
      expect(normalizeTime('3/5/2021, 12:59:59.999 AM', UTC)).to.equal('2021-03-05T00:59:59.999Z');
      expect(normalizeTime('3/5/2021, 12:00:00.000 PM', UTC)).to.equal('2021-03-05T12:00:00.000Z');
      expect(normalizeTime('3/5/2021, 12:59:59.999 PM', UTC)).to.equal('2021-03-05T12:59:59.999Z');
      expect(normalizeTime('3/5/2021, 1:00:00.000 PM', UTC)).to.equal('2021-03-05T13:00:00.000Z');
      expect(normalizeTime('3/5/2021, 11:59:59.999 PM', UTC)).to.equal('2021-03-05T23:59:59.999Z');
      expect(normalizeTime('3/5/2021, 1:00:00.000 AM', UTC)).to.equal('2021-03-05T01:00:00.000Z');
    });
    it('accepts no fraction, no seconds, no comma, lower case and the narrow no-break space', () => {
      expect(normalizeTime('10/15/2020, 6:38:45 PM', UTC)).to.equal('2020-10-15T18:38:45.000Z');
      expect(normalizeTime('10/15/2020, 6:38 PM', UTC)).to.equal('2020-10-15T18:38:00.000Z');
      expect(normalizeTime('10/15/2020 6:38:45 PM', UTC)).to.equal('2020-10-15T18:38:45.000Z');
      expect(normalizeTime('10/15/2020, 6:38:45.828 pm', UTC)).to.equal('2020-10-15T18:38:45.828Z');
      expect(normalizeTime('10/15/2020, 6:38:45.828\u202fPM', UTC)).to.equal('2020-10-15T18:38:45.828Z');
      expect(normalizeTime('10/15/2020, 6:38:45.828PM', UTC)).to.equal('2020-10-15T18:38:45.828Z');
    });
    it('truncates long fractions', () => {
      expect(normalizeTime('10/15/2020, 6:38:45.8289 PM', UTC)).to.equal('2020-10-15T18:38:45.828Z');
    });
    it('accepts the 24-hour form', () => {
      expect(normalizeTime('10/15/2020, 18:38:45.828', UTC)).to.equal('2020-10-15T18:38:45.828Z');
      expect(normalizeTime('10/15/2020, 00:05:00', UTC)).to.equal('2020-10-15T00:05:00.000Z');
      expect(normalizeTime('10/15/2020 18:38', UTC)).to.equal('2020-10-15T18:38:00.000Z');
      expect(normalizeTime('11/20/2020, 10:52:04.808', EASTERN)).to.equal('2020-11-20T15:52:04.808Z');
    });
    it('is null in an unknown zone', () => {
      expect(normalizeTime('10/15/2020, 6:38:45.828 PM', UNKNOWN)).to.equal(null);
      expect(normalizeTime('10/15/2020, 6:38:45.828 PM', resolveZone('Local Time'))).to.equal(null);
    });
  });

  describe('normalizeTime: DST transitions', () => {
    it('takes the first occurrence of a repeated fall-back hour', () => {
      // 2021-11-07 01:30 happens twice in New York: EDT (05:30Z) then EST (06:30Z).
      expect(normalizeTime('11/7/2021, 1:30:00.000 AM', EASTERN)).to.equal('2021-11-07T05:30:00.000Z');
      expect(normalizeTime('11/7/2021, 12:59:59.999 AM', EASTERN)).to.equal('2021-11-07T04:59:59.999Z');
      expect(normalizeTime('11/7/2021, 2:00:00.000 AM', EASTERN)).to.equal('2021-11-07T07:00:00.000Z');
      // 2021-10-31 02:30 happens twice in Berlin: CEST (00:30Z) then CET (01:30Z).
      expect(normalizeTime('2021-10-31T02:30:00', BERLIN)).to.equal('2021-10-31T00:30:00.000Z');
      expect(normalizeTime('2021-10-31T03:00:00', BERLIN)).to.equal('2021-10-31T02:00:00.000Z');
    });
    it('shifts a nonexistent spring-forward time forward by the gap', () => {
      // 2021-03-14 02:30 does not exist in New York; it is read as 03:30 EDT.
      expect(normalizeTime('3/14/2021, 2:30:00.000 AM', EASTERN)).to.equal('2021-03-14T07:30:00.000Z');
      expect(normalizeTime('3/14/2021, 1:59:59.999 AM', EASTERN)).to.equal('2021-03-14T06:59:59.999Z');
      expect(normalizeTime('3/14/2021, 3:00:00.000 AM', EASTERN)).to.equal('2021-03-14T07:00:00.000Z');
      // 2021-03-28 02:30 does not exist in Berlin; it is read as 03:30 CEST.
      expect(normalizeTime('2021-03-28T02:30:00', BERLIN)).to.equal('2021-03-28T01:30:00.000Z');
    });
    it('handles southern-hemisphere and half-hour zones', () => {
      const sydney = resolveZone('AUS Eastern Standard Time');
      expect(normalizeTime('1/15/2021, 12:00:00.000 PM', sydney)).to.equal('2021-01-15T01:00:00.000Z'); // AEDT +11
      expect(normalizeTime('7/15/2021, 12:00:00.000 PM', sydney)).to.equal('2021-07-15T02:00:00.000Z'); // AEST +10
      expect(normalizeTime('7/15/2021, 12:00:00.000 PM', resolveZone('India Standard Time'))).to.equal('2021-07-15T06:30:00.000Z');
      expect(normalizeTime('7/15/2021, 12:00:00.000 PM', resolveZone('Nepal Standard Time'))).to.equal('2021-07-15T06:15:00.000Z');
      // Lord Howe moves by 30 minutes: 2021-10-03 02:15 does not exist, read as 02:45 (+11).
      expect(normalizeTime('2021-10-03T02:15:00', resolveZone('Lord Howe Standard Time'))).to.equal('2021-10-02T15:45:00.000Z');
    });
  });

  describe('normalizeTime: rejects', () => {
    it('empty, null-ish and garbage text', () => {
      for (const t of ['', '   ', 'null', 'NULL', '-', 'N/A', 'yesterday', 'abc2023-12-21T19:04:59Z', '2023-12-21', '2023-12-21T19', '2023-12-21T19:04:59.Z', '2023-12-21T19:04:59Zjunk', '10/15/2020', '10/15/20, 6:38 PM']) {
        expect(normalizeTime(t, UTC), JSON.stringify(t)).to.equal(null);
      }
    });
    it('numbers and numeric strings', () => {
      expect(normalizeTime('1590028071000', UTC)).to.equal(null);
      expect(normalizeTime('0', UTC)).to.equal(null);
      expect(normalizeTime(1590028071000 as unknown as string, UTC)).to.equal(null);
    });
    it('impossible dates and times', () => {
      for (const t of [
        '2023-13-01T00:00:00Z',
        '2023-00-10T00:00:00Z',
        '2023-02-30T00:00:00Z',
        '2023-02-29T00:00:00Z',
        '2023-04-31T00:00:00Z',
        '2023-01-01T25:00:00Z',
        '2023-01-01T24:00:00Z',
        '2023-01-01T23:60:00Z',
        '2023-01-01T23:59:60Z',
        '2023-01-01T12:00:00+24:00',
        '13/1/2020, 1:00:00 AM',
        '2/30/2020, 1:00:00 AM',
        '1/1/2020, 25:00:00',
        '1/1/2020, 13:00:00 PM',
        '1/1/2020, 0:30:00 AM',
      ]) {
        expect(normalizeTime(t, UTC), t).to.equal(null);
      }
    });
    it('accepts Feb 29 in a leap year', () => {
      expect(normalizeTime('2024-02-29T00:00:00Z', UTC)).to.equal('2024-02-29T00:00:00.000Z');
      expect(normalizeTime('2/29/2000, 1:00:00 AM', UTC)).to.equal('2000-02-29T01:00:00.000Z');
      expect(normalizeTime('2/29/1900, 1:00:00 AM', UTC)).to.equal(null);
    });
  });
});
