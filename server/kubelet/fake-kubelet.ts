/**
 * The pod side of the fake kubelets: one set of pod workers per node of the cluster config. Pods
 * come from the shared pod informer; a node whose kubelet is stopped (KubeletSwitch) moves none
 * of its pods until it starts again, when it picks its pods up from the BY_NODE_NAME index.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import type { NodeConfig } from '../config.js';
import { BY_NODE_NAME } from '../informers/factory.js';
import { objectKey, type Informer } from '../informers/informer.js';
import { DEFAULT_NODE_IMAGES_CONTROL_PLANE, DEFAULT_NODE_IMAGES_WORKER } from './node-images.js';
import { ImageCache } from './image-cache.js';
import { IpAllocator } from './ip-allocator.js';
import { PodWorker, type NodeRuntime } from './pod-worker.js';

function nodeNameOf(pod: Readonly<KubeObject>): string {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}

/** The pod workers of one node. */
class NodePods {
  private readonly workers = new Map<string, PodWorker>();
  private readonly runtime: NodeRuntime;

  constructor(ctx: ClusterContext, node: NodeConfig, private readonly informer: Informer) {
    this.runtime = {
      nodeName: node.name,
      hostIP: node.address,
      clock: ctx.clock,
      client: ctx.client('kubelet'),
      recorder: ctx.recorder({ component: 'kubelet', host: node.name }, 'kubelet'),
      images: new ImageCache((node.controlPlane ? DEFAULT_NODE_IMAGES_CONTROL_PLANE : DEFAULT_NODE_IMAGES_WORKER).map((i) => i.names.at(-1)!), (image) => ctx.faults.pullFault(image, node.name)),
      ips: new IpAllocator(node.podCIDR),
      logs: ctx.logs,
      containers: ctx.containers,
      isRunning: () => ctx.kubelets.isRunning(node.name),
    };
  }

  /** A pod bound to this node was added or changed. */
  upsert(pod: Readonly<KubeObject>): void {
    if (!this.runtime.isRunning()) return;
    const key = objectKey(pod);
    const worker = this.workers.get(key);
    if (worker) return worker.update(pod);
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    // A pod that finished before this kubelet started has nothing left to run.
    if ((phase === 'Succeeded' || phase === 'Failed') && !pod.metadata.deletionTimestamp) return;
    const created = new PodWorker(this.runtime, pod);
    this.workers.set(key, created);
    created.sync();
  }

  /** The pod object is gone: its containers, IP and logs go too. */
  remove(pod: Readonly<KubeObject>): void {
    const key = objectKey(pod);
    this.workers.get(key)?.remove();
    this.workers.delete(key);
  }

  /** Follows the kubelet switch: a stopped kubelet freezes, a started one resyncs its pods. */
  setRunning(running: boolean): void {
    if (!running) {
      for (const w of this.workers.values()) w.pause();
      return;
    }
    for (const pod of this.informer.byIndex(BY_NODE_NAME, this.runtime.nodeName)) {
      const w = this.workers.get(objectKey(pod));
      if (w) {
        w.update(pod);
        w.sync();
      } else this.upsert(pod);
    }
  }

  stop(): void {
    for (const w of this.workers.values()) w.pause();
  }
}

/** Starts the pod workers of every node in the cluster config. */
export const startKubelets: StartComponent = (ctx) => {
  const informer = ctx.informers.for('pods');
  const nodes = new Map(ctx.config.nodes.map((n) => [n.name, new NodePods(ctx, n, informer)]));
  const nodeOf = (pod: Readonly<KubeObject>): NodePods | undefined => nodes.get(nodeNameOf(pod));
  informer.on({
    add: (pod) => nodeOf(pod)?.upsert(pod),
    update: (_old, pod) => nodeOf(pod)?.upsert(pod),
    delete: (pod) => nodeOf(pod)?.remove(pod),
  });
  const off = ctx.kubelets.onChange((node, running) => nodes.get(node)?.setRunning(running));
  return () => {
    off();
    for (const n of nodes.values()) n.stop();
  };
};
