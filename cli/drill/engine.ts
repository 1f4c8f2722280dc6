/**
 * The drill engine: puts the cluster into a drill's starting state (a baseline snapshot of a fresh
 * cluster, then the drill's setup steps, then a wait until the broken state is reached), and grades
 * the cluster against the drill's checks later, from whatever the user did with kubectl.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Drill, DrillCheck, SetupStep } from '../../schemas/drill.js';
import type { DrillCluster } from './cluster.js';
import { evaluateChecks, isPodReady, type CheckResult } from './evaluate.js';

/** The snapshot of a fresh cluster every drill starts from. */
export const BASELINE_SNAPSHOT = 'kd-baseline';
/** How often waits poll the cluster, in wall milliseconds. */
const POLL_MS = 200;
/** Default wall limit of a setup `waitFor` step. */
const WAIT_FOR_TIMEOUT_MS = 90_000;
/** Wall limit for a fresh cluster to have every node Ready and kube-system running. */
const FRESH_CLUSTER_TIMEOUT_MS = 60_000;

/** Progress lines of a long step, for the user to see what takes time. */
export type Progress = (line: string) => void;

/**
 * Puts the cluster back to the baseline: restores the `kd-baseline` snapshot (which holds no
 * faults), taking it from a fresh cluster the first time; a daemon without snapshots gets a plain
 * reset. Resolves with how it was done.
 */
export async function restoreBaseline(cluster: DrillCluster): Promise<'restored' | 'saved' | 'reset'> {
  // One request on the common path: the restore itself; a 404 means no baseline (or no snapshot API).
  if (await cluster.restoreSnapshot(BASELINE_SNAPSHOT)) return 'restored';
  const snapshots = await cluster.snapshots();
  await cluster.clearFaults();
  await cluster.reset();
  await waitForFreshCluster(cluster);
  if (snapshots === undefined) return 'reset';
  await cluster.saveSnapshot(BASELINE_SNAPSHOT);
  return 'saved';
}

/** Waits until every node is Ready and every kube-system pod runs: the state a baseline should hold. */
async function waitForFreshCluster(cluster: DrillCluster): Promise<void> {
  const deadline = Date.now() + FRESH_CLUSTER_TIMEOUT_MS;
  for (;;) {
    const [nodes, system] = await Promise.all([cluster.list('Node', {}), cluster.list('Pod', { namespace: 'kube-system' })]);
    const nodesReady = nodes.length > 0 && nodes.every((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'));
    if (nodesReady && system.every((p) => isPodReady(p) || p.status?.phase === 'Succeeded')) return;
    if (Date.now() > deadline) throw new Error('the fresh cluster did not become ready: its nodes or kube-system pods are not Ready');
    await sleep(POLL_MS);
  }
}

/** Runs a drill's setup steps in order. */
export async function runSetup(cluster: DrillCluster, drill: Drill, progress: Progress): Promise<void> {
  const { parseAllDocuments } = await import('yaml');
  for (const step of drill.setup) await runStep(cluster, step, { parseAllDocuments, progress });
}

async function runStep(cluster: DrillCluster, step: SetupStep, opts: { parseAllDocuments: typeof import('yaml').parseAllDocuments; progress: Progress }): Promise<void> {
  if (step.apply !== undefined) {
    for (const doc of opts.parseAllDocuments(step.apply)) {
      const obj = doc.toJS();
      if (obj) await cluster.apply(obj);
    }
  } else if (step.patch) await cluster.patch(step.patch.object, step.patch.patch);
  else if (step.delete) await cluster.delete(step.delete);
  else if (step.fault) await cluster.addFault(step.fault);
  else if (step.advanceSeconds !== undefined) await cluster.advance(step.advanceSeconds);
  else if (step.waitFor) await waitForChecks(cluster, step.waitFor, { timeoutMs: (step.timeoutSeconds ?? 0) * 1000 || WAIT_FOR_TIMEOUT_MS, progress: opts.progress });
}

/** Polls until every check passes; on timeout throws with the checks that still fail. */
export async function waitForChecks(cluster: DrillCluster, checks: DrillCheck[], opts: { timeoutMs: number; progress: Progress }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let announced = false;
  for (;;) {
    const results = await evaluateChecks(checks, cluster);
    const failing = results.filter((r) => !r.pass);
    if (failing.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`the drill's starting state was not reached within ${opts.timeoutMs / 1000}s:\n${failing.map((r) => `  ${r.name}: expected ${r.expected}; found ${r.found}`).join('\n')}`);
    }
    if (!announced) opts.progress(`Waiting for: ${failing[0]!.name}`);
    announced = true;
    await sleep(POLL_MS);
  }
}

/** The graded checks of a drill against the cluster as it is now. */
export function gradeDrill(cluster: DrillCluster, drill: Drill): Promise<CheckResult[]> {
  return evaluateChecks(drill.checks, cluster);
}

/** The report `kd drill check` prints, one line per check plus the details of failures. */
export function formatResults(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.pass ? 'PASS' : 'FAIL'}  ${r.name}`);
    if (!r.pass) lines.push(`      expected: ${r.expected}`, `      found:    ${r.found}`);
  }
  return `${lines.join('\n')}\n`;
}
