// Port of kubernetes pkg/registry/core/pod/storage/eviction.go (EvictionREST.Create, canIgnorePDB,
// checkAndDecrement, addConditionAndDeletePod, getPodDisruptionBudgets) and the
// UpdateDisruptionAllowedCondition helper of k8s.io/component-helpers/apps/poddisruptionbudget.
// The apiserver retries conflicts here; writes in this process are serialised, so the store
// cannot change between a read and the write that follows it and no retry loop is needed.
import type { ResourceInfo, ResourceTable } from '../../schemas/index.js';
import type { KubeObject, Status } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import { badRequest, conflict, StatusError } from '../api/errors.js';
import { decodeBody, type WriteOptions } from './decode.js';
import type { DeleteOptions, Registry, Scope } from './rest.js';
import { selectorFromLabelSelector } from './selectors.js';
import { cloneJSON } from './strategy.js';

/** More unconfirmed evictions than this in status.disruptedPods and evictions are refused (MaxDisruptedPodSize). */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** What the client is told to wait when the PDB status lags its spec (createTooManyRequestsError). */
export const PDB_PROCESSING_RETRY_AFTER_S = 10;
/** The status message of every PDB refusal; kubectl drain prints it after "(will retry after 5s): ". */
export const PDB_VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
/** The answer when several PDBs cover the pod (a Status with code 500, not an error). */
export const MULTIPLE_PDBS_MESSAGE = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
/** The PDB status subresource is written as the apiserver's loopback client. */
const PDB_FIELD_MANAGER = 'kube-apiserver';

interface Condition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastProbeTime?: string | null; observedGeneration?: number }
interface PodLike extends KubeObject {
  status?: { phase?: string; conditions?: Condition[] };
}
interface PdbLike extends KubeObject {
  spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null; unhealthyPodEvictionPolicy?: string };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string>; conditions?: Condition[] };
}

/** What an eviction needs besides the registry: the resource table for pods and PDBs. */
export interface EvictionDeps {
  registry: Registry;
  table: ResourceTable;
}

/** The eviction request: the pod it addresses, the Eviction body and the query's write options. */
export interface EvictionRequest {
  namespace: string;
  name: string;
  body: unknown;
  opts: WriteOptions;
  /** The Eviction's deleteOptions, parsed; its dryRun already merged with the query's. */
  deleteOptions: DeleteOptions;
}

const SUCCESS: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

/**
 * Evicts a pod as EvictionREST.Create does: pods that no longer count (terminal, Pending,
 * terminating) go at once; otherwise the one PodDisruptionBudget covering the pod must allow a
 * disruption, which is spent before the pod gets its DisruptionTarget condition and is deleted.
 * Returns the Status to answer with (code 201, or 500 for several PDBs); refusals are thrown.
 */
export function createEviction(deps: EvictionDeps, req: EvictionRequest): Status {
  const eviction = decodeEviction(req);
  admitNamespace(deps, req);
  if (eviction.metadata.name !== req.name) throw badRequest('name in URL does not match name in Eviction object');
  const options = req.deleteOptions;
  const pod = getPod(deps, req);
  if (canIgnorePDB(pod)) {
    const rvUnset = options.preconditions?.resourceVersion === undefined;
    const withRv = shouldEnforceResourceVersion(pod) && rvUnset ? withResourceVersion(options, pod) : options;
    addConditionAndDeletePod(deps, req, withRv);
    return SUCCESS;
  }
  const pdbs = getPodDisruptionBudgets(deps, pod);
  if (pdbs.length > 1) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MULTIPLE_PDBS_MESSAGE, code: 500 };
  const pdb = pdbs[0];
  let updateDeletionOptions = false;
  if (pdb) {
    if (!isPodReady(pod) && unhealthyPodMayGo(pdb)) updateDeletionOptions = true;
    else checkAndDecrement(deps, req, pdb, options.dryRun);
  }
  // An unready pod goes without spending the budget only if it is still unready when deleted.
  const deleteOptions = updateDeletionOptions ? withResourceVersion(options, pod) : options;
  try {
    addConditionAndDeletePod(deps, req, deleteOptions);
  } catch (e) {
    const clientRv = options.preconditions?.resourceVersion !== undefined;
    if (e instanceof StatusError && e.code === 409 && updateDeletionOptions && !clientRv) throw createTooManyRequestsError(pdb?.metadata.name ?? '');
    throw e;
  }
  return SUCCESS;
}

/** Both policy/v1 and policy/v1beta1 Eviction bodies are accepted (AcceptsGroupVersion). */
function decodeEviction(req: EvictionRequest): KubeObject {
  const body = req.body && typeof req.body === 'object' ? { ...(req.body as KubeObject) } : req.body;
  if (body && typeof body === 'object' && (body as KubeObject).apiVersion === 'policy/v1beta1') (body as KubeObject).apiVersion = 'policy/v1';
  const info = { group: 'policy', version: 'v1', kind: 'Eviction' } as ResourceInfo;
  const { obj } = decodeBody(info, body ?? {}, req.opts);
  const ns = obj.metadata.namespace;
  if (ns && ns !== req.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  return obj;
}

/**
 * NamespaceLifecycle admission runs before the eviction: nothing is created in a terminating
 * namespace, and drain retries on the NamespaceTerminating cause.
 */
function admitNamespace(deps: EvictionDeps, req: EvictionRequest): void {
  const ns = deps.registry.get({ info: deps.table.lookup('', 'v1', 'namespaces')!, namespace: '', name: req.namespace }).object;
  if ((ns.status as { phase?: string } | undefined)?.phase !== 'Terminating') return;
  throw new StatusError(403, 'Forbidden', `pods "${req.name}" is forbidden: unable to create new content in namespace ${req.namespace} because it is being terminated`, {
    name: req.name, kind: 'pods',
    causes: [{ reason: 'NamespaceTerminating', message: `namespace ${req.namespace} is being terminated`, field: 'metadata.namespace' }],
  });
}

function podsScope(deps: EvictionDeps, req: { namespace: string; name?: string }): Scope {
  return { info: deps.table.lookup('', 'v1', 'pods')!, namespace: req.namespace, ...(req.name !== undefined ? { name: req.name } : {}) };
}

function getPod(deps: EvictionDeps, req: EvictionRequest): PodLike {
  return deps.registry.get(podsScope(deps, req)).object as PodLike;
}

/** canIgnorePDB: terminal and Pending pods, and pods already being deleted, disrupt nothing more. */
function canIgnorePDB(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

/** shouldEnforceResourceVersion: a Pending pod must not turn Ready between the check and the delete. */
function shouldEnforceResourceVersion(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

function withResourceVersion(options: DeleteOptions, pod: PodLike): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, resourceVersion: pod.metadata.resourceVersion ?? '' } };
}

function isPodReady(pod: PodLike): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * An unready pod is not guarded: AlwaysAllow lets it go; IfHealthyBudget (the default) only while
 * the application has its desired healthy pods, so deleting the unready one disrupts nothing.
 */
function unhealthyPodMayGo(pdb: PdbLike): boolean {
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const { currentHealthy = 0, desiredHealthy = 0 } = pdb.status ?? {};
  return currentHealthy >= desiredHealthy && desiredHealthy > 0;
}

/** getPodDisruptionBudgets: the PDBs of the pod's namespace whose selector matches it (nil matches nothing). */
function getPodDisruptionBudgets(deps: EvictionDeps, pod: PodLike): PdbLike[] {
  const info = deps.table.lookup('policy', 'v1', 'poddisruptionbudgets')!;
  const items = deps.registry.list({ info, namespace: pod.metadata.namespace ?? '' }, {}).items.map((o) => o.object as PdbLike);
  return items.filter((pdb) => {
    const sel = pdb.spec?.selector;
    if (!sel) return false;
    try {
      return selectorFromLabelSelector(sel).matches(pod);
    } catch {
      // An invalid selector matches no pod.
      return false;
    }
  });
}

/** 429 with a DisruptionBudget cause; retryAfterSeconds also becomes a Retry-After header. */
function tooManyRequests(message: string, retryAfterS: number, cause: string): StatusError {
  const details = { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterS > 0 ? { retryAfterSeconds: retryAfterS } : {}) };
  return new StatusError(429, 'TooManyRequests', message, details, retryAfterS > 0 ? { 'Retry-After': String(retryAfterS) } : {});
}

/** createTooManyRequestsError: the PDB controller has not caught up with the PDB yet. */
function createTooManyRequestsError(pdbName: string): StatusError {
  return tooManyRequests(PDB_VIOLATION_MESSAGE, PDB_PROCESSING_RETRY_AFTER_S, `The disruption budget ${pdbName} is still being processed by the server.`);
}

function forbiddenPdb(name: string, why: string): StatusError {
  return new StatusError(403, 'Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: ${why}`, { name, group: 'policy', kind: 'poddisruptionbudget' });
}

/**
 * checkAndDecrement: refuses when the budget has no disruption left, else spends one and records
 * the pod in status.disruptedPods so the controller stops counting it as healthy before it is gone.
 */
function checkAndDecrement(deps: EvictionDeps, req: EvictionRequest, pdb: PdbLike, dryRun: boolean): void {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status ?? {};
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw createTooManyRequestsError(name);
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) throw forbiddenPdb(name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbiddenPdb(name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) {
    throw tooManyRequests(PDB_VIOLATION_MESSAGE, 0, `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`);
  }
  if (dryRun) return;
  const now = rfc3339(deps.registry.deps.clock.now());
  const info = deps.table.lookup('policy', 'v1', 'poddisruptionbudgets')!;
  const opts = { dryRun: false, fieldValidation: 'Ignore' as const, fieldManager: PDB_FIELD_MANAGER };
  deps.registry.guaranteedUpdate({ info, namespace: req.namespace, name }, opts, (cur) => {
    const next = cloneJSON(cur) as PdbLike;
    next.metadata.resourceVersion = pdb.metadata.resourceVersion;
    const st = next.status ?? {};
    st.disruptionsAllowed = allowed - 1;
    if (st.disruptionsAllowed === 0) setInsufficientPods(st, now);
    st.disruptedPods = { ...st.disruptedPods, [req.name]: now };
    next.status = st;
    return { obj: next, warnings: [] };
  }, 'status');
}

/**
 * UpdateDisruptionAllowedCondition for a budget just spent: DisruptionAllowed False/InsufficientPods
 * at the status' observedGeneration. Like apimeta.SetStatusCondition, the transition time moves
 * only with the status.
 */
function setInsufficientPods(status: NonNullable<PdbLike['status']>, now: string): void {
  const conditions = status.conditions ?? [];
  const existing = conditions.find((c) => c.type === 'DisruptionAllowed');
  const generation = status.observedGeneration ?? 0;
  const next: Condition = { type: 'DisruptionAllowed', status: 'False', ...(generation > 0 ? { observedGeneration: generation } : {}), reason: 'InsufficientPods', message: '' };
  if (!existing) conditions.push({ ...next, lastTransitionTime: now });
  else {
    if (existing.status !== 'False') existing.lastTransitionTime = now;
    delete existing.observedGeneration;
    Object.assign(existing, next);
  }
  status.conditions = conditions;
}

/**
 * addConditionAndDeletePod: outside dry run the pod first gets DisruptionTarget=True (reason
 * EvictionByEvictionAPI) on its latest version, checked against the preconditions, then it is
 * deleted with the eviction's options (a resourceVersion precondition moves to the written version).
 */
function addConditionAndDeletePod(deps: EvictionDeps, req: EvictionRequest, options: DeleteOptions): void {
  const scope = podsScope(deps, req);
  let deleteOptions = options;
  if (!options.dryRun) {
    const now = rfc3339(deps.registry.deps.clock.now());
    const written = deps.registry.guaranteedUpdate(scope, { ...req.opts, dryRun: false }, (cur) => {
      checkLatestPod(cur, req.name, options.preconditions);
      const pod = cloneJSON(cur) as PodLike;
      updatePodCondition(pod, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, now);
      return { obj: pod, warnings: [] };
    }, 'status');
    if (options.preconditions?.resourceVersion !== undefined) {
      deleteOptions = { ...options, preconditions: { ...options.preconditions, resourceVersion: written.object.metadata.resourceVersion ?? '' } };
    }
  }
  deps.registry.delete(scope, deleteOptions);
}

/** The preconditions against the stored pod; upstream words these conflicts on the kind "Pod". */
function checkLatestPod(pod: KubeObject, name: string, pre: DeleteOptions['preconditions']): void {
  const ref = { group: '', resource: 'Pod', name };
  if (pre?.uid && pre.uid !== pod.metadata.uid) {
    throw conflict(ref, `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid ?? ''}). The object might have been deleted and then recreated`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict(ref, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion ?? ''}). The object might have been modified`);
  }
}

/** podutil.UpdatePodCondition: adds or replaces the condition, keeping the transition time if the status holds. */
function updatePodCondition(pod: PodLike, cond: Condition, now: string): void {
  const status = (pod.status ??= {});
  const conditions = status.conditions ?? [];
  const i = conditions.findIndex((c) => c.type === cond.type);
  const old = conditions[i];
  const next: Condition = { type: cond.type, status: cond.status, lastProbeTime: null, lastTransitionTime: old && old.status === cond.status ? old.lastTransitionTime! : now, reason: cond.reason!, message: cond.message! };
  if (old) conditions[i] = next;
  else conditions.push(next);
  status.conditions = conditions;
}
