// Builders for scheduler tests: nodes with allocatable resources and pods with container requests.
import type { Container, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { newNodeInfo, type NodeInfo } from '../../../server/scheduler/framework.js';

export interface NodeSpec {
  name?: string;
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(spec: NodeSpec = {}): Node {
  return {
    metadata: { name: spec.name ?? 'node-1', labels: spec.labels ?? {} },
    spec: { taints: spec.taints, unschedulable: spec.unschedulable },
    status: { allocatable: spec.allocatable ?? { cpu: '10m', memory: '20', pods: '32' } },
  };
}

export function container(requests?: Record<string, string>, extra: Partial<Container> = {}): Container {
  return { name: 'c', image: 'busybox', ...(requests ? { resources: { requests } } : {}), ...extra };
}

export interface PodSpecInput {
  name?: string;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: NonNullable<Pod['spec']>['affinity'];
}

export function makePod(input: PodSpecInput = {}): Pod {
  return {
    metadata: { name: input.name ?? 'pod', namespace: 'default' },
    spec: {
      containers: input.containers ?? [container()],
      initContainers: input.initContainers,
      overhead: input.overhead,
      nodeName: input.nodeName,
      nodeSelector: input.nodeSelector,
      tolerations: input.tolerations,
      affinity: input.affinity,
    },
  };
}

/** A pod with one container requesting the given cpu (millicores) and memory (bytes). */
export function podWith(milliCPU: number, memory: number): Pod {
  return makePod({ containers: [container({ cpu: `${milliCPU}m`, memory: String(memory) })] });
}

export function nodeInfoOf(node: Node, pods: Pod[] = []): NodeInfo {
  return newNodeInfo(node, pods);
}
