import type { KubeObject } from '../../schemas/types/meta.js';
import { badRequest } from '../api/errors.js';

/** One label requirement (labels.Requirement). */
interface LabelRequirement {
  key: string;
  op: 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

/** A parsed selector: a predicate plus the source text for error messages. */
export interface Selector {
  matches(obj: Readonly<KubeObject>): boolean;
  empty: boolean;
}

const EVERYTHING: Selector = { matches: () => true, empty: true };

/** Splits on commas that are outside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

const SET_RE = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/;
const OP_RE = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/;

function parseRequirement(part: string): LabelRequirement {
  const set = SET_RE.exec(part);
  if (set) return { key: set[1]!, op: set[2] as 'in' | 'notin', values: set[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '' || set[3]!.trim() === '') };
  if (part.startsWith('!')) return { key: part.slice(1).trim(), op: '!', values: [] };
  const m = OP_RE.exec(part);
  if (m) {
    const ops: Record<string, LabelRequirement['op']> = { '=': '=', '==': '=', '!=': '!=', '>': 'gt', '<': 'lt' };
    return { key: m[1]!, op: ops[m[2]!]!, values: [m[3]!.trim()] };
  }
  if (/^[A-Za-z0-9._/-]+$/.test(part)) return { key: part, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
}

function labelMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'exists': return has;
    case '!': return !has;
    case '=': return has && v === r.values[0];
    case '!=': return !has || v !== r.values[0];
    case 'in': return has && r.values.includes(v!);
    case 'notin': return !has || !r.values.includes(v!);
    case 'gt': return has && Number(v) > Number(r.values[0]);
    case 'lt': return has && Number(v) < Number(r.values[0]);
  }
}

/** Parses a labelSelector query string (`app=web,tier in (a,b),!canary`). */
export function parseLabelSelector(text: string | undefined): Selector {
  if (!text || text.trim() === '') return EVERYTHING;
  const reqs = splitTop(text).map(parseRequirement);
  return { empty: false, matches: (obj) => reqs.every((r) => labelMatches(r, obj.metadata.labels ?? {})) };
}

/** Builds a label predicate from a metav1.LabelSelector (matchLabels + matchExpressions). */
export function selectorFromLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }): Selector {
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=', values: [v] }));
  const ops: Record<string, LabelRequirement['op']> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
  for (const e of sel.matchExpressions ?? []) reqs.push({ key: e.key, op: ops[e.operator] ?? 'in', values: e.values ?? [] });
  const matches = (obj: Readonly<KubeObject>): boolean => reqs.every((r) => labelMatches(r, obj.metadata.labels ?? {}));
  if (!Object.isFrozen(sel)) return { empty: reqs.length === 0, matches };
  return {
    empty: reqs.length === 0,
    matches: (obj) => {
      // A stored selector and stored labels never change: their answer is kept (see selectorMatchMemo).
      const labels = obj.metadata.labels;
      if (!labels || !Object.isFrozen(labels)) return matches(obj);
      const memo = selectorMatchMemo.get(labels);
      if (memo?.selector === sel) return memo.result;
      const result = matches(obj);
      selectorMatchMemo.set(labels, { selector: sel, result });
      return result;
    },
  };
}

/**
 * The last stored selector each stored labels object was matched against, and the answer: a
 * controller re-matches the same pods against the same selector on every sync. Keyed by the
 * labels, which a status write keeps, not by the metadata, which every write copies.
 */
const selectorMatchMemo = new WeakMap<object, { selector: object; result: boolean }>();

type FieldGetter = (o: Readonly<KubeObject>) => string;

function path(...keys: string[]): FieldGetter {
  return (o) => {
    let cur: unknown = o;
    for (const k of keys) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
    return cur === undefined || cur === null ? '' : String(cur);
  };
}

const EVENT_FIELDS: Record<string, FieldGetter> = {
  'involvedObject.kind': path('involvedObject', 'kind'),
  'involvedObject.namespace': path('involvedObject', 'namespace'),
  'involvedObject.name': path('involvedObject', 'name'),
  'involvedObject.uid': path('involvedObject', 'uid'),
  'involvedObject.apiVersion': path('involvedObject', 'apiVersion'),
  'involvedObject.resourceVersion': path('involvedObject', 'resourceVersion'),
  'involvedObject.fieldPath': path('involvedObject', 'fieldPath'),
  reason: path('reason'),
  reportingComponent: path('reportingComponent'),
  source: path('source', 'component'),
  type: path('type'),
};

/** Field labels each resource supports beyond metadata.name and metadata.namespace (GetAttrs upstream). */
const FIELDS: Record<string, Record<string, FieldGetter>> = {
  pods: {
    'spec.nodeName': path('spec', 'nodeName'),
    'spec.restartPolicy': path('spec', 'restartPolicy'),
    'spec.schedulerName': path('spec', 'schedulerName'),
    'spec.serviceAccountName': path('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => String(Boolean((o.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork)),
    'status.phase': path('status', 'phase'),
    'status.podIP': path('status', 'podIP'),
    'status.nominatedNodeName': path('status', 'nominatedNodeName'),
  },
  events: EVENT_FIELDS,
  nodes: { 'spec.unschedulable': (o) => String(Boolean((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable)) },
  secrets: { type: path('type') },
  namespaces: { 'status.phase': path('status', 'phase') },
  replicasets: { 'status.replicas': path('status', 'replicas') },
  replicationcontrollers: { 'status.replicas': path('status', 'replicas') },
  jobs: { 'status.successful': path('status', 'succeeded') },
  services: { 'spec.clusterIP': path('spec', 'clusterIP'), 'spec.type': path('spec', 'type') },
};

/** events.k8s.io/v1 names for the same stored fields. */
const EVENTS_V1_ALIASES: Record<string, string> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  'deprecatedSource.component': 'source',
};

function fieldGetter(resource: string, label: string): FieldGetter {
  if (label === 'metadata.name') return path('metadata', 'name');
  if (label === 'metadata.namespace') return path('metadata', 'namespace');
  const name = resource === 'events' ? (EVENTS_V1_ALIASES[label] ?? label) : label;
  const g = FIELDS[resource]?.[name];
  if (!g) throw badRequest(`field label not supported: ${label}`);
  return g;
}

/** Parses a fieldSelector (`spec.nodeName=n1,status.phase!=Failed`) for one resource. */
export function parseFieldSelector(resource: string, text: string | undefined): Selector {
  if (!text || text.trim() === '') return EVERYTHING;
  const terms = text.split(',').filter((t) => t.trim() !== '').map((t) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(t.trim());
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${t}'`);
    return { get: fieldGetter(resource, m[1]!), neg: m[2] === '!=', value: m[3]!.replace(/\\(.)/g, '$1') };
  });
  return { empty: false, matches: (obj) => terms.every((t) => (t.get(obj) === t.value) !== t.neg) };
}
