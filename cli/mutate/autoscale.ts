/**
 * `kd autoscale`: port of kubectl pkg/cmd/autoscale/autoscale.go. Builds an autoscaling/v2
 * HorizontalPodAutoscaler for each scalable target and creates it with fieldManager
 * kubectl-autoscale. When that create fails kubectl tries autoscaling/v1, but only when --cpu gives
 * a utilization; without --cpu the fallback check itself fails with "empty input", which is what
 * kubectl reports then (even for AlreadyExists).
 */
import type { KubeFlags } from '../kube/kubeconfig.js';
import { dryRunStrategy, fetchInfos, parseIntFlag, throwCollected, type DryRun, type Info } from './common.js';
import { createAndPrint } from './create.js';

/** Flags of autoscale (numbers arrive as text and are parsed as pflag does). */
export interface AutoscaleFlags extends KubeFlags {
  min: string;
  max?: string;
  cpuPercent: string;
  cpu?: string;
  memory?: string;
  name?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
}

/** Resources with a scale subresource, by `group/resource`. */
const SCALABLE = new Set(['apps/deployments', 'apps/replicasets', 'apps/statefulsets', '/replicationcontrollers']);

interface Target {
  kind: 'Utilization' | 'AverageValue';
  value: number | string;
}

/** autoscale.go parseResourceInput: `70%`, a bare number (milliCPU / MiB) or a quantity. */
function parseResourceInput(input: string, resource: 'cpu' | 'memory'): Target {
  const text = input.trim();
  if (text === '') throw new Error('empty input');
  if (text.endsWith('%')) {
    const n = text.slice(0, -1);
    if (!/^\d+$/.test(n)) throw new Error(`invalid percentage value: ${n}`);
    return { kind: 'Utilization', value: Number(n) };
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return { kind: 'AverageValue', value: `${Number(text)}${resource === 'cpu' ? 'm' : 'Mi'}` };
  if (!/^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(text)) throw new Error(`invalid resource ${resource} value: ${text}`);
  return { kind: 'AverageValue', value: text };
}

/** One Resource metric, keys in Go struct order. */
function metric(name: string, t: Target): unknown {
  const target = t.kind === 'Utilization' ? { type: 'Utilization', averageUtilization: t.value } : { type: 'AverageValue', averageValue: t.value };
  return { type: 'Resource', resource: { name, target } };
}

interface Limits {
  min: number;
  max: number;
  cpuPercent: number;
}

/** createHorizontalPodAutoscalerV2, keys in Go struct order. */
function hpaV2(info: Info, flags: AutoscaleFlags, n: Limits): any {
  const spec: Record<string, unknown> = { scaleTargetRef: { kind: info.obj.kind, name: info.name, apiVersion: info.obj.apiVersion } };
  if (n.min > 0) spec['minReplicas'] = n.min;
  spec['maxReplicas'] = n.max;
  const metrics: unknown[] = [];
  if (n.cpuPercent > 0) metrics.push(metric('cpu', { kind: 'Utilization', value: n.cpuPercent }));
  if (flags.cpu) metrics.push(metric('cpu', parseResourceInput(flags.cpu, 'cpu')));
  if (flags.memory) metrics.push(metric('memory', parseResourceInput(flags.memory, 'memory')));
  if (metrics.length > 0) spec['metrics'] = metrics;
  return { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', metadata: { name: flags.name || info.name, ...(flags.namespace ? { namespace: flags.namespace } : {}) }, spec, status: { desiredReplicas: 0, currentMetrics: null } };
}

/** createHorizontalPodAutoscalerV1, for the fallback. */
function hpaV1(info: Info, flags: AutoscaleFlags, n: Limits): any {
  const spec: Record<string, unknown> = { scaleTargetRef: { kind: info.obj.kind, name: info.name, apiVersion: info.obj.apiVersion }, maxReplicas: n.max };
  if (n.min > 0) spec['minReplicas'] = n.min;
  if (n.cpuPercent >= 0) spec['targetCPUUtilizationPercentage'] = n.cpuPercent;
  return { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata: { name: flags.name || info.name, ...(flags.namespace ? { namespace: flags.namespace } : {}) }, spec, status: { currentReplicas: 0, desiredReplicas: 0 } };
}

async function validate(flags: AutoscaleFlags): Promise<Limits> {
  if (flags.max === undefined) throw new Error('required flag(s) "max" not set');
  if (flags.cpuPercent !== '-1') process.stderr.write("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\n");
  const n = {
    min: await parseIntFlag(flags.min, 'min', 'kubectl autoscale'),
    max: await parseIntFlag(flags.max, 'max', 'kubectl autoscale'),
    cpuPercent: await parseIntFlag(flags.cpuPercent, 'cpu-percent', 'kubectl autoscale'),
  };
  if (n.max < 1) throw new Error(`--max=MAXPODS is required and must be at least 1, max: ${n.max}`);
  if (n.max < n.min) throw new Error(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${n.max}, min: ${n.min}`);
  if (n.cpuPercent > 0 && flags.cpu) throw new Error('--cpu-percent and --cpu are mutually exclusive');
  if (flags.cpu) parseResourceInput(flags.cpu, 'cpu');
  if (flags.memory) parseResourceInput(flags.memory, 'memory');
  return n;
}

/** Runs `autoscale TYPE NAME --max=N …`. */
export async function runAutoscale(args: string[], flags: AutoscaleFlags): Promise<void> {
  const dryRun = dryRunStrategy(flags.dryRun);
  const n = await validate(flags);
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args, filenames: flags.filename, recursive: flags.recursive });
    await throwCollected(fetched.errors);
    if (fetched.infos.length === 0) throw new Error('no objects passed to autoscale');
    for (const info of fetched.infos) {
      const r = info.resource;
      if (!SCALABLE.has(`${r.group}/${r.resource}`)) {
        throw new Error(`cannot autoscale a ${r.kind}: could not find scale subresource for ${r.group}/${r.version}, Resource=${r.resource} in discovery information`);
      }
      await createHpa(conn.client, info, { flags, n, dryRun, namespace: info.namespace ?? conn.namespace });
    }
  } finally {
    await conn.client.close();
  }
}

interface HpaContext {
  flags: AutoscaleFlags;
  n: Limits;
  dryRun: DryRun;
  namespace: string;
}

async function createHpa(client: import('../kube/client.js').KubeClient, info: Info, ctx: HpaContext): Promise<void> {
  const ns = encodeURIComponent(ctx.namespace);
  const base = { client, operation: ctx.dryRun === 'client' ? 'created' : 'autoscaled', fieldManager: ctx.flags.fieldManager ?? 'kubectl-autoscale', dryRun: ctx.dryRun, output: ctx.flags.output };
  try {
    await createAndPrint({ ...base, path: `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, obj: hpaV2(info, ctx.flags, ctx.n) });
  } catch (err) {
    // canCreateHPAV1: the fallback needs a utilization target in --cpu and no --memory.
    let fallback: boolean;
    try {
      const t = parseResourceInput(ctx.flags.cpu ?? '', 'cpu');
      fallback = (ctx.n.cpuPercent >= 0 && !ctx.flags.memory) || (!ctx.flags.memory && t.kind === 'Utilization');
    } catch (why) {
      throw new Error(`failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: ${(why as Error).message}`);
    }
    if (!fallback) throw new Error('failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: %!w(<nil>)', { cause: err });
    await createAndPrint({ ...base, path: `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers`, obj: hpaV1(info, ctx.flags, ctx.n) });
  }
}
