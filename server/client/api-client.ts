import type { ResourceInfo, ResourceTable } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { notFoundPath, StatusError } from '../api/errors.js';
import { bindPod } from '../registry/binding.js';
import type { LeaseRenewal } from '../registry/leases.js';
import type { DeleteOptions, Registry } from '../registry/rest.js';
import type { StoreEvent } from '../storage/store.js';
import type { Hub } from '../watch/hub.js';

/** Names an object: namespace ("" for cluster-scoped kinds) and name. */
export interface ObjectKey {
  namespace?: string;
  name: string;
}

/** A watch event as controllers see it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Readonly<KubeObject>;
  revision: number;
}

/**
 * The in-process client every controller, the scheduler and the kubelets write through. It calls
 * the registry, never storage, so defaulting, validation, admission, resourceVersion conflicts,
 * managedFields and watch events apply exactly as for kubectl. Resources are named like upstream's
 * group-resources: `pods`, `deployments.apps`.
 */
export class LocalClient {
  private readonly infos = new Map<string, ResourceInfo>();

  constructor(
    private readonly registry: Registry,
    private readonly hub: Hub,
    private readonly table: ResourceTable,
    private readonly fieldManager: string,
  ) {}

  private info(resource: string): ResourceInfo {
    const known = this.infos.get(resource);
    if (known) return known;
    const [plural, ...group] = resource.split('.');
    const g = group.join('.');
    const info = this.table.resources.find((r) => r.plural === plural && r.group === g);
    if (!info) throw notFoundPath();
    this.infos.set(resource, info);
    return info;
  }

  private opts() {
    return { dryRun: false, fieldValidation: 'Strict' as const, fieldManager: this.fieldManager, typed: true };
  }

  /** The current object, or undefined when it does not exist. */
  get(resource: string, key: ObjectKey): Readonly<KubeObject> | undefined {
    return this.registry.find({ info: this.info(resource), namespace: key.namespace ?? '', name: key.name })?.object;
  }

  /** Current objects in key order, optionally in one namespace and narrowed by selectors. */
  list(resource: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}): Readonly<KubeObject>[] {
    const { namespace = '', ...selectors } = opts;
    return this.registry.list({ info: this.info(resource), namespace }, selectors).items.map((o) => o.object);
  }

  /**
   * Lists and subscribes in one synchronous block, so no change can fall between the two: the
   * handler gets every event after the returned revision, asynchronously and in order.
   */
  listAndWatch(resource: string, handler: (e: WatchEvent) => void): { items: Readonly<KubeObject>[]; revision: number; stop: () => void } {
    const info = this.info(resource);
    const sub = this.hub.subscribe(info.plural, (e: StoreEvent) => handler({ type: e.type, object: e.object, revision: e.revision }));
    const list = this.registry.list({ info, namespace: '' }, {});
    return { items: list.items.map((o) => o.object), revision: Number(list.resourceVersion), stop: () => sub.close() };
  }

  /** Creates an object in its metadata.namespace. */
  create(resource: string, obj: KubeObject): KubeObject {
    return this.registry.create({ info: this.info(resource), namespace: obj.metadata.namespace ?? '' }, obj, this.opts()).object;
  }

  /**
   * Read-modify-write of the current object (status only with `status: true`); a conflict is
   * impossible in-process because the mutation runs on the object as stored. `heartbeat: true`
   * marks a periodic liveness write (Lease renewal, node status heartbeat) whose log row replaces
   * the key's previous heartbeat row, so heartbeats do not flood the revision log
   * (server/watch/README.md). `pure: true` promises that fn returns a new object and only reads
   * its argument, which is then the stored (frozen) object rather than a deep copy: the hot status
   * writers (kubelet, ReplicaSet, Deployment) would otherwise copy the whole object per write.
   */
  mutate(resource: string, key: ObjectKey, fn: (current: KubeObject) => KubeObject, opts: { status?: boolean; heartbeat?: boolean; pure?: boolean } = {}): KubeObject {
    const scope = { info: this.info(resource), namespace: key.namespace ?? '', name: key.name };
    const writeOpts = { ...this.opts(), ...(opts.heartbeat ? { heartbeat: true } : {}) };
    return this.registry.guaranteedUpdate(scope, writeOpts, (cur) => ({ obj: fn(cur), warnings: [] }), opts.status ? 'status' : 'main', opts.pure).object;
  }

  /** Renews a Lease as its holder: a heartbeat write (see mutate) through Registry.renewLease. */
  renewLease(key: ObjectKey, renewal: LeaseRenewal): KubeObject {
    const scope = { info: this.info('leases.coordination.k8s.io'), namespace: key.namespace ?? '', name: key.name };
    return this.registry.renewLease(scope, renewal, { ...this.opts(), heartbeat: true }).object;
  }

  /**
   * POSTs a Binding to pods/binding (what the scheduler does): sets spec.nodeName and
   * PodScheduled=True. Throws 404 for a missing pod and 409 for a bound or terminating one.
   */
  bind(namespace: string, podName: string, nodeName: string): void {
    bindPod(this.registry, namespace, { apiVersion: 'v1', kind: 'Binding', metadata: { name: podName, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } });
  }

  /** Deletes an object (Background propagation unless told otherwise); a missing object is not an error. */
  delete(resource: string, key: ObjectKey, opts: Partial<DeleteOptions> = {}): void {
    try {
      this.registry.delete({ info: this.info(resource), namespace: key.namespace ?? '', name: key.name }, { dryRun: false, propagationPolicy: 'Background', ...opts });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}
