import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, parseTimestamp, translateTimestampSince } from '../../../schemas/format/human-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  // Boundaries of every row of the HumanDuration table (k8s-behavior.md §0.6).
  const cases: Array<[ms: number, want: string]> = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [-1, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * S, '5s'],
    [119 * S + 999, '119s'],
    [120 * S, '2m'],
    [2 * M + 3 * S, '2m3s'],
    [5 * M, '5m'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 59 * S, '10m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 4 * M, '3h4m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [729 * D + 23 * H, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 45 * D, '3y45d'],
    [8 * 365 * D - D, '7y364d'],
    [8 * 365 * D, '8y'],
    [10 * 365 * D, '10y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();
  // Cases from upstream printers_test.go TestTranslateTimestampSince.
  const cases: Array<[name: string, ts: string | undefined, want: string]> = [
    ['a while from now', ago(-2100), '<invalid>'],
    ['almost now', ago(-1900), '0s'],
    ['now', ago(0), '0s'],
    ['unset', undefined, '<unknown>'],
    ['empty string', '', '<unknown>'],
    ['Go zero time', '0001-01-01T00:00:00Z', '<unknown>'],
    ['30 seconds ago', ago(30 * S), '30s'],
    ['5 minutes ago', ago(5 * M), '5m'],
    ['an hour ago (100 minutes)', ago(100 * M), '100m'],
    ['2 days ago', ago(2 * D), '2d'],
    ['months ago', ago(90 * D), '90d'],
    ['10 years ago', ago(10 * 365 * D), '10y'],
    ['MicroTime with fraction', '2024-06-01T11:59:30.123456Z', '29s'],
  ];
  for (const [name, ts, want] of cases) {
    it(name, () => assert.equal(translateTimestampSince(ts, now), want));
  }
});

describe('parseTimestamp', () => {
  it('returns epoch milliseconds for RFC 3339', () => assert.equal(parseTimestamp('1970-01-01T00:00:10Z'), 10_000));
  it('returns undefined for garbage', () => assert.equal(parseTimestamp('yesterday-ish'), undefined));
});
