// Port of kubernetes pkg/controller/history/controller_history.go: ControllerRevision naming,
// hashing, equality, revision numbers and history truncation, shared by the DaemonSet and
// StatefulSet controllers. Pure functions plus a create helper that resolves name collisions.
import type { KubeObject, OwnerReference } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { LocalClient } from '../client/api-client.js';
import { cloneJSON } from '../registry/strategy.js';

/** The group-resource of ControllerRevisions. */
export const CONTROLLER_REVISIONS = 'controllerrevisions.apps';
/** Label NewControllerRevision puts on every revision: the hash of its data. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
/** Revision names are cut so `<prefix>-<hash>` stays a valid name (upstream's 223 + 1 + 31). */
const MAX_PREFIX_LENGTH_CHARS = 223;
const FNV32_OFFSET_BASIS = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
// rand.SafeEncodeString's alphabet: digits 0-9 map to 4 5 6 7 8 9 b c d f.
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A ControllerRevision as the controllers use it. */
export interface ControllerRevision extends KubeObject {
  data: unknown;
  revision: number;
}

/** `<prefix>-<hash>`, with the prefix cut to keep the name within the limit. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_PREFIX_LENGTH_CHARS)}-${hash}`;
}

/**
 * JSON with object keys sorted, as Go's json.Marshal prints the map upstream builds the patch from.
 * Empty values stay, so the stored data looks like the real one (`"resources":{}`).
 */
export function sortedJSON(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

/**
 * The revision data both workload controllers store: a strategic merge patch that replaces
 * spec.template (`{"spec":{"template":{...,"$patch":"replace"}}}`), keys sorted.
 */
export function templatePatch(template: unknown): unknown {
  return sortKeys({ spec: { template: { ...(template as object), $patch: 'replace' } } });
}

/** The pod template a revision's data restores (ApplyRevision for our one patch shape). */
export function templateFromRevision(rev: Readonly<ControllerRevision>): Record<string, unknown> {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const { $patch: _p, ...template } = data?.spec?.template ?? {};
  return cloneJSON(template);
}

/**
 * HashControllerRevision: FNV-1 (not 1a) 32-bit over the data bytes, then the collision count in
 * decimal, printed as a decimal number through SafeEncodeString.
 */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  let h = FNV32_OFFSET_BASIS;
  const feed = (s: string): void => {
    for (const b of new TextEncoder().encode(s)) h = (Math.imul(h, FNV32_PRIME) ^ b) >>> 0;
  };
  feed(sortedJSON(data));
  if (collisionCount !== undefined) feed(String(collisionCount));
  let out = '';
  for (const ch of String(h >>> 0)) out += SAFE_ALPHANUMS[ch.charCodeAt(0) % SAFE_ALPHANUMS.length];
  return out;
}

/** EqualRevision: same hash label (when both carry one) and byte-equal data. */
export function equalRevision(a: Readonly<ControllerRevision>, b: Readonly<ControllerRevision>): boolean {
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha && hb && ha !== hb) return false;
  return sortedJSON(a.data) === sortedJSON(b.data);
}

/** FindEqualRevisions: the revisions equal to `needle`, in the order given. */
export function findEqualRevisions(revisions: readonly Readonly<ControllerRevision>[], needle: Readonly<ControllerRevision>): Readonly<ControllerRevision>[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** SortControllerRevisions: by revision number, then creation time, then name. */
export function sortControllerRevisions<T extends Readonly<ControllerRevision>>(revisions: T[]): T[] {
  return revisions.sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
}

/** nextRevision: one more than the highest revision number (1 for an empty history). */
export function nextRevision(revisions: readonly Readonly<ControllerRevision>[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/** The controller owner reference a workload puts on its pods and revisions. */
export function controllerRef(owner: Readonly<KubeObject>): OwnerReference {
  return { apiVersion: owner.apiVersion ?? 'apps/v1', kind: owner.kind ?? '', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The ControllerRevisions a workload controls (by controller owner uid), sorted by revision. */
export function ownedRevisions(client: LocalClient, owner: Readonly<KubeObject>): ControllerRevision[] {
  const uid = owner.metadata.uid;
  const all = client.list(CONTROLLER_REVISIONS, { namespace: owner.metadata.namespace ?? '' }) as ControllerRevision[];
  return sortControllerRevisions(all.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === uid)));
}

/**
 * CreateControllerRevision: creates `rev` named `<owner>-<hash>`; when that name is taken by a
 * revision with other data, bumps the collision count and tries the next hash. Returns the stored
 * revision and the (possibly bumped) collision count.
 */
export function createControllerRevision(client: LocalClient, owner: Readonly<KubeObject>, rev: ControllerRevision, collisionCount: number): { revision: ControllerRevision; collisionCount: number } {
  for (let count = collisionCount; ; count++) {
    const hash = hashControllerRevision(rev.data, count);
    const candidate = cloneJSON(rev);
    candidate.metadata.name = controllerRevisionName(owner.metadata.name ?? '', hash);
    candidate.metadata.labels = { ...candidate.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash };
    try {
      return { revision: client.create(CONTROLLER_REVISIONS, candidate) as ControllerRevision, collisionCount: count };
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
      const existing = client.get(CONTROLLER_REVISIONS, { namespace: candidate.metadata.namespace ?? '', name: candidate.metadata.name }) as ControllerRevision | undefined;
      if (existing && sortedJSON(existing.data) === sortedJSON(candidate.data)) return { revision: existing, collisionCount: count };
    }
  }
}
