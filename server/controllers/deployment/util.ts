// Port of kubernetes pkg/controller/deployment/util/deployment_util.go (naming, annotations, revisions,
// fenceposts, finding the new and old ReplicaSets) and pkg/controller/controller_utils.go (ComputeHash).
// Pure functions only: nothing here reads a clock or talks to the API.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** Label added to RSs, their selectors and their pods; its value is {@link computeHash}. */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';
/** RS (and Deployment) annotation holding the rollout sequence number as a decimal string. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** RS annotation listing, comma-separated, the older revisions this RS has served. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** RS annotation holding the deployment's `spec.replicas` when the RS was last sized. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** RS annotation holding `spec.replicas + maxSurge` of the deployment when the RS was last sized. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** Cap on the length of the revision-history annotation (the controller's maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_LENGTH_CHARS = 2000;

const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);
const MAX_INT32 = 2 ** 31 - 1;
const FNV32_OFFSET_BASIS = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
// rand.SafeEncodeString's alphabet: no vowels, no 0/1/3, so generated names never spell words.
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** An IntOrString field as it appears in JSON: an absolute count or a `"<n>%"` string. */
export type IntOrString = number | string;

/** `spec.replicas` with the API default (1) applied when the field is absent. */
export function specReplicas(obj: Deployment | ReplicaSet): number {
  return obj.spec?.replicas ?? 1;
}

/** isRollingUpdate reports whether the deployment uses the RollingUpdate strategy. */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/**
 * getScaledValueFromIntOrPercent resolves an IntOrString against `total`: numbers are used as is,
 * `"<n>%"` becomes n% of total, rounded up or down as asked. Throws on any other string.
 */
export function getScaledValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: "${value}"`);
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value "${value}"`);
  // Same operation order as upstream (p * total / 100 in float64) so rounding edges agree.
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * resolveFenceposts turns maxSurge/maxUnavailable into absolute counts for `desired` replicas. Surge
 * percentages round up and unavailable percentages round down, so a rollout may always make progress
 * by surging. Both resolving to 0 would deadlock the rollout, so unavailable becomes 1 then.
 *
 * @example
 * // 10 replicas with 39%/39%: surge = ceil(3.9) = 4, unavailable = floor(3.9) = 3.
 * // 3 replicas with the 25%/25% defaults: surge = ceil(0.75) = 1, unavailable = floor(0.75) = 0.
 * // 0 replicas with 0%/0%: both are 0, so unavailable is bumped to 1.
 * resolveFenceposts('39%', '39%', 10); // { surge: 4, unavailable: 3 }
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/**
 * maxSurge is how many pods above `spec.replicas` a rolling deployment may run; 0 for Recreate.
 * Invalid IntOrStrings are rejected by validation, so they are not expected here and throw.
 */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d)).surge;
}

/**
 * maxUnavailable is how many of `spec.replicas` a rolling deployment may miss; 0 for Recreate or
 * when scaled to 0, and never more than `spec.replicas` (10 replicas with maxUnavailable 100% → 10,
 * 5 replicas with maxUnavailable 10 → 5).
 */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || specReplicas(d) === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d));
  return Math.min(unavailable, specReplicas(d));
}

/** minAvailable is `spec.replicas − maxUnavailable` for rolling deployments, 0 for Recreate. */
export function minAvailable(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return specReplicas(d) - maxUnavailable(d);
}

/**
 * computeHash names a pod template: FNV-1a 32-bit over the canonical JSON of the template (without
 * the pod-template-hash label), then the collision count, printed in decimal and passed through
 * SafeEncodeString. Callers must pass the *defaulted* template so equal templates hash equally.
 *
 * @example
 * computeHash(d.spec.template, d.status?.collisionCount); // e.g. '7c5ddbdf54'
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalTemplate(template)), FNV32_OFFSET_BASIS);
  if (collisionCount !== undefined && collisionCount !== null) {
    // Upstream feeds 8 bytes: the count as uint32 little-endian, then four zero bytes.
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return safeEncodeString(String(hash));
}

/** safeEncodeString maps every character onto a vowel-free alphabet (digits 0-9 → 4 5 6 7 8 9 b c d f). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

function fnv1a32(bytes: Uint8Array, seed: number): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV32_PRIME) >>> 0;
  return h >>> 0;
}

/**
 * equalIgnoreHash reports whether two pod templates are semantically equal when the value of their
 * pod-template-hash labels is ignored. As with Go's semantic equality, absent, null, empty lists and
 * empty maps compare equal.
 */
export function equalIgnoreHash(template1: PodTemplateSpec, template2: PodTemplateSpec): boolean {
  return canonicalTemplate(template1) === canonicalTemplate(template2);
}

/** Canonical JSON of frozen (stored) templates: every sync compares the deployment with each of its RSs. */
const canonicalTemplates = new WeakMap<PodTemplateSpec, string>();

/** The canonical JSON of a template without its pod-template-hash label: what equality and the hash read. */
function canonicalTemplate(template: PodTemplateSpec): string {
  const frozen = Object.isFrozen(template);
  let text = frozen ? canonicalTemplates.get(template) : undefined;
  if (text === undefined) {
    text = canonicalJSON(stripHashLabel(template));
    if (frozen) canonicalTemplates.set(template, text);
  }
  return text;
}

function stripHashLabel(template: PodTemplateSpec): PodTemplateSpec {
  const labels = template.metadata?.labels;
  if (!labels || !(DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY in labels)) return template;
  const { [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/** JSON with sorted keys; null, empty arrays and empty objects are dropped so "unset" has one spelling. */
function canonicalJSON(value: unknown): string {
  return JSON.stringify(prune(value)) ?? '';
}

function prune(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => prune(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = prune((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Sort order of controller.ReplicaSetsByCreationTimestamp: oldest first, name breaks ties. */
export function compareByCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * findNewReplicaSet returns the oldest RS whose template equals the deployment's template (ignoring
 * the hash label), or undefined when the new RS does not exist yet.
 */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  const template = canonicalTemplate(d.spec?.template ?? {});
  return [...rsList].sort(compareByCreationTimestamp).find((rs) => canonicalTemplate(rs.spec?.template ?? {}) === template);
}

/**
 * findOldReplicaSets splits the RSs that are not the new RS: `allOldRSs` holds them all (oldest first),
 * `oldRSs` only those with `spec.replicas > 0`.
 */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { oldRSs: ReplicaSet[]; allOldRSs: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allOldRSs = [...rsList].sort(compareByCreationTimestamp).filter((rs) => !isSameReplicaSet(rs, newRS));
  return { oldRSs: allOldRSs.filter((rs) => specReplicas(rs) !== 0), allOldRSs };
}

function isSameReplicaSet(rs: ReplicaSet, other: ReplicaSet | undefined): boolean {
  if (!other) return false;
  if (rs === other) return true;
  return rs.metadata?.uid !== undefined && rs.metadata.uid === other.metadata?.uid;
}

/**
 * revision parses the object's revision annotation: 0 when absent, NaN when not an integer (callers
 * such as {@link maxRevision} skip those).
 */
export function revision(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  return v === undefined ? 0 : parseRevision(v);
}

/** maxRevision is the highest parseable revision over the RSs, 0 if there is none. */
export function maxRevision(allRSs: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of allRSs) {
    const v = revision(rs);
    if (v > max) max = v;
  }
  return max;
}

/**
 * getNonNegativeInt32FromAnnotation reads an annotation as an int32 ≥ 0; undefined when the
 * annotation is absent, not a plain decimal, or out of range.
 */
export function getNonNegativeInt32FromAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^\+?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n <= MAX_INT32 ? n : undefined;
}

/** getDesiredReplicasAnnotation reads the desired-replicas annotation (undefined if missing or bad). */
export function getDesiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return getNonNegativeInt32FromAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

/** getMaxReplicasAnnotation reads the max-replicas annotation (undefined if missing or bad). */
export function getMaxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return getNonNegativeInt32FromAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

/** setReplicasAnnotations writes desired-replicas and max-replicas; returns whether anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const annotations = ensureAnnotations(rs);
  let updated = false;
  for (const [key, value] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desiredReplicas)],
    [MAX_REPLICAS_ANNOTATION, String(maxReplicas)],
  ] as const) {
    if (annotations[key] !== value) {
      annotations[key] = value;
      updated = true;
    }
  }
  return updated;
}

/** replicasAnnotationsNeedUpdate reports whether {@link setReplicasAnnotations} would change anything. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const annotations = rs.metadata?.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desiredReplicas) || annotations[MAX_REPLICAS_ANNOTATION] !== String(maxReplicas);
}

/** skipCopyAnnotation reports whether a deployment annotation stays off its ReplicaSets. */
export function skipCopyAnnotation(key: string): boolean {
  return ANNOTATIONS_TO_SKIP.has(key);
}

/**
 * copyDeploymentAnnotationsToReplicaSet copies every deployment annotation except the skip-list
 * (last-applied, revision, revision-history, desired/max-replicas, rollback-to) onto the RS; returns
 * whether the RS changed. Annotations the RS has but the deployment lacks are kept.
 */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const annotations = ensureAnnotations(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (skipCopyAnnotation(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** setDeploymentRevision sets the deployment's revision annotation; returns whether it changed. */
export function setDeploymentRevision(d: Deployment, rev: string): boolean {
  const annotations = ensureAnnotations(d);
  if (annotations[REVISION_ANNOTATION] === rev) return false;
  annotations[REVISION_ANNOTATION] = rev;
  return true;
}

/** Options of {@link setNewReplicaSetAnnotations}. */
export interface NewReplicaSetAnnotationOptions {
  /** maxRevision(oldRSs) + 1, as a decimal string. */
  newRevision: string;
  /** Whether the RS already exists; only a fresh RS gets desired-replicas and max-replicas here. */
  exists: boolean;
  /** Cap on revision-history; defaults to {@link MAX_REV_HISTORY_LENGTH_CHARS}. */
  revHistoryLimitInChars?: number;
}

/**
 * setNewReplicaSetAnnotations copies the deployment's annotations onto the new RS and raises its
 * revision to `newRevision` when lower, appending the replaced revision to revision-history (oldest
 * entries dropped to stay within the limit). Returns whether the RS changed.
 *
 * @example
 * // An RS at revision 2 with history "1" re-used as revision 5 ends at revision 5, history "1,2".
 */
export function setNewReplicaSetAnnotations(d: Deployment, newRS: ReplicaSet, opts: NewReplicaSetAnnotationOptions): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, newRS);
  const annotations = ensureAnnotations(newRS);
  const oldRevision = annotations[REVISION_ANNOTATION];
  const oldRevisionInt = oldRevision === undefined || oldRevision === '' ? 0 : parseRevision(oldRevision);
  const newRevisionInt = parseRevision(opts.newRevision);
  // An unparseable revision on either side means we cannot order them: leave the RS alone.
  if (Number.isNaN(oldRevisionInt) || Number.isNaN(newRevisionInt)) return changed;
  if (oldRevisionInt < newRevisionInt) {
    annotations[REVISION_ANNOTATION] = opts.newRevision;
    changed = true;
    if (oldRevision !== undefined) appendRevisionHistory(annotations, oldRevision, opts.revHistoryLimitInChars ?? MAX_REV_HISTORY_LENGTH_CHARS);
  }
  if (!opts.exists && setReplicasAnnotations(newRS, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

function appendRevisionHistory(annotations: Record<string, string>, oldRevision: string, limit: number): void {
  const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    return;
  }
  const entries = history.split(',');
  // Drop from the front (oldest) until "<history>,<oldRevision>" fits in the limit.
  let total = history.length + 1 + oldRevision.length;
  let start = 0;
  while (total > limit && start < entries.length) {
    total -= (entries[start] ?? '').length + 1;
    start++;
  }
  // Even an empty history cannot hold this revision: keep the annotation as it was.
  if (total > limit) return;
  annotations[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldRevision].join(',');
}

function parseRevision(v: string): number {
  return /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
}

function ensureAnnotations(obj: Deployment | ReplicaSet): Record<string, string> {
  obj.metadata ??= {};
  obj.metadata.annotations ??= {};
  return obj.metadata.annotations;
}
