/**
 * The Table `kubectl get podmetrics` / `kubectl get nodes.metrics.k8s.io` receive: Name, one
 * quantity column per resource (cpu, memory) and Window. Port of addPodMetricsToTable and
 * addNodeMetricsToTable in kubernetes-sigs/metrics-server pkg/api/pod.go and node.go: a pod's cells
 * are its containers' usage summed, printed in canonical quantity form.
 */
import type { IncludeObject } from '../api/tables/table.js';
import { formatBytes, formatNanocores, type NodeMetrics, type PodMetrics } from './metrics-server.js';

const NANO: Record<string, number> = { n: 1, u: 1e3, m: 1e6, '': 1e9 };
const BYTES: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

// The inverse of formatNanocores / formatBytes for the values this module produced.
function nanocores(q: string): number {
  const m = /^(\d+)([num]?)$/.exec(q);
  return m ? Number(m[1]) * NANO[m[2]!]! : 0;
}

function bytes(q: string): number {
  const m = /^(\d+)((?:[KMGT]i)?)$/.exec(q);
  return m ? Number(m[1]) * BYTES[m[2]!]! : 0;
}

const COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
  { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
];

type Metrics = (PodMetrics | NodeMetrics) & { kind?: string; apiVersion?: string };

function usageOf(m: Metrics): { cpu: string; memory: string } {
  if ('usage' in m) return m.usage;
  let cpu = 0;
  let memory = 0;
  for (const c of m.containers) {
    cpu += nanocores(c.usage.cpu);
    memory += bytes(c.usage.memory);
  }
  return { cpu: formatNanocores(cpu), memory: formatBytes(memory) };
}

/**
 * A meta.k8s.io/v1 Table of metrics objects; `kind` names the item kind for full row objects.
 * @example metricsTable(items, 'PodMetrics', 'Metadata')
 */
export function metricsTable(items: Metrics[], kind: 'PodMetrics' | 'NodeMetrics', include: IncludeObject): Record<string, unknown> {
  const rows = items.map((m) => {
    const u = usageOf(m);
    const row: Record<string, unknown> = { cells: [m.metadata.name, u.cpu, u.memory, m.window] };
    if (include === 'Object') row.object = { kind, apiVersion: 'metrics.k8s.io/v1beta1', ...m };
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: m.metadata };
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions: COLUMNS, rows };
}
