// Port of apimachinery pkg/util/duration/duration.go (HumanDuration) and of the printers'
// translateTimestampSince helper. See k8s-behavior.md §0.6 for the table this implements.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAYS_PER_YEAR = 365;

/**
 * Formats an elapsed time the way kubectl's AGE column does (`5s`, `2m3s`, `10m`, `3h4m`, `2d3h`, `3y45d`).
 * @example humanDuration(123_000) // '2m3s'
 */
export function humanDuration(ms: number): string {
  // Go converts with int(d.Seconds()), which truncates toward zero: up to 1.999 s in the future
  // still counts as "now" so that small clock skew between machines does not print <invalid>.
  const seconds = Math.trunc(ms / SECOND_MS);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE_MS);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR_MS);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (hours < 24 * DAYS_PER_YEAR * 2) return `${days}d`;
  const years = Math.trunc(days / DAYS_PER_YEAR);
  if (hours < 24 * DAYS_PER_YEAR * 8) return withRemainder(years, 'y', days % DAYS_PER_YEAR, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

// metav1.Time's zero value serialises as null, but a Go client may still send the year-1 instant.
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * Parses a metav1.Time / MicroTime string to epoch milliseconds; undefined when unset or unparsable.
 */
export function parseTimestamp(ts: string | null | undefined): number | undefined {
  if (!ts) return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || ms === GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/**
 * HumanDuration of `now − ts`, or `<unknown>` when the timestamp is unset (printers' translateTimestampSince).
 * @example translateTimestampSince('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:05:00Z')) // '5m'
 */
export function translateTimestampSince(ts: string | null | undefined, now: number): string {
  const ms = parseTimestamp(ts);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
