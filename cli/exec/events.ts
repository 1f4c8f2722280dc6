/**
 * The work of `kd events` (kubectl pkg/cmd/events/events.go and event_printer.go). The checks come
 * in kubectl's order: the shape of `--for`, its type through discovery, the `-o` printer, `--types`.
 * A list is read in pages and sorted by when each event last happened (Go's sort.Sort, so ties
 * keep kubectl's order); a watch prints every event as it comes, the existing ones first.
 */
import { withoutManagedFields } from '../apply/write.js';
import type { EventsFlags } from '../commands/events.js';
import { PreformattedError } from '../commands/kube-flags.js';
import { goSort } from '../describe/gosort.js';
import type { Connection } from '../kube/connect.js';
import { translateTimestampSince } from '../../schemas/format/human-duration.js';

/** A printer of `-o`: the list of a one-shot run, or one event of a watch. */
interface EventPrinter {
  list(list: any): string;
  one(event: any): string;
}

// Go struct field orders: kubectl decodes the events into corev1.Event and its printers encode that
// struct, so its json and kyaml show the fields in this order whatever order the server sent.
const EVENT_FIELDS = ['kind', 'apiVersion', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance'];
const OBJECT_META_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const OBJECT_REFERENCE_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];
const OWNER_REFERENCE_FIELDS = ['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'];
const MANAGED_FIELDS_ENTRY_FIELDS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'];
const EVENT_SOURCE_FIELDS = ['component', 'host'];
const EVENT_SERIES_FIELDS = ['count', 'lastObservedTime'];

/** The object's fields in a struct's order; a field the struct does not have is dropped, as decoding does. */
function inOrder(obj: any, fields: readonly string[]): any {
  if (obj === null || typeof obj !== 'object') return obj;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (obj[f] !== undefined) out[f] = obj[f];
  return out;
}

/**
 * A core/v1 Event as kubectl's typed client decodes and encodes it: struct field order, and the
 * fields Go always encodes (structs, value times, strings without omitempty) present.
 */
function typed(e: any): any {
  const meta = e.metadata ?? {};
  const metadata = inOrder({
    ...meta,
    creationTimestamp: meta.creationTimestamp ?? null,
    ownerReferences: meta.ownerReferences?.map((r: any) => inOrder(r, OWNER_REFERENCE_FIELDS)),
    managedFields: meta.managedFields?.map((m: any) => inOrder(m, MANAGED_FIELDS_ENTRY_FIELDS)),
  }, OBJECT_META_FIELDS);
  return inOrder({
    ...e,
    kind: 'Event',
    apiVersion: 'v1',
    metadata,
    involvedObject: inOrder(e.involvedObject ?? {}, OBJECT_REFERENCE_FIELDS),
    source: inOrder(e.source ?? {}, EVENT_SOURCE_FIELDS),
    firstTimestamp: e.firstTimestamp ?? null,
    lastTimestamp: e.lastTimestamp ?? null,
    eventTime: e.eventTime ?? null,
    series: e.series ? inOrder(e.series, EVENT_SERIES_FIELDS) : undefined,
    related: e.related ? inOrder(e.related, OBJECT_REFERENCE_FIELDS) : undefined,
    reportingComponent: e.reportingComponent ?? '',
    reportingInstance: e.reportingInstance ?? '',
  }, EVENT_FIELDS);
}

/** Runs `events` with its flags. */
export async function runEvents(flags: EventsFlags): Promise<void> {
  const forArg = flags.for ?? '';
  // decodeResourceTypeName: the shape is checked before the type is looked up.
  if (forArg !== '' && !forArg.includes('/')) throw new Error('--for must be in resource/name form');
  if (forArg.split('/').length > 2) throw new Error('arguments in resource/name form may not have more than one slash');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fieldSelector = forArg === '' ? undefined : await forSelector(conn, forArg);
    const printer = await eventPrinter(flags);
    const types = [...new Set(flags.types)].sort();
    if (types.some((t) => !['normal', 'warning'].includes(t.toLowerCase()))) throw new Error('valid --types are Normal or Warning');
    const wanted = (e: any) => types.length === 0 || types.some((t) => t.toLowerCase() === String(e?.type ?? '').toLowerCase());
    const namespace = flags.allNamespaces ? undefined : conn.namespace;
    const path = namespace === undefined ? '/api/v1/events' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    const query = new URLSearchParams();
    if (fieldSelector) query.set('fieldSelector', fieldSelector);
    query.set('limit', '500');
    if (flags.watch) return await watchEvents(conn, `${path}?${query}&watch=true`, flags, printer, wanted);
    const items: any[] = [];
    for (;;) {
      const page = await conn.client.getJson(`${path}?${query}`);
      items.push(...(page.items ?? []));
      if (!page.metadata?.continue) break;
      query.set('continue', page.metadata.continue);
    }
    const events = items.filter(wanted).map(typed);
    if (events.length === 0) {
      process.stderr.write(flags.allNamespaces ? 'No events found.\n' : `No events found in ${conn.namespace} namespace.\n`);
      return;
    }
    const sorted = goSort(events, (a, b) => lastHappened(a) < lastHappened(b));
    if (printer) return void process.stdout.write(printer.list({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items: sorted }));
    const { GoTabWriter } = await import('../print/tabwriter.js');
    const w = new GoTabWriter((text) => process.stdout.write(text));
    new EventTable(flags, w).print(sorted, Date.now());
    w.flush();
  } finally {
    await conn.client.close();
  }
}

/** The field selector of `--for TYPE/NAME`: kind, apiVersion and name of the involved object. */
async function forSelector(conn: Connection, forArg: string): Promise<string> {
  const [type = '', name = ''] = forArg.split('/');
  let resource;
  try {
    [resource] = await conn.resolve(type.toLowerCase());
  } catch (err) {
    // The mapper's NoMatch error, which kubectl prints without `error: `.
    throw new PreformattedError([err]);
  }
  const apiVersion = resource!.group === '' ? resource!.version : `${resource!.group}/${resource!.version}`;
  return `involvedObject.kind=${resource!.kind},involvedObject.apiVersion=${apiVersion},involvedObject.name=${name}`;
}

/** The printer of `-o` (kubectl's PrintFlags); undefined for the events table. */
async function eventPrinter(flags: EventsFlags): Promise<EventPrinter | undefined> {
  // Unlike get, a --template without -o leaves the events table in place.
  const out = flags.output ?? '';
  if (out === '') return undefined;
  // OmitManagedFieldsPrinter wraps the json, yaml and kyaml printers, list items included.
  const strip = (obj: any) => (flags.showManagedFields ? obj : obj.items ? { ...obj, items: obj.items.map(withoutManagedFields) } : withoutManagedFields(obj));
  const generic = await import('../print/generic.js');
  if (out === 'json') return both((obj) => generic.printTypedJson(strip(obj)));
  if (out === 'yaml') {
    // One YAML printer for the whole watch: a document after the first is preceded by `---`.
    let printed = 0;
    return both((obj) => `${printed++ > 0 ? '---\n' : ''}${generic.printYaml(strip(obj))}`);
  }
  // The name printer prints nothing for kubectl's EventList, only the events a watch prints one by one.
  if (out === 'name') return { list: () => '', one: generic.printName };
  const { sharedPrinter } = await import('../print/printers.js');
  const shared = await sharedPrinter(out, { strip, typed: true });
  if (shared) return both(shared);
  const { PRINT_FORMATS } = await import('../mutate/common.js');
  throw new Error(`unable to match a printer suitable for the output format "${out}", allowed formats are: ${PRINT_FORMATS}`);
}

function both(print: (obj: any) => string): EventPrinter {
  return { list: print, one: print };
}

/** `events -w`: a watch from now, its first events being the existing ones; DELETED and other types are skipped. */
async function watchEvents(conn: Connection, path: string, flags: EventsFlags, printer: EventPrinter | undefined, wanted: (e: any) => boolean): Promise<void> {
  const [{ readWatchEvents }, { GoTabWriter }] = await Promise.all([import('../print/watch.js'), import('../print/tabwriter.js')]);
  const res = await conn.client.stream(path);
  const w = new GoTabWriter((text) => process.stdout.write(text));
  const table = new EventTable(flags, w);
  for await (const e of readWatchEvents(res)) {
    // Events are deleted an hour after their last write: kubectl does not print that. An ERROR's
    // Status is no Event either.
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED') continue;
    if (!wanted(e.object)) continue;
    const event = typed(e.object);
    if (printer) process.stdout.write(printer.one(event));
    else {
      table.print([event], Date.now());
      w.flush();
    }
  }
}

// Go's zero time, what an unset timestamp sorts as.
const ZERO_MICROS = Date.parse('0001-01-01T00:00:00Z') * 1000;

/** A metav1.Time or MicroTime in microseconds: sorting tells apart events of one millisecond. */
function micros(ts: string | null | undefined): number {
  const ms = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(ms)) return ZERO_MICROS;
  const fraction = /\.(\d+)/.exec(ts!)?.[1] ?? '';
  return Math.floor(ms / 1000) * 1_000_000 + Number(fraction.slice(0, 6).padEnd(6, '0'));
}

/** SortableEvents' eventTime: the series' last observation, else lastTimestamp, else eventTime. */
function lastHappened(e: any): number {
  if (e.series) return micros(e.series.lastObservedTime);
  const last = micros(e.lastTimestamp);
  return last !== ZERO_MICROS ? last : micros(e.eventTime);
}

/** The LAST SEEN cell: `<age>`, or `<age> (xN over <age of the first>)` for a repeated event. */
function interval(e: any, now: number): string {
  const since = (ts: string | null | undefined) => translateTimestampSince(ts, now);
  const first = micros(e.eventTime) === ZERO_MICROS ? since(e.firstTimestamp) : since(e.eventTime);
  if (e.series) return `${since(e.series.lastObservedTime)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}

/** printers.EscapeTerminal, which kubectl 1.35's event printer applies to each field (line breaks stay). */
function escapeTerminal(text: unknown): string {
  return String(text ?? '').replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

/** The default printer of `events`: its header once, then a line per event, through kubectl's tabwriter. */
class EventTable {
  private headersPrinted = false;

  constructor(
    private readonly flags: EventsFlags,
    private readonly w: { write(text: string): void },
  ) {}

  print(events: any[], now: number): void {
    const ns = !!this.flags.allNamespaces;
    if (this.flags.headers && !this.headersPrinted) {
      this.w.write(`${ns ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`);
      this.headersPrinted = true;
    }
    for (const e of events) {
      const object = `${escapeTerminal(e.involvedObject?.kind)}/${escapeTerminal(e.involvedObject?.name)}`;
      const message = escapeTerminal(String(e.message ?? '').trim());
      this.w.write(`${ns ? `${e.metadata?.namespace ?? ''}\t` : ''}${interval(e, now)}\t${escapeTerminal(e.type)}\t${escapeTerminal(e.reason)}\t${object}\t${message}\n`);
    }
  }
}
