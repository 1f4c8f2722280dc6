// The counts a ReplicaSet sync takes from its pods, kept current from pod events. Upstream walks
// every pod of the ReplicaSet on each sync; at 10,000 pods that walk, repeated for every batch of
// pods turning Ready, was a large share of the controller's time. A tally gives the same counts
// without the walk whenever the sync needs no pod list (see ReplicaSetController.tallyCounts).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { isPodActive, isPodReady, isPodTerminating } from '../controller-utils.js';
import { carriesLabels, type ReplicaCounts } from './status.js';

const ACTIVE = 1;
const MATCHES = 2;
const TERMINATING = 4;
const READY = 8;
const FULLY_LABELED = 16;

/**
 * What one ReplicaSet's sync counts, over the pods whose controller reference names it (the
 * informer's controller-uid bucket), as judged by one selector and one set of template labels.
 * Each pod's flags are kept by uid, so a pod version leaves exactly what it brought.
 */
export class PodTally {
  private readonly flags = new Map<string, number>();
  private active = 0;
  private fullyLabeled = 0;
  private ready = 0;
  private terminating = 0;
  /** Active pods the ReplicaSet owns that its selector does not match: a sync releases them. */
  private unmatched = 0;

  /**
   * @param selector the LabelSelector object the tally was built for (compared by identity)
   * @param template the template labels object the tally was built for (compared by identity)
   */
  constructor(
    readonly selector: object,
    readonly template: Readonly<Record<string, string>>,
    readonly matches: (pod: Readonly<KubeObject>) => boolean,
  ) {}

  add(pod: Readonly<KubeObject>): void {
    const uid = pod.metadata.uid ?? '';
    this.remove(uid);
    const p = pod as unknown as Pod;
    let f = 0;
    if (isPodActive(p)) f |= ACTIVE;
    if (this.matches(pod)) f |= MATCHES;
    if (isPodTerminating(p)) f |= TERMINATING;
    if (isPodReady(p)) f |= READY;
    if (carriesLabels(pod.metadata.labels ?? {}, this.template)) f |= FULLY_LABELED;
    this.flags.set(uid, f);
    this.count(f, 1);
  }

  remove(uid: string): void {
    const f = this.flags.get(uid);
    if (f === undefined) return;
    this.flags.delete(uid);
    this.count(f, -1);
  }

  /** The counts of calculateStatus with minReadySeconds 0 (available = ready); undefined while a sync must claim. */
  counts(countTerminating: boolean): ReplicaCounts | undefined {
    if (this.unmatched > 0) return undefined;
    const counts: ReplicaCounts = { replicas: this.active, fullyLabeled: this.fullyLabeled, ready: this.ready, available: this.ready };
    if (countTerminating) counts.terminating = this.terminating;
    return counts;
  }

  private count(f: number, by: number): void {
    const matched = (f & MATCHES) !== 0;
    if (f & TERMINATING && matched) this.terminating += by;
    if (!(f & ACTIVE)) return;
    if (!matched) {
      this.unmatched += by;
      return;
    }
    this.active += by;
    if (f & FULLY_LABELED) this.fullyLabeled += by;
    if (f & READY) this.ready += by;
  }
}
