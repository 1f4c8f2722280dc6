// Event columns for core/v1 and events.k8s.io/v1 Events. Port of printEvent (formatEventSource) in
// kubernetes pkg/printers/internalversion/printers.go. The apiserver prints both versions from the one
// internal Event; here each column reads whichever field name the object carries.
import type { Event as CoreEvent, EventSeries, EventSource, ObjectReference } from 'kubernetes-types/core/v1.js';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { parseTimestamp, translateTimestampSince } from '../../../schemas/format/human-duration.js';
import { col, NAME_DESCRIPTION, view, type Column } from './table.js';

/** An Event seen through the internal API's field names, whichever version it was written in. */
interface EventView {
  involved: ObjectReference;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: EventSeries;
  source: EventSource;
  reportingController: string;
  reportingInstance: string;
}

function eventView(obj: KubeObject): EventView {
  const core = view<CoreEvent>(obj);
  const v1 = view<EventsV1Event>(obj);
  return {
    involved: core.involvedObject ?? v1.regarding ?? {},
    message: core.message ?? v1.note ?? '',
    count: core.count ?? v1.deprecatedCount ?? 0,
    firstTimestamp: core.firstTimestamp ?? v1.deprecatedFirstTimestamp,
    lastTimestamp: core.lastTimestamp ?? v1.deprecatedLastTimestamp,
    eventTime: core.eventTime ?? v1.eventTime,
    series: core.series ?? v1.series,
    source: core.source ?? v1.deprecatedSource ?? {},
    reportingController: core.reportingComponent ?? v1.reportingController ?? '',
    reportingInstance: core.reportingInstance ?? v1.reportingInstance ?? '',
  };
}

function firstSeen(e: EventView, now: number): string {
  return parseTimestamp(e.firstTimestamp) !== undefined ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
}

/**
 * The LAST SEEN cell: the series' last observation, else lastTimestamp, else the FIRST SEEN value.
 * @example eventLastSeen(event, now) // '12s'
 */
export function eventLastSeen(obj: KubeObject, now: number): string {
  const e = eventView(obj);
  if (e.series) return translateTimestampSince(e.series.lastObservedTime, now);
  return parseTimestamp(e.lastTimestamp) !== undefined ? translateTimestampSince(e.lastTimestamp, now) : firstSeen(e, now);
}

/**
 * The OBJECT cell: `<kind in lower case>/<name>`, or just the kind when the reference has no name.
 * @example eventObject(event) // 'pod/web-7c5ddbdf54-x9k2q'
 */
export function eventObject(obj: KubeObject): string {
  const { kind = '', name } = eventView(obj).involved;
  return name ? `${kind.toLowerCase()}/${name}` : kind.toLowerCase();
}

/**
 * The SOURCE cell: `<component>[, <host>]`, falling back to the reporting controller and instance.
 * @example eventSource(event) // 'kubelet, node1'
 */
export function eventSource(obj: KubeObject): string {
  const e = eventView(obj);
  const component = e.source.component || e.reportingController;
  const instance = e.source.host || e.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

function eventCount(obj: KubeObject): number {
  const e = eventView(obj);
  if (e.series) return e.series.count ?? 0;
  // Singleton events written through the new API carry no count.
  return e.count === 0 ? 1 : e.count;
}

/** Event columns: Last Seen, Type, Reason, Object, Message, and wide Subobject, Source, First Seen, Count, Name, in upstream order. */
export function eventColumns(): Column[] {
  const core = view<CoreEvent>;
  return [
    col({ name: 'Last Seen', description: 'The time at which the most recent occurrence of this event was recorded.' }, eventLastSeen),
    col({ name: 'Type', description: 'Type of this event (Normal, Warning), new types could be added in the future' }, (o) => core(o).type ?? ''),
    col(
      { name: 'Reason', description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status." },
      (o) => core(o).reason ?? '',
    ),
    col({ name: 'Object', description: 'The object that this event is about.' }, eventObject),
    col(
      { name: 'Subobject', priority: 1, description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].' },
      (o) => eventView(o).involved.fieldPath ?? '',
    ),
    col({ name: 'Source', priority: 1, description: 'The component reporting this event. Should be a short machine understandable string.' }, eventSource),
    col({ name: 'Message', description: 'A human-readable description of the status of this operation.' }, (o) => eventView(o).message.trim()),
    col({ name: 'First Seen', priority: 1, description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)' }, (o, now) => firstSeen(eventView(o), now)),
    col({ name: 'Count', priority: 1, description: 'The number of times this event has occurred.' }, eventCount),
    col({ name: 'Name', priority: 1, format: 'name', description: NAME_DESCRIPTION }, (o) => o.metadata.name ?? ''),
  ];
}
