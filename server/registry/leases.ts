// The kubelet's Lease renewal, the most frequent write of a running cluster: every node renews
// every 10 s of cluster time, so 100 nodes at --speed 100 renew a thousand times a second.
import type { KubeObject } from '../../schemas/types/meta.js';
import { soleManagerUpdate } from '../patch/managed-fields.js';

/** What upstream's lease controller sets on each renewal (newLease): holder, duration, renewTime. */
export interface LeaseRenewal {
  holderIdentity: string;
  leaseDurationSeconds: number;
  renewTime: string;
}

const RENEW_TIME: ReadonlyArray<readonly string[]> = [['spec', 'renewTime']];

/** The renewal as a mutation of the stored Lease: its fields over the spec, the rest kept. */
export function renewLeaseSpec(lease: KubeObject, renewal: LeaseRenewal): KubeObject {
  lease.spec = { ...(lease.spec as object), holderIdentity: renewal.holderIdentity, leaseDurationSeconds: renewal.leaseDurationSeconds, renewTime: renewal.renewTime };
  return lease;
}

/**
 * The renewed Lease exactly as the general update of renewLeaseSpec would store it, built from the
 * stored one: when the renewal changes renewTime alone (same holder and duration), the writer is
 * the Lease's only manager and owns renewTime, and the Lease is not being deleted, that update
 * defaults, validates and compares only to find the new renewTime and the writer's managedFields
 * time moved on (soleManagerUpdate). Undefined for any other Lease: a user's edit, a new holder.
 */
export function renewedLease(old: Readonly<KubeObject>, renewal: LeaseRenewal, managed: { manager: string; apiVersion: string; time: string }): KubeObject | undefined {
  const spec = old.spec as Readonly<Record<string, unknown>> | undefined;
  if (!spec || old.metadata.deletionTimestamp !== undefined) return undefined;
  if (spec.holderIdentity !== renewal.holderIdentity || spec.leaseDurationSeconds !== renewal.leaseDurationSeconds) return undefined;
  if (typeof spec.renewTime !== 'string' || spec.renewTime === renewal.renewTime) return undefined;
  const managedFields = soleManagerUpdate(old.metadata.managedFields, managed, RENEW_TIME);
  if (!managedFields) return undefined;
  return { ...old, metadata: { ...old.metadata, managedFields }, spec: { ...spec, renewTime: renewal.renewTime } };
}
