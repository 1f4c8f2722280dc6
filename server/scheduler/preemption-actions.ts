// The API side of preemption: PodDisruptionBudget accounting for victims and the eviction of the chosen
// victims. Port of kubernetes framework/preemption/preemption.go (prepareCandidate) and
// plugins/defaultpreemption/default_preemption.go (filterPodsWithPDBViolation).
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import { rfc3339, type Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import type { EventsRecorder } from '../controllers/events-v1.js';
import type { Informer } from '../informers/informer.js';
import type { LabelSelector } from './framework.js';
import { compileSelector } from './label-selector.js';
import type { Candidate, PdbChecker } from './preemption.js';
import { DEFAULT_SCHEDULER_NAME } from './registry.js';

interface PdbLike {
  namespace: string;
  selector: LabelSelector | null | undefined;
  disruptionsAllowed: number;
  disruptedPods: Record<string, unknown>;
}

/**
 * A PdbChecker over the PDB informer: each call starts a fresh budget count, and the returned
 * function says whether evicting one more pod (in order) exceeds a matching budget.
 */
export function newPdbChecker(pdbs: Informer): PdbChecker {
  return () => {
    const budgets: PdbLike[] = pdbs.list().map((o) => {
      const spec = o.spec as { selector?: LabelSelector } | undefined;
      const status = o.status as { disruptionsAllowed?: number; disruptedPods?: Record<string, unknown> } | undefined;
      return { namespace: o.metadata.namespace ?? '', selector: spec?.selector, disruptionsAllowed: status?.disruptionsAllowed ?? 0, disruptedPods: status?.disruptedPods ?? {} };
    });
    return (victim) => {
      const labels = victim.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) return false;
      let violated = false;
      for (const b of budgets) {
        if (b.namespace !== victim.metadata?.namespace) continue;
        const sel = compileSelector(b.selector);
        // A PDB with a nil or empty selector protects nothing.
        if (sel.empty || !sel.matches(labels)) continue;
        if (Object.hasOwn(b.disruptedPods, victim.metadata?.name ?? '')) continue;
        b.disruptionsAllowed--;
        if (b.disruptionsAllowed < 0) violated = true;
      }
      return violated;
    };
  };
}

/** What evicting victims needs. */
export interface PreemptionDeps {
  client: LocalClient;
  recorder: EventsRecorder;
  clock: Clock;
}

/**
 * Evicts the candidate's victims: DisruptionTarget condition, graceful delete and a Preempted event on
 * each, then the preemptor waits (nominated to the node) for them to go.
 */
export function prepareCandidate(deps: PreemptionDeps, preemptor: Pod, candidate: Candidate): void {
  const now = rfc3339(deps.clock.now());
  for (const victim of candidate.victims) {
    const key = { namespace: victim.metadata?.namespace ?? '', name: victim.metadata?.name ?? '' };
    try {
      deps.client.mutate('pods', key, (cur) => {
        const status = ((cur.status ??= {}) as { conditions?: PodCondition[] });
        const condition: PodCondition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'PreemptionByScheduler',
          message: `${DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
          lastTransitionTime: now,
          lastProbeTime: null as unknown as string,
        };
        status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition];
        return cur;
      }, { status: true });
      deps.client.delete('pods', key);
    } catch (e) {
      // A victim that is already gone frees its room anyway.
      if (!(e instanceof StatusError && e.code === 404)) throw e;
      continue;
    }
    deps.recorder.eventf(victim as unknown as KubeObject, preemptor as unknown as KubeObject, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${candidate.nodeName}`);
  }
}
