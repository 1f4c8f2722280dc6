/**
 * `kubectl drain` (kubectl pkg/cmd/drain/drain.go RunDrain): cordon the selected nodes, then per
 * node filter its pods, print the warnings, evict or delete, and report the nodes left pending.
 */
import { PreformattedError, UsageError } from '../commands/kube-flags.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { parseGoDuration } from '../rollout/watch.js';
import { deleteOrEvictPods, type EvictOptions } from './evict.js';
import { podsForDeletion, type FilterOptions } from './filters.js';

/** The flags of `kd drain`, as commander hands them over. */
export interface DrainFlags extends KubeFlags {
  force?: boolean;
  ignoreDaemonsets?: boolean;
  deleteEmptydirData?: boolean;
  gracePeriod: string;
  timeout: string;
  podSelector?: string;
  selector?: string;
  disableEviction?: boolean;
  dryRun?: string | boolean;
  skipWaitForDeleteTimeout: string;
  chunkSize: string;
}

type DryRun = 'none' | 'client' | 'server';
const SUFFIX: Record<DryRun, string> = { none: '', client: ' (dry run)', server: ' (server dry run)' };

function intFlag(value: string, flag: string): number {
  if (!/^[+-]?\d+$/.test(value)) {
    throw new PreformattedError([new Error(`error: invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax\nSee 'kubectl drain --help' for usage.`)]);
  }
  return Number(value);
}

function dryRunOf(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new Error(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** The nodes named or selected, in order; kubectl's errors for a bad selection. */
async function selectNodes(client: KubeClient, args: string[], selector: string | undefined): Promise<any[]> {
  if (args.length > 0 && selector) throw new UsageError('cannot specify both a node name and a --selector option', 'kubectl drain');
  if (args.length === 0) {
    const list = await client.getJson(`/api/v1/nodes?labelSelector=${encodeURIComponent(selector ?? '')}`);
    return list.items ?? [];
  }
  return [await client.getJson(`/api/v1/nodes/${encodeURIComponent(args[0]!)}`)];
}

/** RunCordonOrUncordon(true): cordons each node unless it already is. */
async function cordon(client: KubeClient, nodes: any[], dryRun: DryRun): Promise<void> {
  for (const node of nodes) {
    const name = node.metadata.name;
    if (node.spec?.unschedulable) {
      process.stdout.write(`node/${name} already cordoned\n`);
      continue;
    }
    if (dryRun !== 'client') {
      try {
        const q = dryRun === 'server' ? '?dryRun=All' : '';
        await client.request('PATCH', `/api/v1/nodes/${encodeURIComponent(name)}${q}`, { body: { spec: { unschedulable: true } }, contentType: 'application/strategic-merge-patch+json' });
      } catch (err) {
        process.stderr.write(`error: unable to cordon node "${name}": ${(err as Error).message}\n`);
        continue;
      }
    }
    process.stdout.write(`node/${name} cordoned${SUFFIX[dryRun]}\n`);
  }
}

/** The aggregate's Error(): the single message, or `[m1, m2]`. */
function aggregateText(errors: Error[]): string {
  return errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`;
}

/** deleteOrEvictPodsSimple for one node; resolves with its errors (none when drained). */
async function drainNode(client: KubeClient, node: string, f: FilterOptions, e: EvictOptions, dryRun: DryRun): Promise<Error[]> {
  const list = await podsForDeletion(client, node, f);
  if (list.errors.length > 0) return list.errors;
  if (list.warnings) process.stderr.write(`Warning: ${list.warnings}\n`);
  if (dryRun === 'client') {
    for (const pod of list.pods) process.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
    return [];
  }
  const errors = await deleteOrEvictPods(client, list.pods, e);
  if (errors.length === 0) return [];
  const pending = await podsForDeletion(client, node, f);
  if (pending.pods.length > 0) {
    process.stderr.write(`There are pending pods in node "${node}" when an error occurred: ${aggregateText(errors)}\n`);
    for (const pod of pending.pods) process.stderr.write(`pod/${pod.metadata.name}\n`);
  }
  return errors;
}

/** Runs `kd drain`. */
export async function runDrain(args: string[], flags: DrainFlags): Promise<void> {
  const timeoutMs = parseGoDuration(flags.timeout, '--timeout', 'kubectl drain');
  const gracePeriodSeconds = intFlag(flags.gracePeriod, '--grace-period');
  const chunkSize = intFlag(flags.chunkSize, '--chunk-size');
  const dryRun = dryRunOf(flags.dryRun);
  if (args.length === 0 && !flags.selector) throw new UsageError('USAGE: drain NODE [flags]', 'kubectl drain');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const nodes = await selectNodes(conn.client, args, flags.selector);
    await cordon(conn.client, nodes, dryRun);
    const filters: FilterOptions = {
      force: !!flags.force,
      ignoreDaemonsets: !!flags.ignoreDaemonsets,
      deleteEmptydirData: !!flags.deleteEmptydirData,
      skipWaitForDeleteTimeoutSeconds: intFlag(flags.skipWaitForDeleteTimeout, '--skip-wait-for-delete-timeout'),
      podSelector: flags.podSelector,
      chunkSize,
    };
    const evict: EvictOptions = { gracePeriodSeconds, timeoutMs, disableEviction: !!flags.disableEviction, serverDryRun: dryRun === 'server', skipWaitForDeleteTimeoutSeconds: filters.skipWaitForDeleteTimeoutSeconds };
    const fatal: Error[] = [];
    const remaining: string[] = [];
    for (const node of nodes) {
      const name = node.metadata.name;
      const errors = await drainNode(conn.client, name, filters, evict, dryRun);
      if (errors.length === 0) {
        process.stdout.write(`node/${name} drained${SUFFIX[dryRun]}\n`);
        continue;
      }
      process.stderr.write(`error: unable to drain node "${name}" due to error: ${aggregateText(errors)}, continuing command...\n`);
      remaining.push(name);
      fatal.push(...errors);
    }
    if (remaining.length > 0) {
      process.stderr.write(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`);
      // CheckErr prints a nested aggregate flattened: one message per line, no `error: ` prefix.
      throw new PreformattedError(fatal);
    }
  } finally {
    await conn.client.close();
  }
}
