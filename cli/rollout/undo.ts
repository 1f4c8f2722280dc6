/**
 * `kubectl rollout undo` (kubectl pkg/polymorphichelpers/rollback.go): a Deployment gets the
 * chosen ReplicaSet's template back with a JSON patch that also restores its annotations; a
 * DaemonSet or StatefulSet gets the ControllerRevision's own strategic-merge patch.
 */
import type { KubeClient } from '../kube/client.js';
import type { DryRun } from '../mutate/common.js';
import { checkHistoryKind, listRevisions, type Revision } from './history.js';
import { describePodTemplate } from './template.js';
import type { Info } from './targets.js';

const HASH_LABEL = 'pod-template-hash';
/** Deployment annotations an undo keeps instead of taking the ReplicaSet's (annotationsToSkip). */
const KEPT_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);


function notFound(revision: number): Error {
  return new Error(`unable to find specified revision ${revision} in history`);
}

/**
 * The revision to roll back to: `toRevision`, or with 0 the one before the newest
 * (deploymentRevision / findHistory).
 */
function pick(revisions: Revision[], toRevision: number, noHistory: string): Revision {
  if (toRevision > 0) {
    const r = revisions.find((x) => x.revision === toRevision);
    if (!r) throw notFound(toRevision);
    return r;
  }
  const sorted = [...revisions].sort((a, b) => b.revision - a.revision);
  if (sorted.length < 2) throw new Error(noHistory);
  return sorted[1]!;
}

/** Apimachinery's semantic equality as JSON: null, empty maps and empty lists count as absent. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (v === null || typeof v !== 'object') return v ?? undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const n = normalize((v as Record<string, unknown>)[k]);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function withoutHash(template: any): any {
  const labels = { ...template?.metadata?.labels };
  delete labels[HASH_LABEL];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

const sameTemplate = (a: any, b: any) => JSON.stringify(normalize(withoutHash(a))) === JSON.stringify(normalize(withoutHash(b)));

/**
 * Rolls one object back; resolves with the operation text kubectl prints after the name
 * (`rolled back`, `skipped rollback (…)`, or the template for a client dry run).
 */
export async function rollback(client: KubeClient, info: Info, toRevision: number, dryRun: DryRun): Promise<string> {
  checkHistoryKind(info, 'rollbacker');
  if (toRevision < 0) throw notFound(toRevision);
  const { current, revisions } = await listRevisions(client, info);
  const isDeployment = info.resource.kind === 'Deployment';
  const noHistory = isDeployment ? `no rollout history found for deployment "${current.metadata.name}"` : 'no last revision to roll back to';
  const target = pick(revisions, toRevision, noHistory);
  if (dryRun === 'client') return describePodTemplate(target.template);
  if (isDeployment && current.spec?.paused) {
    throw new Error(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
  }
  if (sameTemplate(target.template, current.spec?.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
  const { resourcePath } = await import('../kube/discovery.js');
  const dry = dryRun === 'server' ? '?dryRun=All' : '';
  const path = resourcePath(info.resource, current.metadata.namespace, current.metadata.name) + dry;
  try {
    if (isDeployment) {
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries<string>(current.metadata.annotations ?? {})) if (KEPT_ANNOTATIONS.has(k)) annotations[k] = v;
      for (const [k, v] of Object.entries<string>(target.source.metadata.annotations ?? {})) if (!KEPT_ANNOTATIONS.has(k)) annotations[k] = v;
      const body = [
        { op: 'replace', path: '/spec/template', value: withoutHash(target.template) },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ];
      await client.request('PATCH', path, { body, contentType: 'application/json-patch+json' });
    } else {
      const data = typeof target.source.data === 'string' ? target.source.data : JSON.stringify(target.source.data);
      await client.request('PATCH', path, { body: data, contentType: 'application/strategic-merge-patch+json' });
    }
  } catch (err) {
    throw new Error(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
  }
  return 'rolled back';
}
