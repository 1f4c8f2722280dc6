import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronParseError, formatRFC3339In, parseCronSchedule } from '../../../../server/controllers/cronjob/cron-schedule.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);

/** Next activation after `from` for a spec, as an ISO string. */
function next(spec: string, from: string, tz?: string): string {
  return iso(parseCronSchedule(spec, tz).next(at(from)));
}

test('every minute fires at the next whole minute, strictly after the given time', () => {
  assert.equal(next('*/1 * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:01:00.000Z');
  assert.equal(next('* * * * *', '2026-01-01T00:00:30.500Z'), '2026-01-01T00:01:00.000Z');
});

test('steps, ranges, lists and names', () => {
  assert.equal(next('*/15 * * * *', '2026-01-01T00:16:00Z'), '2026-01-01T00:30:00.000Z');
  assert.equal(next('5-10/2 3 * * *', '2026-01-01T03:07:00Z'), '2026-01-01T03:09:00.000Z');
  assert.equal(next('0 9,17 * * *', '2026-01-01T09:00:00Z'), '2026-01-01T17:00:00.000Z');
  // 2026-01-01 is a Thursday; the next Monday is Jan 5.
  assert.equal(next('30 8 * * MON', '2026-01-01T00:00:00Z'), '2026-01-05T08:30:00.000Z');
  assert.equal(next('0 0 1 mar-may *', '2026-01-01T00:00:00Z'), '2026-03-01T00:00:00.000Z');
  // "N/step" means N-max/step.
  assert.equal(next('50/5 * * * *', '2026-01-01T00:56:00Z'), '2026-01-01T01:50:00.000Z');
});

test('month ends: day 31 skips short months, Feb 29 waits for a leap year', () => {
  assert.equal(next('0 0 31 * *', '2026-01-31T00:00:00Z'), '2026-03-31T00:00:00.000Z');
  assert.equal(next('0 12 30 * *', '2026-01-30T12:00:00Z'), '2026-03-30T12:00:00.000Z');
  assert.equal(next('59 23 * * *', '2026-12-31T23:59:00Z'), '2027-01-01T23:59:00.000Z');
  assert.equal(next('0 0 29 2 *', '2026-01-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
  assert.equal(parseCronSchedule('0 0 30 2 *').next(at('2026-01-01T00:00:00Z')), 0);
});

test('day-of-month and day-of-week: OR when both restricted, AND when one is *', () => {
  // The 13th or any Friday: Friday Jan 2 comes first.
  assert.equal(next('0 0 13 * 5', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
  // Stepped star (*/2) is not a bare star, so the fields OR again.
  assert.equal(next('0 0 */2 * 1', '2026-01-01T12:00:00Z'), '2026-01-03T00:00:00.000Z');
});

test('descriptors and @every', () => {
  assert.equal(next('@hourly', '2026-01-01T00:30:00Z'), '2026-01-01T01:00:00.000Z');
  assert.equal(next('@daily', '2026-01-01T00:30:00Z'), '2026-01-02T00:00:00.000Z');
  assert.equal(next('@weekly', '2026-01-01T00:30:00Z'), '2026-01-04T00:00:00.000Z');
  assert.equal(next('@monthly', '2026-01-15T00:00:00Z'), '2026-02-01T00:00:00.000Z');
  assert.equal(next('@yearly', '2026-01-15T00:00:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(next('@every 90s', '2026-01-01T00:00:10.250Z'), '2026-01-01T00:01:40.000Z');
  assert.equal(next('@every 1h30m', '2026-01-01T00:00:00Z'), '2026-01-01T01:30:00.000Z');
});

test('time zones: spec.timeZone and a CRON_TZ prefix evaluate wall-clock fields', () => {
  // 09:00 in Tokyo (UTC+9, no DST) is 00:00 UTC.
  assert.equal(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Asia/Tokyo'), '2026-01-02T00:00:00.000Z');
  assert.equal(next('CRON_TZ=Asia/Tokyo 0 9 * * *', '2025-12-31T23:00:00Z'), '2026-01-01T00:00:00.000Z');
  // New York is UTC-5 in January and UTC-4 in July.
  assert.equal(next('0 8 * * *', '2026-01-10T00:00:00Z', 'America/New_York'), '2026-01-10T13:00:00.000Z');
  assert.equal(next('0 8 * * *', '2026-07-10T00:00:00Z', 'America/New_York'), '2026-07-10T12:00:00.000Z');
  assert.equal(formatRFC3339In(at('2026-01-01T00:00:00Z'), 'Asia/Tokyo'), '2026-01-01T09:00:00+09:00');
  assert.equal(formatRFC3339In(at('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00Z');
});

test('invalid specs throw robfig/cron error texts', () => {
  assert.throws(() => parseCronSchedule('* * * *'), (e: unknown) => e instanceof CronParseError && e.message === 'expected exactly 5 fields, found 4: [* * * *]');
  assert.throws(() => parseCronSchedule('@fortnightly'), /unrecognized descriptor: @fortnightly/);
});
