// The node side of the fake kubelets: registration, node status and the node Lease. Port of the
// behaviour of kubernetes pkg/kubelet/kubelet_node_status.go (registerWithAPIServer,
// updateNodeStatus, recordNodeSchedulableEvent) and pkg/kubelet/nodelease (the lease controller).
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import { rfc3339Micro } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import type { NodeConfig } from '../config.js';
import type { EventRecorder } from '../controllers/events.js';
import { NETWORK_NOT_READY_MESSAGE, newNode, readyStatus, setNodeConditions } from './node-status.js';

/** Where node Leases live. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet's nodeLeaseDurationSeconds. */
const LEASE_DURATION_SECONDS = 40;
/** Lease renewal: a quarter of the lease duration (nodelease.renewIntervalFraction 0.25). */
export const LEASE_RENEW_INTERVAL_MS = 10_000;
/** nodeStatusUpdateFrequency: how often the kubelet computes its node status. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** nodeStatusReportFrequency: an unchanged status is still posted this often. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
/** How long a starting kubelet reports NotReady before its runtime network is up. */
export const NODE_READY_DELAY_MS = 2_000;

/** A node's kubelet event reference: upstream uses the node name as uid (k8s-behavior §0.3). */
function nodeRef(name: string): KubeObject {
  return { kind: 'Node', metadata: { name } };
}

/**
 * One node's kubelet, node side: registers the Node if missing, reports conditions, renews the
 * Lease every 10 s, re-posts status every 5 min, and reports cordon flips as events. Stopped, it
 * does nothing at all, which is how the node controller comes to see the node as unreachable.
 */
export class NodeAgent {
  /** Cancels of the timers still to fire; a fired timer leaves, or hours of loops would pile up here. */
  private readonly timers = new Set<() => void>();
  private lastReportMs = 0;
  private networkReady = false;
  private lastUnschedulable = false;
  /** The pressure conditions (from `kd fault`) of the last status post. */
  private lastPressure = '';

  constructor(
    private readonly cfg: NodeConfig,
    private readonly ctx: ClusterContext,
    private readonly client: LocalClient,
    private readonly recorder: EventRecorder,
  ) {}

  /** Boots the kubelet: Starting event, registration or status post, Lease, then the loops. */
  start(): void {
    this.stop();
    const existing = this.client.get('nodes', { name: this.cfg.name });
    // A daemon restart finds its nodes Ready: the kubelet comes back with the runtime already up.
    this.networkReady = readyStatus(existing) === 'True';
    this.lastUnschedulable = false;
    this.event('Starting', 'Starting kubelet.');
    if (existing) this.postStatus(false);
    else this.register();
    this.event('NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    this.syncLease();
    this.recordSchedulable();
    if (!this.networkReady) this.after(NODE_READY_DELAY_MS, () => this.becomeReady());
    this.every(LEASE_RENEW_INTERVAL_MS, () => this.syncLease());
    this.every(NODE_STATUS_UPDATE_FREQUENCY_MS, () => this.syncNodeStatus());
  }

  /** Stops every loop: no lease renewals, no status posts. */
  stop(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  private after(ms: number, fn: () => void): void {
    const cancel = this.ctx.clock.setTimer(() => {
      this.timers.delete(cancel);
      this.guard(fn);
    }, ms);
    this.timers.add(cancel);
  }

  private every(ms: number, fn: () => void): void {
    const loop = (): void => {
      this.guard(fn);
      this.after(ms, loop);
    };
    this.after(ms, loop);
  }

  /**
   * Runs one loop step. A deleted Node (kubectl delete node) is not re-registered until the
   * kubelet restarts, as upstream; any other failure is logged and the loop goes on, as a kubelet
   * retries on its next period.
   */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      process.stderr.write(`kubelet ${this.cfg.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
  }

  private event(reason: string, message: string): void {
    this.recorder.event(nodeRef(this.cfg.name), 'Normal', reason, message);
  }

  private statusEvents(reasons: string[]): void {
    for (const r of reasons) this.event(r, `Node ${this.cfg.name} status is now: ${r}`);
  }

  private notReadyMessage(): string | undefined {
    return this.networkReady ? undefined : NETWORK_NOT_READY_MESSAGE;
  }

  /** registerWithAPIServer: creates the Node with its first status (TaintNodesByCondition adds not-ready). */
  private register(): void {
    const node = newNode(this.cfg, this.ctx.random);
    const reasons: string[] = [];
    const nowMs = this.ctx.clock.now();
    setNodeConditions(node, { notReadyMessage: this.notReadyMessage(), nowMs, record: (r) => reasons.push(r), pressure: this.pressure() });
    this.client.create('nodes', node);
    this.lastReportMs = nowMs;
    this.statusEvents(reasons);
  }

  /** Posts the node status; the periodic post is a heartbeat write (its row coalesces in the log). */
  private postStatus(heartbeat: boolean): void {
    const reasons: string[] = [];
    const nowMs = this.ctx.clock.now();
    this.client.mutate('nodes', { name: this.cfg.name }, (node) => {
      setNodeConditions(node, { notReadyMessage: this.notReadyMessage(), nowMs, record: (r) => reasons.push(r), pressure: this.pressure() });
      return node;
    }, { status: true, heartbeat });
    this.lastReportMs = nowMs;
    this.statusEvents(reasons);
  }

  private becomeReady(): void {
    this.networkReady = true;
    this.postStatus(false);
  }

  /** The status loop: cordon events, and a status post when the report frequency is due or a pressure fault changed. */
  private syncNodeStatus(): void {
    this.recordSchedulable();
    const pressureChanged = [...this.ctx.faults.nodeConditions(this.cfg.name)].join() !== this.lastPressure;
    if (pressureChanged) this.postStatus(false);
    else if (this.ctx.clock.now() - this.lastReportMs >= NODE_STATUS_REPORT_FREQUENCY_MS) this.postStatus(true);
  }

  /** The pressure conditions injected faults raise on this node (the eviction manager's signals). */
  private pressure(): ReadonlySet<string> {
    const set = this.ctx.faults.nodeConditions(this.cfg.name);
    this.lastPressure = [...set].join();
    return set;
  }

  /** recordNodeSchedulableEvent: NodeNotSchedulable / NodeSchedulable when spec.unschedulable flips. */
  private recordSchedulable(): void {
    const node = this.client.get('nodes', { name: this.cfg.name });
    const unschedulable = (node?.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
    if (!node || unschedulable === this.lastUnschedulable) return;
    this.lastUnschedulable = unschedulable;
    this.statusEvents([unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable']);
  }

  /** The lease controller: create the Lease (owned by the Node) or renew it as a heartbeat. */
  private syncLease(): void {
    const key = { namespace: NODE_LEASE_NAMESPACE, name: this.cfg.name };
    const renewTime = rfc3339Micro(this.ctx.clock.now());
    if (this.client.get('leases.coordination.k8s.io', key)) {
      this.client.renewLease(key, { holderIdentity: this.cfg.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime });
      return;
    }
    const node = this.client.get('nodes', { name: this.cfg.name });
    if (!node) return;
    this.client.create('leases.coordination.k8s.io', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.cfg.name,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.cfg.name, uid: node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: this.cfg.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
    });
  }
}

/**
 * Starts one NodeAgent per configured node and follows the KubeletSwitch: a stopped kubelet stops
 * heartbeating, a started one boots again (Starting, status, Lease) and its node turns Ready.
 */
export const startNodeAgents: StartComponent = (ctx) => {
  const client = ctx.client('kubelet');
  const agents = new Map<string, NodeAgent>();
  for (const cfg of ctx.config.nodes) {
    agents.set(cfg.name, new NodeAgent(cfg, ctx, client, ctx.recorder({ component: 'kubelet', host: cfg.name }, 'kubelet')));
  }
  for (const [name, agent] of agents) if (ctx.kubelets.isRunning(name)) agent.start();
  const unsubscribe = ctx.kubelets.onChange((name, running) => {
    const agent = agents.get(name);
    if (!agent) return;
    if (running) agent.start();
    else agent.stop();
  });
  return () => {
    unsubscribe();
    for (const agent of agents.values()) agent.stop();
  };
};
