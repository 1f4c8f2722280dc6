/**
 * The work of `kd top` (kubectl pkg/cmd/top/top_node.go, top_pod.go, metricsutil/metrics_printer.go).
 */
import type { TopFlags } from '../commands/top.js';
import { goSort } from '../describe/gosort.js';
import { addQty, parseQty, qtyMilli, qtyValue, type Quantity } from '../describe/format.js';
import type { Connection } from '../kube/connect.js';

const METRICS = '/apis/metrics.k8s.io/v1beta1';
const MI = 1024 * 1024;

function validateSort(sortBy: string | undefined): void {
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new Error('--sort-by accepts only cpu or memory');
}

async function withConnection(flags: TopFlags, fn: (conn: Connection) => Promise<void>): Promise<void> {
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    try {
      await conn.resolve('nodes.metrics.k8s.io');
    } catch {
      throw new Error('Metrics API not available');
    }
    await fn(conn);
  } finally {
    await conn.client.close();
  }
}

function q(sel: string | undefined, field?: string): string {
  const p = new URLSearchParams();
  if (sel) p.set('labelSelector', sel);
  if (field) p.set('fieldSelector', field);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** printSingleResourceUsage: cpu in millicores, memory in whole MiB. */
function usage(res: string, value: Quantity): string {
  return res === 'cpu' ? `${qtyMilli(value)}m` : `${Math.trunc(qtyValue(value) / MI)}Mi`;
}

async function print(rows: string[][]): Promise<void> {
  const { TabWriter } = await import('../print/tabwriter.js');
  const w = new TabWriter((text) => process.stdout.write(text));
  for (const r of rows) w.row([...r, '']);
  w.flush();
}

/** `top node [NAME]`. */
export async function topNodes(name: string | undefined, flags: TopFlags): Promise<void> {
  validateSort(flags.sortBy);
  if (name && flags.selector) throw new Error('only one of NAME or --selector can be provided');
  await withConnection(flags, async (conn) => {
    const metrics = name ? [await conn.client.getJson(`${METRICS}/nodes/${encodeURIComponent(name)}`)] : ((await conn.client.getJson(`${METRICS}/nodes${q(flags.selector)}`)).items ?? []);
    if (metrics.length === 0) throw new Error('metrics not available yet');
    const nodes = name ? [await conn.client.getJson(`/api/v1/nodes/${encodeURIComponent(name)}`)] : ((await conn.client.getJson(`/api/v1/nodes${q(flags.selector)}`)).items ?? []);
    const available = new Map<string, Record<string, string>>(nodes.map((n: any) => [n.metadata.name, (flags.showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {}]));
    const cpu = (m: any) => qtyMilli(parseQty(m.usage?.cpu));
    const mem = (m: any) => qtyValue(parseQty(m.usage?.memory));
    const less = flags.sortBy === 'cpu' ? (a: any, b: any) => cpu(a) > cpu(b) : flags.sortBy === 'memory' ? (a: any, b: any) => mem(a) > mem(b) : (a: any, b: any) => a.metadata.name < b.metadata.name;
    const rows: string[][] = flags.headers ? [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']] : [];
    for (const m of goSort(metrics, less)) {
      const row = [m.metadata.name];
      const avail = available.get(m.metadata.name);
      for (const res of ['cpu', 'memory']) {
        const value = parseQty(m.usage?.[res]);
        row.push(usage(res, value));
        if (avail?.[res] !== undefined) row.push(`${Math.trunc((qtyMilli(value) / qtyMilli(parseQty(avail[res]))) * 100)}%`);
      }
      rows.push(row);
      available.delete(m.metadata.name);
    }
    for (const missing of available.keys()) rows.push([missing, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
    await print(rows);
  });
}

function podUsage(m: any): Record<string, Quantity> {
  const total: Record<string, Quantity> = {};
  for (const c of m.containers ?? []) for (const [res, v] of Object.entries(c.usage ?? {})) total[res] = addQty(total[res], parseQty(v as string));
  return total;
}

/** `top pod [NAME]`. */
export async function topPods(name: string | undefined, flags: TopFlags): Promise<void> {
  validateSort(flags.sortBy);
  if (name && (flags.selector || flags.fieldSelector)) throw new Error('only one of NAME or selector can be provided');
  await withConnection(flags, async (conn) => {
    const ns = flags.allNamespaces ? '' : `/namespaces/${encodeURIComponent(conn.namespace)}`;
    const metrics: any[] = name ? [await conn.client.getJson(`${METRICS}${ns}/pods/${encodeURIComponent(name)}`)] : ((await conn.client.getJson(`${METRICS}${ns}/pods${q(flags.selector, flags.fieldSelector)}`)).items ?? []);
    if (metrics.length === 0) {
      await verifyEmpty(conn, name, flags);
      process.stderr.write(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${conn.namespace} namespace.\n`);
      return;
    }
    const withNs = !!flags.allNamespaces;
    const rows: string[][] = flags.headers ? [[...(withNs ? ['NAMESPACE'] : []), ...(flags.containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)']] : [];
    const sorted = goSort(metrics.map((m) => ({ m, u: podUsage(m) })), sortLess(flags.sortBy, withNs));
    for (const { m, u } of sorted) {
      const lead = withNs ? [m.metadata.namespace] : [];
      if (!flags.containers) {
        rows.push([...lead, m.metadata.name, usage('cpu', u['cpu'] ?? parseQty('0')), usage('memory', u['memory'] ?? parseQty('0'))]);
        continue;
      }
      const containers = goSort((m.containers ?? []).map((c: any) => ({ m: c, u: Object.fromEntries(Object.entries(c.usage ?? {}).map(([k, v]) => [k, parseQty(v as string)])) })), sortLess(flags.sortBy, false, true));
      for (const { m: c, u: cu } of containers) rows.push([...lead, m.metadata.name, c.name, usage('cpu', cu['cpu'] ?? parseQty('0')), usage('memory', cu['memory'] ?? parseQty('0'))]);
    }
    if (flags.sum) rows.push(...sumRows(sorted.map((x) => x.u), withNs, !!flags.containers));
    await print(rows);
  });
}

type Entry = { m: any; u: Record<string, Quantity> };

function sortLess(sortBy: string | undefined, withNs: boolean, container = false): (a: Entry, b: Entry) => boolean {
  const cpu = (e: Entry) => (e.u['cpu'] ? qtyMilli(e.u['cpu']) : 0);
  const mem = (e: Entry) => (e.u['memory'] ? qtyValue(e.u['memory']) : 0);
  if (sortBy === 'cpu') return (a, b) => cpu(a) > cpu(b);
  if (sortBy === 'memory') return (a, b) => mem(a) > mem(b);
  const name = (e: Entry) => (container ? e.m.name : e.m.metadata.name);
  return (a, b) => (withNs && !container && a.m.metadata.namespace !== b.m.metadata.namespace ? a.m.metadata.namespace < b.m.metadata.namespace : name(a) < name(b));
}

/** The --sum rows under the table: a rule, then the totals, in the usage columns. */
function sumRows(usages: Array<Record<string, Quantity>>, withNs: boolean, containers: boolean): string[][] {
  let cpu: Quantity | undefined;
  let mem: Quantity | undefined;
  for (const u of usages) {
    if (u['cpu']) cpu = addQty(cpu, u['cpu']);
    if (u['memory']) mem = addQty(mem, u['memory']);
  }
  const lead = ['', ...(withNs ? [''] : []), ...(containers ? [''] : [])];
  return [
    [...lead, '________', '________'],
    [...lead, usage('cpu', cpu ?? parseQty('0')), usage('memory', mem ?? parseQty('0'))],
  ];
}

/** verifyEmptyMetrics: an old pod without metrics is an error, a new one is "not available yet". */
async function verifyEmpty(conn: Connection, name: string | undefined, flags: TopFlags): Promise<void> {
  const base = `/api/v1/namespaces/${encodeURIComponent(conn.namespace)}/pods`;
  const pods = name ? [await conn.client.getJson(`${base}/${encodeURIComponent(name)}`)] : ((await conn.client.getJson(`${base}${q(flags.selector, flags.fieldSelector)}`)).items ?? []);
  if (pods.length === 0) return;
  for (const p of pods) {
    const age = Date.now() - Date.parse(p.metadata.creationTimestamp);
    if (age > 2 * 60 * 1000) throw new Error(`Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${goDuration(age)}`);
  }
  throw new Error('metrics not available yet');
}

/** Go's time.Duration.String() for a positive duration in milliseconds. */
function goDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
