/**
 * Grades a drill's checks against the cluster: each check reads what it needs through a
 * ClusterView and answers pass or fail with what it expected and what it found, in words a
 * kubectl user recognises (phases, conditions, JSONPath values).
 */
import type { ConditionCheck, CountExpectation, DrillCheck, EndpointsCheck, EventCheck, FieldCheck, ObjectRef, ObjectsCheck, PodsCheck, RolloutCheck } from '../../schemas/drill.js';
import { compileJsonPath } from '../print/jsonpath.js';
import { namespaceOf } from './kinds.js';

/** Read access to the cluster, as much as the checks need. */
export interface ClusterView {
  /** One object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<any | undefined>;
  /** Objects of a kind, in a namespace (all when undefined) and matching a label selector. */
  list(kind: string, opts: { apiVersion?: string; namespace?: string; labelSelector?: string }): Promise<any[]>;
}

/** The outcome of one check. */
export interface CheckResult {
  name: string;
  pass: boolean;
  expected: string;
  found: string;
}

/** Pods listed by name in a FAIL line, at most. */
const LISTED_PODS_MAX = 5;

/** Evaluates one check; a read error counts as a failure that says what went wrong. */
export async function evaluateCheck(check: DrillCheck, view: ClusterView): Promise<CheckResult> {
  try {
    const { pass, expected, found } = await dispatch(check, view);
    return { name: check.name, pass, expected, found };
  } catch (err) {
    return { name: check.name, pass: false, expected: 'the cluster to answer', found: (err as Error).message };
  }
}

/** Evaluates every check in order. */
export async function evaluateChecks(checks: DrillCheck[], view: ClusterView): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) out.push(await evaluateCheck(c, view));
  return out;
}

type Outcome = Omit<CheckResult, 'name'>;

function dispatch(check: DrillCheck, view: ClusterView): Promise<Outcome> {
  if (check.field) return fieldCheck(check.field, view);
  if (check.pods) return podsCheck(check.pods, view);
  if (check.condition) return conditionCheck(check.condition, view);
  if (check.event) return eventCheck(check.event, view);
  if (check.endpoints) return endpointsCheck(check.endpoints, view);
  if (check.rollout) return rolloutCheck(check.rollout, view);
  if (check.objects) return objectsCheck(check.objects, view);
  throw new Error('the check names no kind of assertion');
}

/** `Deployment default/web` or `Node node01`, as the check's messages name an object. */
export function describeRef(ref: ObjectRef): string {
  const ns = namespaceOf(ref.kind, ref.namespace, ref.apiVersion);
  return `${ref.kind} ${ns ? `${ns}/` : ''}${ref.name}`;
}

async function fieldCheck(c: FieldCheck, view: ClusterView): Promise<Outcome> {
  const obj = await view.get(c.object);
  const value = obj === undefined ? undefined : compileJsonPath(c.path)(obj);
  const shown = obj === undefined ? `no ${describeRef(c.object)}` : value === '' ? `${c.path} empty or absent` : `${c.path} = ${JSON.stringify(value)}`;
  const wants: string[] = [];
  let pass = true;
  if (c.exists !== undefined) {
    wants.push(c.exists ? `${c.path} set` : `${c.path} absent`);
    pass &&= (value !== undefined && value !== '') === c.exists;
  }
  if (c.equals !== undefined) {
    wants.push(`${c.path} = ${JSON.stringify(String(c.equals))}`);
    pass &&= value === String(c.equals);
  }
  if (c.notEquals !== undefined) {
    wants.push(`${c.path} != ${JSON.stringify(String(c.notEquals))}`);
    pass &&= value !== undefined && value !== String(c.notEquals);
  }
  if (c.matches !== undefined) {
    wants.push(`${c.path} matching /${c.matches}/`);
    pass &&= value !== undefined && new RegExp(c.matches).test(value);
  }
  return { pass, expected: `${describeRef(c.object)} with ${wants.join(' and ')}`, found: shown };
}

/** Whether a pod's Ready condition is True. */
export function isPodReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True');
}

function podMatches(pod: any, c: PodsCheck): boolean {
  if (c.phase !== undefined && (pod.status?.phase ?? 'Pending') !== c.phase) return false;
  if (c.ready !== undefined && isPodReady(pod) !== c.ready) return false;
  if (c.node !== undefined && pod.spec?.nodeName !== c.node) return false;
  if (c.notNode !== undefined && pod.spec?.nodeName === c.notNode) return false;
  if (c.notTerminating && pod.metadata?.deletionTimestamp) return false;
  if (c.unschedulable !== undefined && isUnschedulable(pod) !== c.unschedulable) return false;
  if (c.waitingReason !== undefined && !waitingReasons(pod).includes(c.waitingReason)) return false;
  return true;
}

function isUnschedulable(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((x: any) => x.type === 'PodScheduled' && x.status === 'False' && x.reason === 'Unschedulable');
}

function waitingReasons(pod: any): string[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s: any) => s.state?.waiting?.reason).filter(Boolean);
}

function podSummary(pod: any): string {
  const where = pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ', unscheduled';
  const terminating = pod.metadata?.deletionTimestamp ? ', terminating' : '';
  const waiting = waitingReasons(pod).map((r) => `, ${r}`).join('');
  return `${pod.metadata.name} (${pod.status?.phase ?? 'Pending'}${waiting}, ${isPodReady(pod) ? 'Ready' : 'not Ready'}${where}${terminating})`;
}

async function podsCheck(c: PodsCheck, view: ClusterView): Promise<Outcome> {
  const namespace = c.namespace ?? 'default';
  const all = await view.list('Pod', { namespace, labelSelector: c.selector });
  const picked = all.filter((p) => podMatches(p, c));
  const what = [
    c.phase,
    c.ready === undefined ? undefined : c.ready ? 'Ready' : 'not Ready',
    c.notTerminating ? 'not terminating' : undefined,
    c.unschedulable === undefined ? undefined : c.unschedulable ? 'unschedulable' : 'schedulable',
    c.waitingReason ? `waiting in ${c.waitingReason}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const where = [c.node ? `on ${c.node}` : '', c.notNode ? `not on ${c.notNode}` : ''].filter(Boolean).join(' ');
  const subject = `pods in ${namespace}${c.selector ? ` with ${c.selector}` : ''}${what ? ` that are ${what}` : ''}${where ? ` ${where}` : ''}`;
  let pass = countHolds(picked.length, c);
  let expected = `${describeCount(c)} ${subject}`;
  const wrongImage = c.image === undefined ? [] : picked.filter((p) => p.spec?.containers?.[0]?.image !== c.image);
  if (c.image !== undefined) {
    expected += `, running image ${c.image}`;
    pass &&= wrongImage.length === 0;
  }
  const listed = all.slice(0, LISTED_PODS_MAX).map(podSummary).join(', ');
  const more = all.length > LISTED_PODS_MAX ? `, and ${all.length - LISTED_PODS_MAX} more` : '';
  const images = wrongImage.length > 0 ? `; ${wrongImage.map((p) => `${p.metadata.name} runs ${p.spec?.containers?.[0]?.image}`).join(', ')}` : '';
  return { pass, expected, found: `${picked.length} such pods${all.length ? ` of ${all.length}: ${listed}${more}` : ''}${images}` };
}

async function conditionCheck(c: ConditionCheck, view: ClusterView): Promise<Outcome> {
  const obj = await view.get(c.object);
  const expected = `${describeRef(c.object)} condition ${c.type}=${c.status}${c.reason ? ` (reason ${c.reason})` : ''}`;
  if (!obj) return { pass: false, expected, found: `no ${describeRef(c.object)}` };
  const cond = (obj.status?.conditions ?? []).find((x: any) => x.type === c.type);
  if (!cond) return { pass: false, expected, found: `no ${c.type} condition` };
  const pass = cond.status === c.status && (c.reason === undefined || cond.reason === c.reason);
  return { pass, expected, found: `${c.type}=${cond.status}${cond.reason ? ` (reason ${cond.reason}${cond.message ? `: ${cond.message}` : ''})` : ''}` };
}

async function eventCheck(c: EventCheck, view: ClusterView): Promise<Outcome> {
  // Events about cluster-scoped objects are recorded in the default namespace.
  const namespace = namespaceOf(c.object.kind, c.object.namespace, c.object.apiVersion) ?? 'default';
  const events = await view.list('Event', { namespace });
  const about = events.filter((e) => e.involvedObject?.kind === c.object.kind && e.involvedObject?.name === c.object.name);
  const hit = about.find((e) => e.reason === c.reason);
  const present = c.present ?? true;
  const reasons = [...new Set(about.map((e) => e.reason))].join(', ');
  return {
    pass: !!hit === present,
    expected: `${present ? 'an' : 'no'} Event ${c.reason} about ${describeRef(c.object)}`,
    found: hit ? `${hit.reason}: ${hit.message}` : about.length ? `only Events ${reasons}` : 'no Events about it',
  };
}

async function endpointsCheck(c: EndpointsCheck, view: ClusterView): Promise<Outcome> {
  const namespace = c.namespace ?? 'default';
  // EndpointSlices rather than the deprecated v1 Endpoints, whose reads draw a server warning.
  const slices = await view.list('EndpointSlice', { namespace, labelSelector: `kubernetes.io/service-name=${c.name}` });
  const endpoints = slices.flatMap((s: any) => s.endpoints ?? []);
  const ready = endpoints.filter((e: any) => e.conditions?.ready !== false);
  const expected = `${describeCount(c, 1)} ready endpoints of Service ${namespace}/${c.name}`;
  if (!(await view.get({ kind: 'Service', name: c.name, namespace }))) return { pass: false, expected, found: `no Service ${namespace}/${c.name}` };
  const ips = ready.flatMap((e: any) => e.addresses ?? []).join(', ');
  return { pass: countHolds(ready.length, c, 1), expected, found: `${ready.length} ready${ips ? ` (${ips})` : ''}, ${endpoints.length - ready.length} not ready` };
}

/** kubectl's DeploymentStatusViewer: the reason a rollout is not complete, or undefined when it is. */
export function rolloutPending(d: any): string | undefined {
  const s = d.status ?? {};
  const replicas = d.spec?.replicas ?? 1;
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) return 'the controller has not observed the latest spec';
  const progressing = (s.conditions ?? []).find((x: any) => x.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return `deployment "${d.metadata.name}" exceeded its progress deadline`;
  if ((s.updatedReplicas ?? 0) < replicas) return `${s.updatedReplicas ?? 0} out of ${replicas} new replicas have been updated`;
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination`;
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return `${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available`;
  return undefined;
}

async function rolloutCheck(c: RolloutCheck, view: ClusterView): Promise<Outcome> {
  const d = await view.get(c.object);
  const expected = `the rollout of ${describeRef(c.object)} complete${c.revision ? ` at revision ${c.revision}` : ''}`;
  if (!d) return { pass: false, expected, found: `no ${describeRef(c.object)}` };
  const pending = rolloutPending(d);
  const revision = d.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const revisionOk = c.revision === undefined || revision === String(c.revision);
  const found = [pending ? `waiting: ${pending}` : 'complete', `revision ${revision ?? 'unset'}`].join(', ');
  return { pass: !pending && revisionOk, expected, found };
}

async function objectsCheck(c: ObjectsCheck, view: ClusterView): Promise<Outcome> {
  const namespace = namespaceOf(c.kind, c.namespace, c.apiVersion);
  const items = await view.list(c.kind, { apiVersion: c.apiVersion, namespace, labelSelector: c.selector });
  const names = items.slice(0, LISTED_PODS_MAX).map((o) => o.metadata?.name).join(', ');
  return {
    pass: countHolds(items.length, c),
    expected: `${describeCount(c)} ${c.kind} objects${namespace ? ` in ${namespace}` : ''}${c.selector ? ` with ${c.selector}` : ''}`,
    found: `${items.length}${names ? ` (${names})` : ''}`,
  };
}

/** Whether n satisfies a count expectation; with none given, `min` defaults to defaultMin. */
export function countHolds(n: number, c: CountExpectation, defaultMin = 1): boolean {
  if (c.count === undefined && c.min === undefined && c.max === undefined) return n >= defaultMin;
  return (c.count === undefined || n === c.count) && (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

/** `exactly 3`, `at least 1`, `between 2 and 4`, `no`… for messages. */
export function describeCount(c: CountExpectation, defaultMin = 1): string {
  if (c.count !== undefined) return c.count === 0 ? 'no' : `exactly ${c.count}`;
  if (c.min !== undefined && c.max !== undefined) return `between ${c.min} and ${c.max}`;
  if (c.max !== undefined) return c.max === 0 ? 'no' : `at most ${c.max}`;
  return `at least ${c.min ?? defaultMin}`;
}
