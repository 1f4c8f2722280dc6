/**
 * Indexed completion mode: completion indexes on pods and the `1,3-5` interval strings of
 * status.completedIndexes. Port of kubernetes pkg/controller/job/indexed_job_utils.go
 * (orderedIntervals, calculateSucceededIndexes, firstPendingIndexes, podGenerateNameWithIndex).
 */
import { hasJobTrackingFinalizer } from './pods.js';
import type { Job, Pod } from './types.js';

/** Annotation (and label) carrying a pod's completion index. */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** The environment variable indexed pods read their index from. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** A pod without a usable index. */
export const UNKNOWN_COMPLETION_INDEX = -1;
/** Longest generateName prefix the apiserver keeps (63 − 5 random characters). */
const MAX_GENERATED_NAME_LENGTH = 58;

/** Sorted, disjoint, non-adjacent closed intervals of indexes. */
export type Intervals = Array<[number, number]>;

/** Whether the job uses Indexed completion mode. */
export function isIndexedJob(job: Job): boolean {
  return job.spec.completionMode === 'Indexed';
}

/** The pod's completion index from its annotation, or UNKNOWN_COMPLETION_INDEX. */
export function getCompletionIndex(p: Pod): number {
  const v = p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return UNKNOWN_COMPLETION_INDEX;
  return Number(v);
}

/** Parses `1,3-5` keeping indexes below `completions` (parseIndexesFromString). */
export function parseIntervals(s: string | undefined, completions: number): Intervals {
  const out: Intervals = [];
  for (const part of (s ?? '').split(',').filter((x) => x !== '')) {
    const [a, b = a] = part.split('-').map(Number) as [number, number?];
    if (!Number.isInteger(a) || !Number.isInteger(b) || a >= completions) continue;
    out.push([a, Math.min(b!, completions - 1)]);
  }
  return out;
}

/** The intervals with more (sorted) indexes merged in (withOrderedIndexes). */
export function withIndexes(iv: Intervals, indexes: number[]): Intervals {
  const all = new Set<number>();
  for (const [a, b] of iv) for (let i = a; i <= b; i++) all.add(i);
  for (const i of indexes) all.add(i);
  const out: Intervals = [];
  for (const i of [...all].sort((x, y) => x - y)) {
    const last = out.at(-1);
    if (last && last[1] + 1 === i) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** How many indexes the intervals hold. */
export function totalIndexes(iv: Intervals): number {
  return iv.reduce((n, [a, b]) => n + b - a + 1, 0);
}

/** Whether an index is in the intervals. */
export function hasIndex(iv: Intervals, ix: number): boolean {
  return iv.some(([a, b]) => ix >= a && ix <= b);
}

/** The `1,3-5` form of status.completedIndexes. */
export function intervalsString(iv: Intervals): string {
  return iv.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

/**
 * calculateSucceededIndexes: the indexes in status plus those of succeeded pods not counted yet
 * (still holding the tracking finalizer); returns both.
 */
export function calculateSucceededIndexes(job: Job, pods: Pod[]): { prev: Intervals; all: Intervals } {
  const completions = job.spec.completions ?? 0;
  const prev = parseIntervals(job.status?.completedIndexes, completions);
  const fresh = pods
    .filter((p) => p.status?.phase === 'Succeeded' && hasJobTrackingFinalizer(p))
    .map(getCompletionIndex)
    .filter((ix) => ix !== UNKNOWN_COMPLETION_INDEX && ix < completions);
  return { prev, all: withIndexes(prev, fresh) };
}

/** The lowest `count` indexes that are neither succeeded nor held by an active pod. */
export function firstPendingIndexes(succeeded: Intervals, activePods: Pod[], count: number, completions: number): number[] {
  const held = new Set(activePods.map(getCompletionIndex));
  const out: number[] = [];
  for (let ix = 0; ix < completions && out.length < count; ix++) if (!held.has(ix) && !hasIndex(succeeded, ix)) out.push(ix);
  return out;
}

/** `<job>-<index>-`, cutting the job name so the prefix stays within 58 characters. */
export function podGenerateNameWithIndex(jobName: string, ix: number): string {
  const suffix = `-${ix}-`;
  return `${jobName.slice(0, Math.max(0, MAX_GENERATED_NAME_LENGTH - suffix.length))}${suffix}`;
}

/**
 * Active pods to delete first in indexed jobs: pods with no valid index, and all but one of the
 * pods sharing an index (appendDuplicatedIndexPodsForRemoval).
 */
export function duplicatedIndexPods(activePods: Pod[], completions: number): Pod[] {
  const seen = new Set<number>();
  const out: Pod[] = [];
  for (const p of activePods) {
    const ix = getCompletionIndex(p);
    if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions || seen.has(ix)) out.push(p);
    else seen.add(ix);
  }
  return out;
}
