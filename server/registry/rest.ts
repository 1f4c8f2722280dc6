import { apiVersionOf, type ResourceInfo } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339, type Clock } from '../clock.js';
import { alreadyExists, badRequest, conflict, gone, invalidError, notFound, StatusError } from '../api/errors.js';
import { applyDefaults } from '../admission/defaults.js';
import { admitCreate } from '../admission/chain.js';
import { admitResourceQuota } from '../admission/resource-quota.js';
import { setDaemonSetTemplateGeneration } from './daemonsets.js';
import { generateName, type Random } from '../random.js';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from '../storage/errors.js';
import { deepFreeze, type ObjectRef, type Store, type StoredObject, type WriteMode } from '../storage/store.js';
import { defaultFieldManager, updateManagedFields } from '../patch/create-fields.js';
import { definitionFor } from '../validation/schema.js';
import { validateCreate, validateUpdate } from '../validation/objects.js';
import { validateStatusUpdate } from '../validation/status.js';
import { decodeBody, type WriteOptions } from './decode.js';
import { fromEventsV1 } from './event-conversion.js';
import { renewedLease, renewLeaseSpec, type LeaseRenewal } from './leases.js';
import { allocateServiceAddresses } from './services.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { cloneForWrite, cloneJSON, copyOrDelete, FOREGROUND_FINALIZER, generationChanged, hasGeneration, hasStatusSubresource, initialStatus, jsonEqual, ORPHAN_FINALIZER } from './strategy.js';

const EVENTS_GROUP = 'events.k8s.io';

/** The core/v1 Event resource that events.k8s.io Events are stored as. */
function coreEventInfo(info: ResourceInfo): ResourceInfo {
  return { ...info, group: '', version: 'v1' };
}

/** Which object or collection a request addresses. */
export interface Scope {
  info: ResourceInfo;
  /** "" for cluster-scoped resources and for all-namespace lists. */
  namespace: string;
  name?: string;
}

/** What a write answers with: the object, whether it was created, and Warning headers. */
export interface WriteResult {
  object: KubeObject;
  created: boolean;
  warnings: string[];
  /** The stored bytes of `object` (JSON.stringify of it), when the write stored it. */
  raw?: Buffer;
}

/** A WriteResult for an object just stored: its bytes come along, so an HTTP response need not serialise it again. */
function storedResult(stored: StoredObject, created: boolean, warnings: string[]): WriteResult {
  return { object: stored.object as KubeObject, created, warnings, raw: stored.raw };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Delete options of metav1.DeleteOptions that the registry honours. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

export interface RegistryDeps {
  store: Store;
  clock: Clock;
  random: Random;
}

/** An update hook: turns the current object into the desired one (PUT body, patched object, ...). */
export type Mutation = (current: KubeObject) => { obj: KubeObject; warnings: string[] };

/**
 * The generic REST flows of the apiserver (genericregistry.Store reduced to our size): metadata
 * filled like the apiserver does, defaults, validation, optimistic concurrency, dry run, graceful
 * deletion and finalizers. Every client — HTTP and in-process controllers — writes through here.
 */
export class Registry {
  constructor(readonly deps: RegistryDeps) {}

  ref(scope: Scope, name = scope.name ?? ''): ObjectRef {
    return { resource: scope.info.plural, namespace: scope.info.namespaced ? scope.namespace : '', name };
  }

  /** Reads one object or throws 404. */
  get(scope: Scope): StoredObject {
    const found = this.find(scope);
    if (!found) throw notFound({ group: scope.info.group, resource: scope.info.plural, name: scope.name ?? '' });
    return found;
  }

  /** Reads one object; undefined when it does not exist. */
  find(scope: Scope): StoredObject | undefined {
    return this.deps.store.get(this.ref(scope));
  }

  /** Lists with selectors and paging; resourceVersion semantics as the apiserver's list. */
  list(scope: Scope, opts: ListOptions): ListResult {
    const { store } = this.deps;
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(scope.info.plural, opts.fieldSelector);
    let rv = String(store.revision);
    let after = '';
    if (opts.continue) ({ rv, after } = this.decodeContinue(opts.continue));
    else this.checkListResourceVersion(opts);
    const all = store.list(scope.info.plural, scope.info.namespaced && scope.namespace ? scope.namespace : undefined);
    const matching = all.filter((o) => o.key > after && labels.matches(o.object) && fields.matches(o.object));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    if (!limit || matching.length <= limit) return { items: matching, resourceVersion: rv };
    const items = matching.slice(0, limit);
    const token = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: items[items.length - 1]!.key })).toString('base64');
    return { items, resourceVersion: rv, continue: token, remainingItemCount: matching.length - limit };
  }

  private checkListResourceVersion(opts: ListOptions): void {
    const rv = opts.resourceVersion;
    if (!rv || rv === '0') return;
    if (!/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
    const n = Number(rv);
    const current = this.deps.store.revision;
    if (n > current) throw new StatusError(504, 'Timeout', `Too large resource version: ${n}, current: ${current}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
    if (opts.resourceVersionMatch === 'Exact' && n !== current) throw gone(`The resourceVersion for the provided list is too old.`);
  }

  private decodeContinue(token: string): { rv: string; after: string } {
    try {
      const c = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv: number; start: string };
      if (typeof c.rv !== 'number' || typeof c.start !== 'string') throw new Error('bad token');
      if (c.rv < this.deps.store.compactRevision) {
        throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      return { rv: String(c.rv), after: c.start };
    } catch (e) {
      if (e instanceof StatusError) throw e;
      throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
    }
  }

  /**
   * POST: create a new object from a request body. `managed` says managedFields were already
   * computed (server-side apply creating the object).
   */
  create(scope: Scope, body: unknown, opts: WriteOptions, managed = false): WriteResult {
    const decoded = decodeBody(scope.info, body, opts);
    const { warnings } = decoded;
    // An events.k8s.io Event is checked as sent, then created as the core/v1 Event it is stored as.
    const { info, obj } = scope.info.group === EVENTS_GROUP ? { info: coreEventInfo(scope.info), obj: fromEventsV1(decoded.obj) } : { info: scope.info, obj: decoded.obj };
    this.setNamespace(scope, obj);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName, this.deps.random);
    this.admitNamespace(scope);
    this.prepareForCreate(info, obj);
    // As in the apiserver's create handler, ownership is recorded on the object as decoded (with
    // its defaults) and before mutating admission and the strategy: a pod's manager does not own
    // the service-account volume, the tolerations or the priority that admission added.
    if (!managed) this.recordManagedFields(info, undefined, obj, opts);
    this.admitAndComplete(info, obj);
    this.validate(info, obj, () => validateCreate(info.group, info.kind, obj, { namespaced: info.namespaced }));
    // ResourceQuota is a validating admission plugin: it sees the defaulted, validated object.
    admitResourceQuota(info, obj, { store: this.deps.store, now: this.deps.clock.now(), dryRun: !!opts.dryRun });
    if (opts.dryRun) return { object: obj, created: true, warnings };
    try {
      return storedResult(this.deps.store.create(this.ref(scope, meta.name), obj), true, warnings);
    } catch (e) {
      if (e instanceof KeyExistsError) throw alreadyExists({ group: info.group, resource: info.plural, name: meta.name ?? '' });
      throw e;
    }
  }

  private setNamespace(scope: Scope, obj: KubeObject): void {
    const meta = obj.metadata;
    if (!scope.info.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && meta.namespace !== scope.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = scope.namespace;
  }

  /** NamespaceLifecycle admission: no new content in a missing or terminating namespace. */
  private admitNamespace(scope: Scope): void {
    if (!scope.info.namespaced) return;
    const ns = this.deps.store.get({ resource: 'namespaces', namespace: '', name: scope.namespace });
    if (!ns) throw notFound({ group: '', resource: 'namespaces', name: scope.namespace });
    if ((ns.object.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      throw new StatusError(403, 'Forbidden', `${scope.info.plural} "${scope.name ?? ''}" is forbidden: unable to create new content in namespace ${scope.namespace} because it is being terminated`, {
        name: scope.name ?? '', group: scope.info.group, kind: scope.info.plural,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${scope.namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  private prepareForCreate(info: ResourceInfo, obj: KubeObject): void {
    const meta = obj.metadata;
    meta.uid = this.deps.random.uuid();
    meta.creationTimestamp = rfc3339(this.deps.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (hasGeneration(info.kind)) meta.generation = 1;
    else delete meta.generation;
    applyDefaults(info.group, info.kind, obj);
  }

  /** Mutating admission, then what the create strategy and the service REST fill in. */
  private admitAndComplete(info: ResourceInfo, obj: KubeObject): void {
    admitCreate(info, obj, this.deps);
    if (info.kind === 'DaemonSet' && info.group === 'apps') setDaemonSetTemplateGeneration(obj);
    if (hasStatusSubresource(info)) obj.status = initialStatus(info.kind, obj);
    if (info.kind === 'Service') allocateServiceAddresses(obj, undefined, this.usedServiceAddresses(), this.deps.random);
  }

  private usedServiceAddresses(): { ips: Set<string>; ports: Set<number> } {
    const ips = new Set<string>();
    const ports = new Set<number>();
    for (const s of this.deps.store.list('services')) {
      const spec = s.object.spec as { clusterIPs?: string[]; ports?: Array<{ nodePort?: number }> } | undefined;
      for (const ip of spec?.clusterIPs ?? []) ips.add(ip);
      for (const p of spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    }
    return { ips, ports };
  }

  private validate(info: ResourceInfo, obj: KubeObject, run: () => ReturnType<typeof validateCreate>): void {
    const errs = run();
    if (errs.length > 0) throw invalidError(info.kind, info.group, obj.metadata.name ?? '', errs);
  }

  /** PUT: replace an object; a stale resourceVersion in the body is a 409. */
  update(scope: Scope, body: unknown, opts: WriteOptions, mode: 'main' | 'status' = 'main'): WriteResult {
    const decoded = decodeBody(scope.info, body, opts);
    if (scope.info.group === EVENTS_GROUP) decoded.obj = fromEventsV1(decoded.obj);
    const bodyName = decoded.obj.metadata.name;
    if (bodyName !== undefined && bodyName !== scope.name) {
      throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${scope.name ?? ''})`);
    }
    decoded.obj.metadata.name = scope.name;
    return this.guaranteedUpdate(scope, opts, () => decoded, mode);
  }

  /**
   * The read-modify-write at the heart of update, patch and subresource writes: apply the
   * mutation to the current object, keep what the client may not change, validate, and store only
   * if something changed. A `pure` status mutation only reads the object it is given (the stored
   * one, not a copy) and returns a new one; the status strategy takes nothing else from it.
   */
  guaranteedUpdate(scope: Scope, opts: WriteOptions & WriteMode, mutate: Mutation, mode: 'main' | 'status' | 'scale' | 'apply' = 'main', pure = false): WriteResult {
    const { info } = scope;
    const current = this.get(scope);
    const old = current.object as KubeObject;
    const { obj, warnings } = mutate(pure && mode === 'status' ? old : cloneForWrite(old));
    if (obj.metadata !== old.metadata) this.setNamespace(scope, obj);
    const requested = obj.metadata.resourceVersion;
    if (requested && requested !== old.metadata.resourceVersion) throw this.conflictFor(scope);
    const next = mode === 'status' ? this.keepAllButStatus(info, old, obj) : this.prepareForUpdate(info, old, obj, mode === 'apply');
    this.validate(info, next, () => (mode === 'status' ? validateStatusUpdate(info.group, info.kind, next, old) : validateUpdate(info.group, info.kind, next, old, { namespaced: info.namespaced })));
    // Server-side apply computed managedFields itself; every other write is an Update.
    if (mode !== 'apply') this.recordManagedFields(info, old, next, opts, mode === 'main' ? undefined : mode);
    if (isNoop(old, next)) return { object: old, created: false, warnings };
    if (opts.dryRun) return { object: next, created: false, warnings };
    if (readyToRemove(info, next)) {
      return { object: this.deps.store.delete(this.ref(scope), current.modRevision).object as KubeObject, created: false, warnings };
    }
    try {
      const writeMode = opts.heartbeat ? { heartbeat: true } : {};
      return storedResult(this.deps.store.update(this.ref(scope), next, current.modRevision, writeMode), false, warnings);
    } catch (e) {
      if (e instanceof ConflictError) throw this.conflictFor(scope);
      throw e;
    }
  }

  /**
   * The kubelet's Lease renewal (upstream's lease controller updating its Lease). A renewal of a
   * Lease as the last one left it is stored as guaranteedUpdate would store it (renewedLease),
   * without the copy, defaulting, validation and comparison that only confirm so: they were half
   * of each renewal's cost, and renewals two fifths of an idle cluster's work. Anything else takes
   * guaranteedUpdate.
   */
  renewLease(scope: Scope, renewal: LeaseRenewal, opts: WriteOptions & WriteMode): WriteResult {
    const current = this.get(scope);
    const managed = { manager: opts.fieldManager ?? defaultFieldManager(opts.userAgent), apiVersion: apiVersionOf(scope.info), time: rfc3339(this.deps.clock.now()) };
    const next = opts.dryRun ? undefined : renewedLease(current.object, renewal, managed);
    if (!next) return this.guaranteedUpdate(scope, opts, (lease) => ({ obj: renewLeaseSpec(lease, renewal), warnings: [] }));
    const writeMode = opts.heartbeat ? { heartbeat: true } : {};
    return storedResult(this.deps.store.update(this.ref(scope), next, current.modRevision, writeMode), false, []);
  }

  private recordManagedFields(info: ResourceInfo, old: KubeObject | undefined, next: KubeObject, opts: WriteOptions, subresource?: string): void {
    // Storage freezes these anyway; freezing them first lets managedFields reuse their views. A
    // create is recorded before admission, which still changes the object.
    if (old) for (const [key, value] of Object.entries(next)) if (key !== 'metadata') deepFreeze(value);
    const manager = opts.fieldManager ?? defaultFieldManager(opts.userAgent);
    const time = rfc3339(this.deps.clock.now());
    updateManagedFields(old, next, { manager, operation: 'Update', apiVersion: apiVersionOf(info), time, definition: definitionFor(info.group, info.version, info.kind), ...(subresource ? { subresource } : {}) });
  }

  private conflictFor(scope: Scope): StatusError {
    return conflict({ group: scope.info.group, resource: scope.info.plural, name: scope.name ?? '' });
  }

  private prepareForUpdate(info: ResourceInfo, old: KubeObject, obj: KubeObject, keepManagedFields: boolean): KubeObject {
    const meta = obj.metadata;
    const keep = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;
    // Clients cannot rewrite field ownership, except server-side apply's own result.
    if (!keepManagedFields) copyOrDelete(meta, old.metadata, 'managedFields');
    for (const k of keep) copyOrDelete(meta, old.metadata, k);
    meta.name = old.metadata.name;
    applyDefaults(info.group, info.kind, obj);
    if (hasStatusSubresource(info)) copyOrDelete(obj, old, 'status');
    if (info.kind === 'Service') allocateServiceAddresses(obj, old, this.usedServiceAddresses(), this.deps.random);
    if (hasGeneration(info.kind) && generationChanged(info.kind, old, obj)) meta.generation = (old.metadata.generation ?? 0) + 1;
    if (info.kind === 'DaemonSet' && info.group === 'apps') setDaemonSetTemplateGeneration(obj, old);
    return obj;
  }

  /** The status strategy: only status changes; spec and metadata stay as stored. */
  private keepAllButStatus(info: ResourceInfo, old: KubeObject, obj: KubeObject): KubeObject {
    // The stored spec is frozen and stays as it is, so it is shared rather than copied: cheaper,
    // and managedFields then sees it unchanged by identity. So are the parts of metadata: what
    // follows only replaces its top-level fields (managedFields, annotations, resourceVersion).
    const next: KubeObject = { ...old, metadata: { ...old.metadata } };
    // deploymentStatusStrategy keeps only spec and labels: the controller writes the revision
    // annotation with its status, since a main-resource annotation change bumps the generation.
    if (info.kind === 'Deployment' && info.group === 'apps') copyOrDelete(next.metadata, obj.metadata, 'annotations');
    copyOrDelete(next, obj, 'status');
    return next;
  }

  /** DELETE one object: preconditions, dry run, graceful pods, finalizers. */
  delete(scope: Scope, opts: DeleteOptions): { object: KubeObject; deleted: boolean } {
    const current = this.get(scope);
    if (scope.info.kind === 'Namespace' && IMMORTAL_NAMESPACES.has(scope.name ?? '')) {
      throw new StatusError(403, 'Forbidden', `namespaces "${scope.name}" is forbidden: this namespace may not be deleted`, { name: scope.name ?? '', kind: 'namespaces' });
    }
    const old = current.object as KubeObject;
    this.checkPreconditions(scope, old, opts.preconditions);
    if (opts.dryRun) return { object: old, deleted: false };
    const grace = this.gracePeriod(scope.info, old, opts.gracePeriodSeconds);
    const finalizers = [...(old.metadata.finalizers ?? []), ...propagationFinalizer(opts.propagationPolicy, old)];
    const namespaceDelete = scope.info.kind === 'Namespace';
    if (finalizers.length > 0 || grace > 0 || namespaceDelete) {
      if (old.metadata.deletionTimestamp && (old.metadata.deletionGracePeriodSeconds ?? 0) <= grace) return { object: old, deleted: false };
      const next = cloneJSON(old);
      next.metadata.deletionTimestamp = rfc3339(this.deps.clock.now() + grace * 1000);
      next.metadata.deletionGracePeriodSeconds = grace;
      if (finalizers.length > 0) next.metadata.finalizers = finalizers;
      if (namespaceDelete) next.status = { ...(next.status as object), phase: 'Terminating' };
      return { object: this.deps.store.update(this.ref(scope), next, current.modRevision).object as KubeObject, deleted: false };
    }
    try {
      return { object: this.deps.store.delete(this.ref(scope), current.modRevision).object as KubeObject, deleted: true };
    } catch (e) {
      if (e instanceof KeyNotFoundError) throw notFound({ group: scope.info.group, resource: scope.info.plural, name: scope.name ?? '' });
      throw e;
    }
  }

  private checkPreconditions(scope: Scope, old: KubeObject, pre: DeleteOptions['preconditions']): void {
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw this.preconditionFailed(scope, `UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw this.preconditionFailed(scope, `ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion ?? ''}`);
    }
  }

  private preconditionFailed(scope: Scope, why: string): StatusError {
    return conflict({ group: scope.info.group, resource: scope.info.plural, name: scope.name ?? '' }, `Precondition failed: ${why}`);
  }

  /**
   * Pods bound to a node are deleted gracefully: the kubelet finishes the deletion once the
   * containers stopped. Unbound pods and every other kind go at once.
   */
  private gracePeriod(info: ResourceInfo, obj: KubeObject, requested: number | undefined): number {
    if (info.kind !== 'Pod') return 0;
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    if (!spec?.nodeName) return 0;
    if ((obj.status as { phase?: string } | undefined)?.phase === 'Succeeded' || (obj.status as { phase?: string } | undefined)?.phase === 'Failed') return 0;
    const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, grace);
  }

  /** DELETE on a collection: every object matching the selectors, one delete each. */
  deleteCollection(scope: Scope, list: ListOptions, opts: DeleteOptions): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.list(scope, list).items) {
      const name = o.object.metadata.name ?? '';
      try {
        out.push(this.delete({ ...scope, namespace: o.namespace, name }, opts).object);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    return out;
  }

  /** Events of a resource after rv, for watch resumption; a compacted rv is 410 Gone. */
  eventsSince(info: ResourceInfo, rv: number) {
    try {
      return this.deps.store.eventsSince(info.plural, rv);
    } catch (e) {
      if (e instanceof CompactedError) throw gone(`too old resource version: ${e.requested} (${e.compacted})`);
      throw e;
    }
  }
}

/** NamespaceLifecycle admission keeps the system namespaces (upstream's immortal namespaces). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** An update that changes nothing is not written (the apiserver skips no-op writes). */
function isNoop(old: KubeObject, next: KubeObject): boolean {
  const { resourceVersion: _a, ...oldMeta } = old.metadata;
  const { resourceVersion: _b, ...nextMeta } = next.metadata;
  return jsonEqual(oldMeta, nextMeta) && jsonEqual(old, next, (k) => k === 'metadata');
}

/**
 * A terminating object goes once nothing holds it: no finalizers, no grace period left (a pod's
 * kubelet sets 0 when its containers stopped) and, for namespaces, no spec.finalizers.
 */
function readyToRemove(info: ResourceInfo, obj: KubeObject): boolean {
  const meta = obj.metadata;
  if (!meta.deletionTimestamp || (meta.finalizers ?? []).length > 0) return false;
  if (info.kind === 'Namespace') return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length === 0;
  return (meta.deletionGracePeriodSeconds ?? 0) === 0;
}

/**
 * Foreground and Orphan deletion hold the object with a finalizer that the garbage collector
 * removes once dependents are deleted or released; Background needs none.
 */
function propagationFinalizer(policy: string | undefined, obj: KubeObject): string[] {
  const wanted = policy === 'Foreground' ? FOREGROUND_FINALIZER : policy === 'Orphan' ? ORPHAN_FINALIZER : undefined;
  if (!wanted || (obj.metadata.finalizers ?? []).includes(wanted)) return [];
  return [wanted];
}
