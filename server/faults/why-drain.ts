/**
 * `kd why drain NODE`: what `kubectl drain NODE` would do to each pod on the node, with kubectl's
 * own wording. The pod filters follow kubectl pkg/drain/filters.go (daemonSet, mirror,
 * localStorage, unreplicated, in that order; the first refusal decides); the PodDisruptionBudget
 * side follows the eviction subresource (pkg/registry/core/pod/storage/eviction.go) over the
 * status the disruption controller keeps (currentHealthy, desiredHealthy, disruptionsAllowed).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { WhyDeps } from '../api/routes/admin-why.js';
import { PDB_VIOLATION_MESSAGE } from '../registry/eviction.js';
import { selectorFromLabelSelector } from '../registry/selectors.js';

/** kubectl's filter messages (pkg/drain/filters.go). In v1.35.2 the unmanaged one repeats "cannot delete". */
export const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
export const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
export const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';

/** One pod's fate under `kubectl drain` with no flags, and the flags that would change it. */
export interface PodDrainVerdict {
  namespace: string;
  name: string;
  /** evict: drain evicts it; skip: drain leaves it; refuse: drain stops before evicting anything; blocked: a PDB makes the eviction wait. */
  action: 'evict' | 'skip' | 'refuse' | 'blocked';
  /** The kubectl filter that refused or skipped it: daemonSet, mirror, localStorage, unreplicated. */
  filter?: string;
  /** kubectl's message for it (an error group or a warning). */
  message?: string;
  /** Flags that would get it past every refusing filter, in the order kubectl would ask for them. */
  flags: string[];
  pdb?: string;
}

/** A PodDisruptionBudget covering pods of the node, with its arithmetic. */
export interface PdbVerdict {
  namespace: string;
  name: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
  /** Its pods on this node (namespace/name). */
  podsOnNode: string[];
  explanation: string;
}

/** The JSON answer of `GET /kubedojo/why/nodes/{name}/drain`. */
export interface DrainExplanation {
  node: string;
  cordoned: boolean;
  pods: PodDrainVerdict[];
  pdbs: PdbVerdict[];
  /** The errors `kubectl drain NODE` (no flags) would stop with, one per group as kubectl prints them. */
  errors: string[];
  summary: string;
  hints: string[];
}

type PodLike = Pod & { metadata: NonNullable<Pod['metadata']> };

function isFinished(pod: PodLike): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** The filters that refuse or skip the pod, in kubectl's order, with the flag that lets it pass. */
function filterOutcomes(deps: WhyDeps, pod: PodLike): Array<{ filter: string; message: string; flag?: string; skip?: boolean }> {
  const out: Array<{ filter: string; message: string; flag?: string; skip?: boolean }> = [];
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (controller?.kind === 'DaemonSet' && !isFinished(pod)) {
    const exists = deps.client.get('daemonsets.apps', { namespace: pod.metadata.namespace ?? '', name: controller.name });
    out.push(exists ? { filter: 'daemonSet', message: DAEMONSET_FATAL, flag: '--ignore-daemonsets' } : { filter: 'daemonSet', message: `daemonsets.apps "${controller.name}" not found`, flag: '--force' });
    return out;
  }
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return [{ filter: 'mirror', message: 'mirror pod of a static pod: drain never deletes it', skip: true }];
  if (!isFinished(pod) && (pod.spec?.volumes ?? []).some((v) => v.emptyDir)) out.push({ filter: 'localStorage', message: LOCAL_STORAGE_FATAL, flag: '--delete-emptydir-data' });
  if (!controller && !isFinished(pod)) out.push({ filter: 'unreplicated', message: UNMANAGED_FATAL, flag: '--force' });
  return out;
}

function pdbsOf(deps: WhyDeps, pod: PodLike): PodDisruptionBudget[] {
  return (deps.client.list('poddisruptionbudgets.policy', { namespace: pod.metadata.namespace ?? '' }) as unknown as PodDisruptionBudget[]).filter((pdb) => {
    const sel = pdb.spec?.selector;
    if (!sel) return false;
    try {
      return selectorFromLabelSelector(sel as Parameters<typeof selectorFromLabelSelector>[0]).matches(pod as unknown as KubeObject);
    } catch {
      return false;
    }
  });
}

/** Whether the eviction API lets the pod go at once (EvictionREST.Create's checks, without writing). */
function evictionBlocker(pod: PodLike, pdbs: PodDisruptionBudget[]): string | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp) return undefined;
  if (pdbs.length > 1) return 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
  const pdb = pdbs[0];
  if (!pdb) return undefined;
  const s = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  const ready = (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || (s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0))) return undefined;
  if ((s.disruptionsAllowed ?? 0) > 0) return undefined;
  return `${PDB_VIOLATION_MESSAGE} The disruption budget ${pdb.metadata?.name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently`;
}

function podVerdict(deps: WhyDeps, pod: PodLike): PodDrainVerdict {
  const base = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
  const outcomes = filterOutcomes(deps, pod);
  const flags = outcomes.flatMap((o) => (o.flag ? [o.flag] : []));
  const first = outcomes[0];
  if (first?.skip) return { ...base, action: 'skip', filter: first.filter, message: first.message, flags };
  if (first) return { ...base, action: 'refuse', filter: first.filter, message: `cannot delete ${first.message}`, flags };
  const pdbs = pdbsOf(deps, pod);
  const blocker = evictionBlocker(pod, pdbs);
  const pdb = pdbs.length === 1 ? { pdb: pdbs[0]!.metadata?.name ?? '' } : {};
  if (blocker) return { ...base, action: 'blocked', message: blocker, flags, ...pdb };
  return { ...base, action: 'evict', flags, ...pdb };
}

function pdbVerdict(pdb: PodDisruptionBudget, podsOnNode: string[]): PdbVerdict {
  const s = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  const rule = pdb.spec?.minAvailable !== undefined ? `minAvailable ${pdb.spec.minAvailable}` : `maxUnavailable ${pdb.spec?.maxUnavailable}`;
  const math = `${rule} of ${s.expectedPods} expected pods → ${s.desiredHealthy} must stay healthy; ${s.currentHealthy} are healthy now, so ${s.disruptionsAllowed} disruption${s.disruptionsAllowed === 1 ? ' is' : 's are'} allowed`;
  const waiting = Math.max(0, podsOnNode.length - s.disruptionsAllowed);
  const tail = waiting === 0 ? '' : `; ${waiting} of its ${podsOnNode.length} pods on the node must wait for replacements to become Ready elsewhere (drain retries every 5s)`;
  return {
    namespace: pdb.metadata?.namespace ?? '', name: pdb.metadata?.name ?? '',
    ...(pdb.spec?.minAvailable !== undefined ? { minAvailable: pdb.spec.minAvailable } : {}),
    ...(pdb.spec?.maxUnavailable !== undefined ? { maxUnavailable: pdb.spec.maxUnavailable } : {}),
    expectedPods: s.expectedPods, currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy, disruptionsAllowed: s.disruptionsAllowed,
    podsOnNode, explanation: `${math}${tail}`,
  };
}

/** kubectl's grouped error lines: `cannot delete <message>: ns/pod, ns/pod`. */
function errorGroups(pods: PodDrainVerdict[]): string[] {
  const groups = new Map<string, string[]>();
  for (const p of pods) if (p.action === 'refuse') groups.set(p.message!, [...(groups.get(p.message!) ?? []), `${p.namespace}/${p.name}`]);
  return [...groups].map(([m, names]) => `${m}: ${names.join(', ')}`);
}

/** Explains what `kubectl drain` would do on one node (the JSON of `kd why drain`). */
export function explainDrain(deps: WhyDeps, node: Readonly<KubeObject>): DrainExplanation {
  const name = node.metadata.name ?? '';
  const onNode = (deps.client.list('pods') as unknown as PodLike[]).filter((p) => p.spec?.nodeName === name);
  const pods = onNode.map((p) => podVerdict(deps, p));
  const pdbNames = new Map<string, PodDisruptionBudget>();
  for (const p of onNode) for (const pdb of pdbsOf(deps, p)) pdbNames.set(`${pdb.metadata?.namespace}/${pdb.metadata?.name}`, pdb);
  const pdbs = [...pdbNames.values()].map((pdb) => pdbVerdict(pdb, onNode.filter((p) => pdbsOf(deps, p).some((x) => x.metadata?.uid === pdb.metadata?.uid)).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)));
  const errors = errorGroups(pods);
  const flags = [...new Set(pods.filter((p) => p.action === 'refuse').flatMap((p) => p.flags))];
  const blocked = pods.filter((p) => p.action === 'blocked');
  const evict = pods.filter((p) => p.action === 'evict').length;
  const summary = errors.length > 0
    ? `kubectl drain ${name} would cordon the node and stop before evicting anything: ${errors.length} group${errors.length === 1 ? '' : 's'} of pods it cannot delete`
    : `kubectl drain ${name} would evict ${evict + blocked.length} pod${evict + blocked.length === 1 ? '' : 's'}${blocked.length > 0 ? `, ${blocked.length} of them held back by a PodDisruptionBudget until it allows a disruption` : ''}`;
  const hints = [
    ...(flags.length > 0 ? [`run \`kubectl drain ${name} ${flags.join(' ')}\` to get past the refusals (read what each flag deletes first)`] : []),
    ...(blocked.length > 0 ? ['a blocked eviction waits until the budget allows a disruption: scale the workload up, relax the PDB, or wait for replacements to become Ready'] : []),
  ];
  return { node: name, cordoned: (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true, pods, pdbs, errors, summary, hints };
}
