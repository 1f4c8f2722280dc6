import type { KubeObject } from '../../schemas/types/meta.js';

/**
 * core/v1 and events.k8s.io/v1 Events are one stored object seen in two versions, as in the
 * apiserver. Storage keeps the core/v1 shape; these convert at the edge.
 */
const RENAMES: Array<[core: string, v1: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

function rename(obj: KubeObject, pairs: Array<[string, string]>, apiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion, kind: 'Event' };
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

/** Stored (core/v1) Event → events.k8s.io/v1 Event. */
export function toEventsV1(core: KubeObject): KubeObject {
  return rename(core, RENAMES, 'events.k8s.io/v1');
}

/** events.k8s.io/v1 Event → the stored core/v1 shape. */
export function fromEventsV1(v1: KubeObject): KubeObject {
  return rename(v1, RENAMES.map(([a, b]) => [b, a]), 'v1');
}
