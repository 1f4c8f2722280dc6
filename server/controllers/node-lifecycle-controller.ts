// Port of kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (monitorNodeHealth,
// tryUpdateNodeHealth, processTaintBaseEviction, doNoScheduleTaintingPass, handleDisruption,
// ComputeZoneState) and of MarkPodsNotReady / RecordNodeStatusChange in
// pkg/controller/util/node/controller_utils.go.
//
// Simplified: one zone for the whole cluster (topology.kubernetes.io/zone is not read); the
// NoExecute rate limiter is a single token per 10 s instead of a per-zone token bucket; the
// secondary rate of large partially disrupted zones is treated like the normal rate.
import type { Node, NodeCondition, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { BY_NODE_NAME } from '../informers/factory.js';
import type { Informer } from '../informers/informer.js';
import type { EventRecorder } from './events.js';
import { hasTaint, noScheduleTaintDiff, swapTaints, TAINT_NOT_READY, TAINT_UNREACHABLE } from './node-taints.js';
import { runController } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** nodeMonitorPeriod: how often node health is checked. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** nodeMonitorGracePeriod: how long a node may stay silent before it is Unknown (50 s since v1.32). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** nodeStartupGracePeriod: the same for a node that never posted Ready. */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** evictionLimiterQPS 0.1: one NoExecute tainting per 10 s. */
const NO_EXECUTE_TAINT_INTERVAL_MS = 10_000;
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** Zones up to this size stop NoExecute tainting entirely when partially disrupted. */
const LARGE_CLUSTER_THRESHOLD_NODES = 50;
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** What the controller remembers per node between passes (upstream nodeHealthData). */
interface NodeHealth {
  probeTimestampMs: number;
  readyHeartbeat?: string;
  leaseRenewMs?: number;
}

/** Tunables of the node lifecycle controller (kube-controller-manager flags). */
export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period (default 50 s). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period (default 60 s). */
  nodeStartupGracePeriodMs?: number;
}

function conditions(node: Readonly<KubeObject>): NodeCondition[] {
  return ((node.status as Node['status'])?.conditions ?? []) as NodeCondition[];
}

function readyOf(node: Readonly<KubeObject>): NodeCondition | undefined {
  return conditions(node).find((c) => c.type === 'Ready');
}

/**
 * ComputeZoneState: FullDisruption with no Ready node, PartialDisruption with more than two
 * not-ready nodes making up at least 55%, Normal otherwise.
 */
export function computeZoneState(readyStatuses: Array<string | undefined>): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / readyStatuses.length >= UNHEALTHY_ZONE_THRESHOLD) return 'PartialDisruption';
  return 'Normal';
}

/**
 * The node lifecycle controller: watches kubelet heartbeats (Lease renewals and the Ready
 * condition), marks silent nodes Unknown, marks their pods not ready, and keeps the NoSchedule and
 * NoExecute node taints in line with node conditions and cordons.
 */
export class NodeLifecycleController {
  private readonly health = new Map<string, NodeHealth>();
  private readonly registered = new Set<string>();
  private zoneState: ZoneState = 'Normal';
  private nextTaintAllowedMs = 0;
  private readonly graceMs: number;
  private readonly startupGraceMs: number;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly client: LocalClient,
    private readonly recorder: EventRecorder,
    private readonly informers: { nodes: Informer; leases: Informer; pods: Informer },
    opts: NodeLifecycleOptions = {},
  ) {
    this.graceMs = opts.nodeMonitorGracePeriodMs ?? NODE_MONITOR_GRACE_PERIOD_MS;
    this.startupGraceMs = opts.nodeStartupGracePeriodMs ?? NODE_STARTUP_GRACE_PERIOD_MS;
  }

  /** One monitorNodeHealth pass over every node. */
  monitorNodeHealth(): void {
    const nodes = this.informers.nodes.list();
    this.trackNodes(nodes);
    const results = nodes.map((node) => ({ node, ...this.tryUpdateNodeHealth(node) }));
    this.handleDisruption(results.map((r) => r.node), results.map((r) => r.current?.status));
    for (const { node, observed, current } of results) {
      if (!current) continue;
      // Upstream taints from the condition as observed before this pass's update, so the
      // NoExecute taint follows the NoSchedule one a pass later.
      this.processTaintBaseEviction(node.metadata.name ?? '', observed?.status ?? 'Unknown');
      // Report only the transition, as upstream does: the pass that saw the node leave Ready.
      if (observed?.status === 'True' && current.status !== 'True') {
        this.recordNodeStatusChange(node.metadata.name ?? '', 'NodeNotReady');
        this.markPodsNotReady(node.metadata.name ?? '');
      }
    }
  }

  /** RegisteredNode for nodes seen for the first time; forget deleted ones. */
  private trackNodes(nodes: Readonly<KubeObject>[]): void {
    const names = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const name of [...this.registered]) {
      if (names.has(name)) continue;
      this.registered.delete(name);
      this.health.delete(name);
    }
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      if (this.registered.has(name)) continue;
      this.registered.add(name);
      this.recorder.event(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    }
  }

  /**
   * tryUpdateNodeHealth: refreshes the probe timestamp from the Ready heartbeat and the Lease;
   * past the grace period, sets the monitored conditions Unknown. Returns the Ready condition
   * before and after.
   */
  private tryUpdateNodeHealth(node: Readonly<KubeObject>): { observed?: NodeCondition; current?: NodeCondition } {
    const name = node.metadata.name ?? '';
    const observed = readyOf(node);
    const now = this.ctx.clock.now();
    const probe = this.refreshProbe(node, observed, now);
    const grace = observed ? this.graceMs : this.startupGraceMs;
    if (now <= probe + grace) return { observed, current: observed };
    const updated = this.client.mutate('nodes', { name }, (n) => {
      markConditionsUnknown(n, rfc3339(now));
      return n;
    }, { status: true });
    return { observed, current: readyOf(updated) };
  }

  private refreshProbe(node: Readonly<KubeObject>, observed: NodeCondition | undefined, now: number): number {
    const name = node.metadata.name ?? '';
    let h = this.health.get(name);
    if (!h) {
      const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
      h = { probeTimestampMs: created, ...(observed?.lastHeartbeatTime ? { readyHeartbeat: observed.lastHeartbeatTime } : {}) };
      this.health.set(name, h);
    } else if (observed?.lastHeartbeatTime !== h.readyHeartbeat) {
      h.probeTimestampMs = now;
      if (observed?.lastHeartbeatTime) h.readyHeartbeat = observed.lastHeartbeatTime;
      else delete h.readyHeartbeat;
    }
    const lease = this.informers.leases.get(`kube-node-lease/${name}`);
    const renew = Date.parse((lease?.spec as { renewTime?: string } | undefined)?.renewTime ?? '');
    if (!Number.isNaN(renew) && (h.leaseRenewMs === undefined || renew > h.leaseRenewMs)) {
      h.leaseRenewMs = renew;
      h.probeTimestampMs = now;
    }
    return h.probeTimestampMs;
  }

  /**
   * handleDisruption for the single zone: entering FullDisruption lifts every NoExecute taint (no
   * node is evicted when the whole cluster looks down); leaving it restarts every node's grace.
   */
  private handleDisruption(nodes: Readonly<KubeObject>[], readyStatuses: Array<string | undefined>): void {
    const state = computeZoneState(readyStatuses);
    if (state === 'FullDisruption' && this.zoneState !== 'FullDisruption') {
      for (const node of nodes) this.markNodeAsReachable(node.metadata.name ?? '');
    }
    if (this.zoneState === 'FullDisruption' && state !== 'FullDisruption') {
      const now = this.ctx.clock.now();
      for (const h of this.health.values()) h.probeTimestampMs = now;
    }
    this.zoneState = state;
  }

  private taintingAllowed(): boolean {
    if (this.zoneState === 'FullDisruption') return false;
    if (this.zoneState === 'PartialDisruption' && this.registered.size <= LARGE_CLUSTER_THRESHOLD_NODES) return false;
    return this.ctx.clock.now() >= this.nextTaintAllowedMs;
  }

  /**
   * processTaintBaseEviction: not-ready:NoExecute for Ready=False, unreachable:NoExecute for
   * Unknown (swapped at once when the opposite taint is there, otherwise rate limited), both
   * removed for Ready=True.
   */
  private processTaintBaseEviction(name: string, status: string): void {
    if (status === 'True') {
      this.markNodeAsReachable(name);
      return;
    }
    const [want, opposite] = status === 'False' ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
    const node = this.informers.nodes.get(name);
    if (!node || hasTaint(node, want, 'NoExecute')) return;
    const swap = hasTaint(node, opposite, 'NoExecute');
    if (!swap && !this.taintingAllowed()) return;
    if (!swap) this.nextTaintAllowedMs = this.ctx.clock.now() + NO_EXECUTE_TAINT_INTERVAL_MS;
    const timeAdded = rfc3339(this.ctx.clock.now());
    this.client.mutate('nodes', { name }, (n) => {
      swapTaints(n, [{ key: want, effect: 'NoExecute', timeAdded }], [{ key: opposite, effect: 'NoExecute' }]);
      return n;
    });
  }

  /** Removes both NoExecute node-controller taints (a no-op write is skipped by the registry). */
  private markNodeAsReachable(name: string): void {
    const node = this.informers.nodes.get(name);
    if (!node || (!hasTaint(node, TAINT_NOT_READY, 'NoExecute') && !hasTaint(node, TAINT_UNREACHABLE, 'NoExecute'))) return;
    this.client.mutate('nodes', { name }, (n) => {
      swapTaints(n, [], [{ key: TAINT_NOT_READY, effect: 'NoExecute' }, { key: TAINT_UNREACHABLE, effect: 'NoExecute' }]);
      return n;
    });
  }

  /** doNoScheduleTaintingPass for one node (run on every node add and update). */
  doNoScheduleTaintingPass(name: string): void {
    const node = this.client.get('nodes', { name });
    if (!node) return;
    const { add, del } = noScheduleTaintDiff(node);
    if (add.length === 0 && del.length === 0) return;
    this.client.mutate('nodes', { name }, (n) => {
      const diff = noScheduleTaintDiff(n);
      swapTaints(n, diff.add, diff.del);
      return n;
    });
  }

  /** RecordNodeStatusChange: the event references the node with its name as uid. */
  private recordNodeStatusChange(name: string, status: string): void {
    this.recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name } }, 'Normal', status, `Node ${name} status is now: ${status}`);
  }

  /** MarkPodsNotReady: every pod on the node gets Ready=False and a NodeNotReady warning. */
  private markPodsNotReady(nodeName: string): void {
    const now = rfc3339(this.ctx.clock.now());
    for (const pod of this.informers.pods.byIndex(BY_NODE_NAME, nodeName)) {
      const ready = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const key = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
      if (!this.client.get('pods', key)) continue;
      const updated = this.client.mutate('pods', key, (p) => {
        const conds = ((p.status as { conditions?: PodCondition[] }).conditions ?? []);
        for (const c of conds) if (c.type === 'Ready' && c.status !== 'False') Object.assign(c, { status: 'False', lastTransitionTime: now });
        return p;
      }, { status: true });
      this.recorder.event(updated, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }
}

/**
 * The node controller's Unknown marking: each monitored condition the kubelet never posted is
 * added as NodeStatusNeverUpdated; each one not already Unknown becomes NodeStatusUnknown.
 */
export function markConditionsUnknown(node: KubeObject, now: string): void {
  const status = (node.status ?? {}) as { conditions?: NodeCondition[] };
  node.status = status;
  const conds = status.conditions ?? [];
  for (const type of MONITORED_CONDITIONS) {
    const c = conds.find((x) => x.type === type);
    if (!c) {
      conds.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp ?? now, lastTransitionTime: now });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
    }
  }
  status.conditions = conds;
}

/**
 * Starts the node lifecycle controller (events from `node-controller`): the health monitor every
 * 5 s of virtual time and the NoSchedule tainting pass on every node change.
 */
export const startNodeLifecycleController: StartComponent = (ctx) => nodeLifecycleControllerWith({})(ctx);

/**
 * The node lifecycle controller with other grace periods.
 * @example startTestCluster(t, [startNodeAgents, nodeLifecycleControllerWith({ nodeMonitorGracePeriodMs: 40_000 })])
 */
export function nodeLifecycleControllerWith(opts: NodeLifecycleOptions): StartComponent {
  return (ctx) => runNodeLifecycleController(ctx, opts);
}

function runNodeLifecycleController(ctx: ClusterContext, opts: NodeLifecycleOptions): () => void {
  const informers = {
    nodes: ctx.informers.for('nodes'),
    leases: ctx.informers.for('leases.coordination.k8s.io'),
    pods: ctx.informers.for('pods'),
  };
  const nc = new NodeLifecycleController(ctx, ctx.client(KUBE_CONTROLLER_MANAGER), ctx.recorder({ component: 'node-controller' }), informers, opts);
  const { queue, stop } = runController({ name: 'node-lifecycle-controller', reconcile: (key) => nc.doNoScheduleTaintingPass(key) }, ctx.clock);
  informers.nodes.on({
    add: (n) => queue.add(n.metadata.name ?? ''),
    update: (_old, n) => queue.add(n.metadata.name ?? ''),
  });
  const pass = (): void => {
    try {
      nc.monitorNodeHealth();
    } catch (e) {
      // A failed pass (a node deleted mid-pass) is retried on the next period, as upstream's wait.Until.
      if (!(e instanceof StatusError && e.code === 404)) process.stderr.write(`node-lifecycle-controller: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    cancel = ctx.clock.setTimer(tick, NODE_MONITOR_PERIOD_MS);
  };
  // The pass runs one turn after its timer, once the watch deliveries of that instant reached the
  // informers. The whole cluster shares one thread: after a stall (a long GC) the overdue Lease
  // renewals and this timer fire together, and a pass before their delivery would find every
  // heartbeat a stall old and take every node for NotReady; upstream's informers never lag that way.
  const tick = (): void => {
    cancel = ctx.clock.setTimer(pass, 0);
  };
  let cancel = ctx.clock.setTimer(tick, NODE_MONITOR_PERIOD_MS);
  return () => {
    cancel();
    stop();
  };
}
