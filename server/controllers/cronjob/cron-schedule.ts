/**
 * Cron schedules as the CronJob controller reads them: a TypeScript port of the behaviour of
 * github.com/robfig/cron/v3 (ParseStandard, SpecSchedule.Next, ConstantDelaySchedule) that
 * kubernetes pkg/controller/cronjob uses. Five fields (minute hour day-of-month month day-of-week)
 * with `*`/`?`, ranges, steps, lists and month/weekday names; the descriptors @yearly, @annually,
 * @monthly, @weekly, @daily, @midnight, @hourly and @every <duration>; a `TZ=`/`CRON_TZ=` prefix
 * or a separate time zone (spec.timeZone) for wall-clock evaluation.
 */
import { parseCronStandard } from '../../validation/workloads.js';

/** A parsed schedule: the first activation strictly after a time (0 when none within five years). */
export interface CronSchedule {
  next(afterMs: number): number;
}

/** A schedule that does not parse; the message is robfig/cron's error text. */
export class CronParseError extends Error {
  override name = 'CronParseError';
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
/** robfig/cron gives up looking for a matching time this many years ahead. */
const YEAR_LIMIT_YEARS = 5;

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOW_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Bounds {
  min: number;
  max: number;
  names?: string[];
  /** Offset of names[0] (months count from 1). */
  nameBase?: number;
}

const FIELD_BOUNDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { min: 0, max: 6, names: DOW_NAMES, nameBase: 0 },
];

/** One field's allowed values, and whether it was written as a bare `*`/`?` (robfig's starBit). */
interface FieldSet {
  values: Set<number>;
  star: boolean;
}

/** The descriptors as the equivalent five fields. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Parses a standard cron spec, evaluated in `timeZone` (IANA name; UTC when omitted) unless the
 * spec carries its own `TZ=`/`CRON_TZ=` prefix.
 * @example parseCronSchedule('*\/5 * * * *').next(Date.UTC(2026, 0, 1, 0, 3)) // 00:05 UTC
 */
export function parseCronSchedule(spec: string, timeZone?: string): CronSchedule {
  const err = parseCronStandard(spec);
  if (err) throw new CronParseError(err);
  let s = spec;
  let zone = timeZone;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const space = s.indexOf(' ');
    zone = s.slice(s.indexOf('=') + 1, space);
    s = s.slice(space).trim();
  }
  const tz = newZone(zone);
  if (s.startsWith('@every ')) return constantDelay(parseGoDuration(s.slice('@every '.length)));
  const fields = (DESCRIPTORS[s] ?? s).split(/\s+/).filter((f) => f !== '');
  const sets = fields.map((f, i) => parseField(f, FIELD_BOUNDS[i]!));
  return new SpecSchedule(sets, tz);
}

function parseField(field: string, b: Bounds): FieldSet {
  const out: FieldSet = { values: new Set(), star: false };
  for (const expr of field.split(',').filter((e) => e !== '')) {
    const [range = '', stepText] = expr.split('/');
    const lowHigh = range.split('-');
    let start: number;
    let end: number;
    let star = false;
    if (lowHigh[0] === '*' || lowHigh[0] === '?') {
      [start, end, star] = [b.min, b.max, true];
    } else {
      start = parseIntOrName(lowHigh[0]!, b);
      end = lowHigh.length === 2 ? parseIntOrName(lowHigh[1]!, b) : start;
    }
    let step = 1;
    if (stepText !== undefined) {
      step = Number(stepText);
      // "N/step" means "N-max/step".
      if (lowHigh.length === 1) end = b.max;
      if (step > 1) star = false;
    }
    for (let v = start; v <= end; v += step) out.values.add(v);
    out.star ||= star;
  }
  return out;
}

function parseIntOrName(text: string, b: Bounds): number {
  const i = b.names?.indexOf(text.toLowerCase()) ?? -1;
  return i >= 0 ? i + (b.nameBase ?? 0) : Number(text);
}

/** ConstantDelaySchedule: every `delayMs`, rounded down to whole seconds (at least one second). */
function constantDelay(delayMs: number): CronSchedule {
  const delay = Math.max(SECOND_MS, delayMs - (delayMs % SECOND_MS));
  return { next: (t) => t - (((t % SECOND_MS) + SECOND_MS) % SECOND_MS) + delay };
}

const GO_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS };

/** Go's time.ParseDuration for the (already validated) `@every` argument, in milliseconds. */
function parseGoDuration(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1] || '0') * GO_UNITS_MS[m[2]!]!;
  return Math.round(total);
}

/** Wall-clock arithmetic in one zone (Go's time.Time with a Location). */
interface Zone {
  /** Offset of local wall time from UTC at an instant. */
  offsetMs(utcMs: number): number;
}

const UTC_ZONE: Zone = { offsetMs: () => 0 };

function newZone(name: string | undefined): Zone {
  if (!name || name === 'UTC') return UTC_ZONE;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  return {
    offsetMs(utcMs) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(utcMs)).map((x) => [x.type, Number(x.value)]));
      const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
      return wall - (utcMs - (((utcMs % SECOND_MS) + SECOND_MS) % SECOND_MS));
    },
  };
}

/**
 * Formats an instant as RFC 3339 in a time zone (UTC when omitted), like Go's
 * `t.In(loc).Format(time.RFC3339)`.
 * @example formatRFC3339In(Date.UTC(2026, 0, 1), 'Asia/Tokyo') // '2026-01-01T09:00:00+09:00'
 */
export function formatRFC3339In(ms: number, timeZone?: string): string {
  const off = newZone(timeZone).offsetMs(ms);
  const local = new Date(ms + off).toISOString().slice(0, 19);
  if (off === 0) return `${local}Z`;
  const abs = Math.abs(off) / MINUTE_MS;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${off < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** Local calendar fields of an instant. */
interface Fields {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

/** SpecSchedule: the bit sets of each field, evaluated in a zone. */
class SpecSchedule implements CronSchedule {
  constructor(
    private readonly f: FieldSet[],
    private readonly zone: Zone,
  ) {}

  private fields(t: number): Fields {
    const d = new Date(t + this.zone.offsetMs(t));
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
    };
  }

  /** Go's time.Date in the zone: wall time to instant, normalising overflowing fields. */
  private date(y: number, mo: number, d: number, h: number, mi: number): number {
    const wall = Date.UTC(y, mo - 1, d, h, mi, 0);
    let off = this.zone.offsetMs(wall);
    const second = this.zone.offsetMs(wall - off);
    if (second !== off) off = second;
    return wall - off;
  }

  private dayMatches(x: Fields): boolean {
    const [dom, dow] = [this.f[2]!, this.f[4]!];
    const domMatch = dom.values.has(x.day);
    const dowMatch = dow.values.has(x.weekday);
    // A bare `*` in either day field makes the two fields AND; otherwise either may match.
    return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  }

  next(afterMs: number): number {
    let t = afterMs - (((afterMs % SECOND_MS) + SECOND_MS) % SECOND_MS) + SECOND_MS;
    let added = false;
    const yearLimit = this.fields(t).year + YEAR_LIMIT_YEARS;
    for (;;) {
      const r = this.advance(t, added);
      if (r.done) return r.t;
      [t, added] = [r.t, true];
      if (this.fields(t).year > yearLimit) return 0;
    }
  }

  /** One pass of robfig's WRAP loop: done with the match, or the time to wrap around from. */
  private advance(start: number, wasAdded: boolean): { t: number; done: boolean } {
    let t = start;
    let added = wasAdded;
    let x = this.fields(t);
    while (!this.f[3]!.values.has(x.month)) {
      if (!added) [added, t] = [true, this.date(x.year, x.month, 1, 0, 0)];
      x = this.fields(t);
      t = this.date(x.year, x.month + 1, x.day, x.hour, x.minute);
      x = this.fields(t);
      if (x.month === 1) return { t, done: false };
    }
    while (!this.dayMatches(x)) {
      if (!added) [added, t] = [true, this.date(x.year, x.month, x.day, 0, 0)];
      x = this.fields(t);
      t = this.date(x.year, x.month, x.day + 1, x.hour, x.minute);
      x = this.fields(t);
      // Midnight may not exist on a DST change day: move back onto the day's start.
      if (x.hour !== 0) t += (x.hour > 12 ? 24 - x.hour : -x.hour) * HOUR_MS;
      x = this.fields(t);
      if (x.day === 1) return { t, done: false };
    }
    while (!this.f[1]!.values.has(x.hour)) {
      if (!added) [added, t] = [true, this.date(x.year, x.month, x.day, x.hour, 0)];
      t += HOUR_MS;
      x = this.fields(t);
      if (x.hour === 0) return { t, done: false };
    }
    while (!this.f[0]!.values.has(x.minute)) {
      if (!added) [added, t] = [true, t - (t % MINUTE_MS)];
      t += MINUTE_MS;
      x = this.fields(t);
      if (x.minute === 0) return { t, done: false };
    }
    // Standard specs fire at second 0 only.
    while (x.second !== 0) {
      if (!added) [added, t] = [true, t - (t % SECOND_MS)];
      t += SECOND_MS;
      x = this.fields(t);
      if (x.second === 0) return { t, done: false };
    }
    return { t, done: true };
  }
}
