/**
 * `kubectl rollout pause|resume|restart` (kubectl pkg/polymorphichelpers objectpauser.go,
 * objectresumer.go, objectrestarter.go): each computes a strategic-merge patch client side and
 * sends it with fieldManager=kubectl-rollout; refusals are per-object errors the command collects.
 */
import type { KubeClient } from '../kube/client.js';
import { objectError } from './history.js';
import type { Info } from './targets.js';

/** The three actions and what they print on success. */
export type Action = 'pause' | 'resume' | 'restart';

export const ACTION_DONE: Record<Action, string> = { pause: 'paused', resume: 'resumed', restart: 'restarted' };
const UNSUPPORTED: Record<Action, string> = { pause: 'pausing is not supported', resume: 'resuming is not supported', restart: 'restarting is not supported' };
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** Go's time.Now().Format(time.RFC3339) in the local zone: `2026-01-01T10:15:30+01:00`, or `Z` in UTC. */
export function rfc3339Local(date: Date): string {
  const offsetMin = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  if (offsetMin === 0) return `${local}Z`;
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin > 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The patch for one object, or the per-object error kubectl reports. */
function patchFor(info: Info, action: Action, now: Date): unknown {
  const obj = info.obj;
  const kind = info.resource.group === 'apps' ? info.resource.kind : '';
  if (action !== 'restart') {
    if (kind !== 'Deployment') throw objectError(info, UNSUPPORTED[action]);
    if (action === 'pause' && obj.spec?.paused) throw objectError(info, 'is already paused');
    if (action === 'resume' && !obj.spec?.paused) throw objectError(info, 'is not paused');
    return { spec: { paused: action === 'pause' ? true : null } };
  }
  if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(kind)) throw objectError(info, UNSUPPORTED.restart);
  if (kind === 'Deployment' && obj.spec?.paused) throw objectError(info, "can't restart paused deployment (run rollout resume first)");
  const at = rfc3339Local(now);
  if (obj.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === at) {
    throw new Error(`failed to create patch for ${obj.metadata.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
  }
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } };
}

/** Pauses, resumes or restarts one object; resolves with the patched object, throws kubectl's error. */
export async function applyAction(client: KubeClient, info: Info, action: Action): Promise<any> {
  const body = patchFor(info, action, new Date());
  const { resourcePath } = await import('../kube/discovery.js');
  const path = resourcePath(info.resource, info.obj.metadata.namespace, info.obj.metadata.name) + '?fieldManager=kubectl-rollout';
  return client.request('PATCH', path, { body, contentType: 'application/strategic-merge-patch+json' });
}
