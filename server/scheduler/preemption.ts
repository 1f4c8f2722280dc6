// DefaultPreemption's PostFilter: find nodes where evicting lower-priority pods makes room for the
// pod. Port of kubernetes pkg/scheduler/framework/preemption/preemption.go (Preempt, findCandidates,
// nodesWherePreemptionMightHelp, DryRunPreemption, pickOneNodeForPreemption) and
// plugins/defaultpreemption/default_preemption.go (PodEligibleToPreemptOthers, SelectVictimsOnNode).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ERR_REASON_NO_PREEMPTION_VICTIMS, ERR_REASON_PREEMPTION_NOT_HELPFUL, PREEMPTION_NOT_ELIGIBLE_NEVER, preemptionMessage } from './fit-error.js';
import { Code, newCycleState, newNodeInfo, newStatus, type NodeInfo, type Status } from './framework.js';
import type { Profile } from './registry.js';
import { runFilterPlugins, type Diagnosis } from './schedule-one.js';

/** A node where preemption makes the pod fit, with the pods to evict. */
export interface Candidate {
  nodeName: string;
  victims: Pod[];
  numPDBViolations: number;
}

/** What DefaultPreemption decided: a candidate to act on, or the PostFilter message. */
export type PreemptionOutcome = { candidate: Candidate } | { message: string };

/** Tells whether evicting a pod would violate a PodDisruptionBudget (given earlier evictions). */
export type PdbChecker = () => (victim: Pod) => boolean;

function priorityOf(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

function startTimeMs(pod: Pod): number {
  const t = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : Number.MAX_SAFE_INTEGER;
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
function moreImportant(a: Pod, b: Pod): number {
  const d = priorityOf(b) - priorityOf(a);
  return d !== 0 ? d : startTimeMs(a) - startTimeMs(b);
}

/** PostFilter text while victims of an earlier preemption are still terminating on the nominated node. */
export const PREEMPTION_NOT_ELIGIBLE_TERMINATING = 'preemption: not eligible due to a terminating pod on the nominated node.';

function terminatingByPreemption(p: Pod): boolean {
  return Boolean(p.metadata?.deletionTimestamp) && (p.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler');
}

/** Why the pod may not preempt at all (PodEligibleToPreemptOthers), or undefined when it may. */
function ineligibleMessage(pod: Pod, nodes: readonly NodeInfo[], diagnosis: Diagnosis): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return PREEMPTION_NOT_ELIGIBLE_NEVER;
  const nominated = pod.status?.nominatedNodeName;
  if (!nominated || diagnosis.nodeToStatus.get(nominated)?.code === Code.UnschedulableAndUnresolvable) return undefined;
  const nodeInfo = nodes.find((n) => n.node.metadata?.name === nominated);
  // Waiting for the victims of the last preemption beats choosing new ones.
  if (nodeInfo?.pods.some((p) => priorityOf(p) < priorityOf(pod) && terminatingByPreemption(p))) return PREEMPTION_NOT_ELIGIBLE_TERMINATING;
  return undefined;
}

/**
 * SelectVictimsOnNode: remove every lower-priority pod; if the pod then fits, add back as many as
 * possible, most important first (PDB-violating ones first so they are the likeliest to stay).
 */
function selectVictimsOnNode(profile: Profile, pod: Pod, nodeInfo: NodeInfo, allNodes: readonly NodeInfo[], pdb: PdbChecker): { victims: Pod[]; numPDBViolations: number } | Status {
  const potential = nodeInfo.pods.filter((p) => priorityOf(p) < priorityOf(pod));
  if (potential.length === 0) return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_NO_PREEMPTION_VICTIMS);
  const remaining = nodeInfo.pods.filter((p) => priorityOf(p) >= priorityOf(pod));
  const fitsWith = (pods: Pod[]): Status | null => {
    const reduced = newNodeInfo(nodeInfo.node, pods);
    const nodes = allNodes.map((n) => (n === nodeInfo ? reduced : n));
    // PreFilter state (spreading, affinity counts) must reflect the removed pods too.
    const state = newCycleState();
    const skip = new Set<string>();
    for (const pl of profile.preFilterPlugins) {
      const { status } = pl.preFilter(state, pod, nodes);
      if (status?.code === Code.Skip) skip.add(pl.name);
      else if (status && status.code !== Code.Success) return status;
    }
    return runFilterPlugins(profile, state, pod, reduced, skip);
  };
  const status = fitsWith(remaining);
  if (status) return status;
  potential.sort(moreImportant);
  const violates = pdb();
  const violating = potential.filter((p) => violates(p));
  const nonViolating = potential.filter((p) => !violating.includes(p));
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  for (const [list, isViolating] of [[violating, true], [nonViolating, false]] as const) {
    for (const p of list) {
      if (!fitsWith([...remaining, p])) remaining.push(p);
      else {
        victims.push(p);
        if (isViolating) numPDBViolations++;
      }
    }
  }
  return { victims, numPDBViolations };
}

/** pickOneNodeForPreemption's criteria, in order; the first candidate wins remaining ties. */
function pickOneNodeForPreemption(candidates: Candidate[]): Candidate {
  const highest = (c: Candidate) => Math.max(...c.victims.map(priorityOf));
  const sum = (c: Candidate) => c.victims.reduce((s, p) => s + priorityOf(p) + 2 ** 31, 0);
  const latestStart = (c: Candidate) => {
    const top = highest(c);
    return Math.max(...c.victims.filter((p) => priorityOf(p) === top).map(startTimeMs));
  };
  const criteria: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => (c.victims.length === 0 ? Number.MAX_SAFE_INTEGER : -highest(c)),
    (c) => -sum(c),
    (c) => -c.victims.length,
    (c) => latestStart(c),
  ];
  let pool = candidates;
  for (const score of criteria) {
    const best = Math.max(...pool.map(score));
    pool = pool.filter((c) => score(c) === best);
    if (pool.length === 1) break;
  }
  return pool[0]!;
}

/**
 * Runs DefaultPreemption for a pod that fits nowhere: the best candidate, or the `preemption: …`
 * message explaining per node why evicting pods cannot help.
 * @example preempt(profile, pod, cache.nodeInfos(), diagnosis, () => () => false)
 */
export function preempt(profile: Profile, pod: Pod, nodes: readonly NodeInfo[], diagnosis: Diagnosis, pdb: PdbChecker): PreemptionOutcome {
  const ineligible = ineligibleMessage(pod, nodes, diagnosis);
  if (ineligible) return { message: ineligible };
  const reasons = new Map<string, Status | readonly string[]>();
  const candidates: Candidate[] = [];
  for (const nodeInfo of nodes) {
    const name = nodeInfo.node.metadata?.name ?? '';
    const status = diagnosis.nodeToStatus.get(name);
    // Nodes rejected for reasons evictions cannot change are not worth a dry run.
    if (!status || status.code === Code.UnschedulableAndUnresolvable) {
      reasons.set(name, [ERR_REASON_PREEMPTION_NOT_HELPFUL]);
      continue;
    }
    const result = selectVictimsOnNode(profile, pod, nodeInfo, nodes, pdb);
    if ('code' in result) reasons.set(name, result);
    else candidates.push({ nodeName: name, ...result });
  }
  if (candidates.length > 0) return { candidate: pickOneNodeForPreemption(candidates) };
  const allNames = nodes.map((n) => n.node.metadata?.name ?? '');
  return { message: preemptionMessage(allNames, reasons) };
}
