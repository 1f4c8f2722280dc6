/**
 * `-o json` of the typed lists `cluster-info dump` prints. kubectl encodes them from Go structs, so
 * TypeMeta (`kind`, `apiVersion`) leads and ObjectMeta/ListMeta keep their struct order
 * (apimachinery pkg/apis/meta/v1/types.go); other fields keep the order the server sent.
 */

/** ObjectMeta's JSON fields in struct order. */
const OBJECT_META = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];
/** ListMeta's JSON fields in struct order. */
const LIST_META = ['selfLink', 'resourceVersion', 'continue', 'remainingItemCount'];

/** core/v1 Event's fields in struct order: eventTime has no omitempty, so Go writes it as null. */
const EVENT_FIELDS = [
  'kind', 'apiVersion', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count',
  'type', 'eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance',
];

/**
 * The object as kubectl's typed round trip leaves it: fields Go always encodes are added
 * (an Event's `eventTime: null`).
 */
export function withTypedDefaults(obj: any): any {
  if (obj?.kind !== 'Event' || obj.apiVersion !== 'v1' || 'eventTime' in obj) return obj;
  return ordered({ ...obj, eventTime: null }, EVENT_FIELDS);
}

function ordered(obj: Record<string, unknown>, first: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (k in obj) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out;
}

/** One object (or list): TypeMeta first, metadata in struct order, managedFields left out as kubectl's printer does. */
function typed(obj: any, isList: boolean): any {
  const top = ordered(withTypedDefaults(obj), ['kind', 'apiVersion', 'metadata']);
  if (top['metadata'] && typeof top['metadata'] === 'object') {
    const { managedFields: _omitted, ...meta } = top['metadata'] as Record<string, unknown>;
    top['metadata'] = ordered(meta, isList ? LIST_META : OBJECT_META);
  }
  if (isList && Array.isArray(top['items'])) top['items'] = (top['items'] as any[]).map((item) => typed(item, false));
  return top;
}

/** Go's json.MarshalIndent with four spaces, HTML-escaped, and a closing newline. */
export function typedJson(list: any): string {
  const text = JSON.stringify(typed(list, Array.isArray(list?.items)), null, 4);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}
