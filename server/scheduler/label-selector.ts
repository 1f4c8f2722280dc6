// Label selector matching over plain label maps, as the scheduler plugins need it.
// Port of apimachinery metav1.LabelSelectorAsSelector and labels.Requirement.Matches.
import type { LabelSelector } from './framework.js';

/** A compiled selector over a label map. */
export interface LabelMatcher {
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True for `{}`: the selector selects everything. */
  readonly empty: boolean;
  /** A stable text form, used as a memoisation key. */
  readonly key: string;
  /** One `key=value` every matching label map has (the first such requirement), if any. */
  readonly equality?: readonly [key: string, value: string];
}

type Req = { key: string; op: string; values: string[] };

/** Matches nothing: what a nil selector means for topology spread and affinity terms. */
export const NOTHING: LabelMatcher = { matches: () => false, empty: false, key: '<nothing>' };

function reqMatches(r: Req, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key] ?? '';
  switch (r.op) {
    case 'In':
      return has && r.values.includes(v);
    case 'NotIn':
      return !has || !r.values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // An invalid operator makes LabelSelectorAsSelector fail; callers treat that as matching nothing.
      return false;
  }
}

/**
 * Compiles a metav1.LabelSelector: nil matches nothing, `{}` matches everything, otherwise every
 * matchLabels pair and every matchExpressions requirement must hold.
 * @example compileSelector({ matchLabels: { app: 'web' } }).matches({ app: 'web' }) // true
 */
export function compileSelector(sel: LabelSelector | null | undefined): LabelMatcher {
  if (!sel) return NOTHING;
  // Replicas of one workload share a selector: one matcher object per selector lets plugins memoise per matcher.
  const text = JSON.stringify(sel);
  const hit = compiled.get(text);
  if (hit) return hit;
  if (compiled.size >= MAX_COMPILED_SELECTORS) compiled.clear();
  const m = compile(sel);
  compiled.set(text, m);
  return m;
}

/** Bound of the compiled-selector cache (cleared when full). */
const MAX_COMPILED_SELECTORS = 1024;
const compiled = new Map<string, LabelMatcher>();

function compile(sel: LabelSelector): LabelMatcher {
  const reqs: Req[] = [];
  for (const [key, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: 'In', values: [v] });
  for (const e of sel.matchExpressions ?? []) reqs.push({ key: e.key, op: e.operator, values: [...(e.values ?? [])] });
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const key = reqs.map((r) => `${r.key} ${r.op} (${r.values.join(',')})`).join(';');
  if (reqs.length === 0) return { matches: () => true, empty: true, key };
  const eq = reqs.find((r) => r.op === 'In' && r.values.length === 1);
  return {
    empty: false,
    key,
    ...(eq ? { equality: [eq.key, eq.values[0]!] as const } : {}),
    matches: (labels) => {
      const l = labels ?? {};
      for (const r of reqs) if (!reqMatches(r, l)) return false;
      return true;
    },
  };
}

/**
 * Adds `key In (value)` / `key NotIn (value)` requirements for matchLabelKeys / mismatchLabelKeys,
 * taking the values from the pod's own labels; keys the pod lacks are ignored (as the apiserver does
 * when it merges them into the selector).
 */
export function withLabelKeys(
  sel: LabelSelector | null | undefined,
  podLabels: Readonly<Record<string, string>> | undefined,
  matchLabelKeys: readonly string[] | undefined,
  mismatchLabelKeys: readonly string[] = [],
): LabelSelector | null | undefined {
  if (!sel || (!matchLabelKeys?.length && !mismatchLabelKeys.length)) return sel;
  const labels = podLabels ?? {};
  const extra = [
    ...(matchLabelKeys ?? []).filter((k) => Object.hasOwn(labels, k)).map((k) => ({ key: k, operator: 'In', values: [labels[k]!] })),
    ...mismatchLabelKeys.filter((k) => Object.hasOwn(labels, k)).map((k) => ({ key: k, operator: 'NotIn', values: [labels[k]!] })),
  ];
  return { matchLabels: sel.matchLabels ?? null, matchExpressions: [...(sel.matchExpressions ?? []), ...extra] };
}
