// Builders for scheduler harness tests: Node objects as a kubelet would register them (§4.1) and
// plain pods, created through the test cluster's client.
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { TestCluster } from '../../support/cluster.js';

export interface TestNode {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
}

export function nodeObject(n: TestNode): KubeObject {
  const resources = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...(n.labels ?? {}) },
    },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

/**
 * Creates a Ready node. Admission adds node.kubernetes.io/not-ready at creation and the node
 * controller lifts it once the node is Ready; no node controller runs here, so the taint is lifted
 * at once and the node ends with exactly the taints asked for.
 */
export function createNode(c: TestCluster, n: TestNode): void {
  c.client.create('nodes', nodeObject(n));
  c.client.mutate('nodes', { name: n.name }, (node) => ({ ...node, spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) } }));
}

/** The default lab: a tainted control plane and two equal workers. */
export function createLabNodes(c: TestCluster): void {
  createNode(c, { name: 'controlplane', labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
  createNode(c, { name: 'node01' });
  createNode(c, { name: 'node02' });
}

export interface TestPod {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  spec?: Record<string, unknown>;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
}

export function podObject(p: TestPod): KubeObject {
  const requests: Record<string, string> = {};
  if (p.cpu) requests.cpu = p.cpu;
  if (p.memory) requests.memory = p.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace ?? 'default', labels: p.labels ?? {}, ...(p.ownerReferences ? { ownerReferences: p.ownerReferences } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...(p.cpu || p.memory ? { resources: { requests } } : {}) }], ...(p.spec ?? {}) },
  };
}

export function createPod(c: TestCluster, p: TestPod): KubeObject {
  return c.client.create('pods', podObject(p));
}

export function getPod(c: TestCluster, name: string, namespace = 'default'): any {
  return c.client.get('pods', { namespace, name });
}

export function nodeOf(c: TestCluster, name: string): string | undefined {
  return getPod(c, name)?.spec?.nodeName;
}

export function eventsFor(c: TestCluster, name: string, reason?: string): any[] {
  return c.list('events', 'default').filter((e: any) => e.involvedObject?.name === name && (!reason || e.reason === reason));
}
