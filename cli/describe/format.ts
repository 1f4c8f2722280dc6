/**
 * Shared pieces of kubectl's describers (kubectl pkg/describe/describe.go): multi-line labels,
 * annotations, taints and tolerations, the Events table, RFC1123Z times and Quantity.String().
 */
import { humanDuration, parseTimestamp } from '../../schemas/format/human-duration.js';
import { goSort } from './gosort.js';
import type { PrefixWriter } from './writer.js';

/** describe.go maxAnnotationLen: longer annotations are printed on their own lines, shortened. */
const MAX_ANNOTATION_LEN = 140;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z in the local zone (`Mon, 02 Jan 2006 15:04:05 -0700`); Go's zero time when unset. */
export function rfc1123z(ts: string | null | undefined): string {
  const ms = parseTimestamp(ts);
  if (ms === undefined) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${pad2(Math.trunc(Math.abs(off) / 60))}${pad2(Math.abs(off) % 60)}`;
  return `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone}`;
}

/** translateTimestampSince against the wall clock, as kubectl computes ages. */
export function since(ts: string | null | undefined): string {
  const ms = parseTimestamp(ts);
  return ms === undefined ? '<unknown>' : humanDuration(Date.now() - ms);
}

/** Go's byte order of strings. */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** printLabelsMultilineWithIndent. */
export function printLabels(w: PrefixWriter, title: string, labels: Record<string, string> | undefined | null, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(byteCompare);
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

/** printAnnotationsMultiline: skips last-applied-configuration; long or multi-line values get their own lines. */
export function printAnnotations(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined | null): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort(byteCompare);
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![k]!.replace(/\n$/, '');
    if (Buffer.byteLength(value) + Buffer.byteLength(k) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${k}: ${value}\n`);
    }
  });
}

function shorten(s: string, max: number): string {
  const b = Buffer.from(s);
  return b.length > max ? `${b.subarray(0, max).toString()}...` : s;
}

/** Taint.ToString: `key=value:Effect`, `key:Effect`. */
export function taintString(t: any): string {
  if (!t.value) return `${t.key}:${t.effect}`;
  return `${t.key}=${t.value}:${t.effect}`;
}

/** printTaintsMultilineWithIndent, sorted by `effect,key`. */
export function printTaints(w: PrefixWriter, title: string, taints: any[] | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (!taints?.length) return w.writeLine('<none>');
  const key = (t: any) => `${t.effect ?? ''},${t.key ?? ''}`;
  goSortBy(taints, (a, b) => byteCompare(key(a), key(b))).forEach((t, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultilineWithIndent, sorted by key. */
export function printTolerations(w: PrefixWriter, title: string, tolerations: any[] | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (!tolerations?.length) return w.writeLine('<none>');
  goSortBy(tolerations, (a, b) => byteCompare(a.key ?? '', b.key ?? '')).forEach((t, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

/** A sorted copy in Go's sort.Slice order (not stable: equal elements keep Go's order, not theirs). */
export function goSortBy<T>(items: T[], cmp: (a: T, b: T) => number): T[] {
  return goSort(items, (a, b) => cmp(a, b) < 0);
}

/**
 * DescribeEvents: `Events: <none>` or the events table, ordered by lastTimestamp alone (kubectl's
 * describe sorts so; only `kubectl events` looks at eventTime): an events.k8s.io event, which has
 * none, comes first.
 */
export function describeEvents(events: any[] | undefined, w: PrefixWriter): void {
  if (events === undefined) return;
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  w.flush();
  const at = (e: any) => parseTimestamp(e.lastTimestamp) ?? Number.NEGATIVE_INFINITY;
  const sorted = goSortBy(events, (a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime) : since(e.firstTimestamp);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || '';
    // kubectl 1.35 names the part of the object an event is about (a container) before the message.
    const path = e.involvedObject?.fieldPath ? `${e.involvedObject.fieldPath}: ` : '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${path}${String(e.message ?? '').trim()}\n`);
  }
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/** An exact quantity in nano-units with the format Go keeps for it. */
export interface Quantity {
  nano: bigint;
  binary: boolean;
}

/** Parses a quantity string (decimal SI, binary SI or exponent forms). */
export function parseQty(input: string | number | undefined | null): Quantity {
  const text = String(input ?? '0').trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(text);
  if (!m) return { nano: 0n, binary: false };
  const digits = `${m[2] ?? ''}${m[3] ?? ''}` || '0';
  let exp10 = 9 - (m[3]?.length ?? 0) + (m[4] ? Number(m[4]) : 0);
  let mult = 1n;
  const suffix = m[5];
  const binary = suffix !== undefined && suffix in BINARY_SUFFIXES;
  if (binary) mult = 1024n ** BigInt(BINARY_SUFFIXES[suffix!]!);
  else if (suffix) exp10 += DECIMAL_SUFFIXES[suffix]!;
  let v = BigInt(digits) * mult;
  if (exp10 >= 0) v *= 10n ** BigInt(exp10);
  else {
    const d = 10n ** BigInt(-exp10);
    v = (v + d - 1n) / d;
  }
  return { nano: m[1] === '-' ? -v : v, binary };
}

const NANO = 1_000_000_000n;

/** Quantity.String(): the canonical text of a quantity in its format. */
export function qtyString(q: Quantity): string {
  const neg = q.nano < 0n;
  const abs = neg ? -q.nano : q.nano;
  const sign = neg ? '-' : '';
  if (q.binary && abs % NANO === 0n && abs / NANO >= 1024n) {
    let v = abs / NANO;
    let i = 0;
    while (i < 6 && v % 1024n === 0n) {
      v /= 1024n;
      i++;
    }
    return `${sign}${v}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][i]}`;
  }
  if (abs === 0n) return '0';
  let exp = -9;
  let v = abs;
  while (exp < 18 && v % 1000n === 0n) {
    v /= 1000n;
    exp += 3;
  }
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exp)![0];
  return `${sign}${v}${suffix}`;
}

/** The canonical text of a quantity string. */
export function canonicalQty(input: string | number | undefined | null): string {
  return qtyString(parseQty(input));
}

/** Quantity.Add keeping the receiver's format (the first operand's), as describers sum requests. */
export function addQty(a: Quantity | undefined, b: Quantity): Quantity {
  return a ? { nano: a.nano + b.nano, binary: a.binary } : { ...b };
}

/** Quantity.Value() (rounded up) and MilliValue(). */
export function qtyValue(q: Quantity): number {
  return Number((q.nano + NANO - 1n) / NANO);
}
export function qtyMilli(q: Quantity): number {
  const d = 1_000_000n;
  return Number((q.nano + d - 1n) / d);
}

/** IntOrString's String(). */
export function intOrString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}
