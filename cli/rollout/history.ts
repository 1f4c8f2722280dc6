/**
 * `kubectl rollout history` and the revision lookup `rollout undo` shares with it (kubectl
 * pkg/polymorphichelpers/history.go and rollback.go): a Deployment's revisions are its
 * ReplicaSets' `deployment.kubernetes.io/revision` annotations, a DaemonSet's and a StatefulSet's
 * are the ControllerRevisions they control.
 */
import type { KubeClient } from '../kube/client.js';
import { describePodTemplate } from './template.js';
import { groupResource, isControlledBy, nameOf, selectorString, type Info } from './targets.js';

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** One revision: its number, the pod template it stands for, and the object recording it. */
export interface Revision {
  revision: number;
  template: any;
  changeCause: string;
  /** The ReplicaSet or ControllerRevision. */
  source: any;
}

/** Kinds kubectl's apps visitor knows, as `Kind.group`; the rest fail with "no visitor method". */
const VISITED_KINDS = new Set(['Deployment.apps', 'StatefulSet.apps', 'DaemonSet.apps', 'Job.batch', 'Pod', 'ReplicaSet.apps', 'ReplicationController', 'CronJob.batch']);
const WITH_HISTORY = new Set(['Deployment.apps', 'StatefulSet.apps', 'DaemonSet.apps']);

/** schema.GroupKind.String(): `Kind` for the core group, `Kind.group` otherwise. */
export function groupKind(info: Info): string {
  return info.resource.group ? `${info.resource.kind}.${info.resource.group}` : info.resource.kind;
}

/**
 * Checks that kubectl has a history viewer (`what` = "history") or rollbacker for the kind,
 * throwing its error otherwise.
 */
export function checkHistoryKind(info: Info, what: 'history' | 'rollbacker'): void {
  const gk = groupKind(info);
  const prefix = what === 'history' ? 'error retrieving history for' : 'error retrieving rollbacker for';
  if (!VISITED_KINDS.has(gk)) throw new Error(`${prefix} "${gk}", no visitor method exists for {${info.resource.group} ${info.resource.kind}}`);
  if (!WITH_HISTORY.has(gk)) {
    throw new Error(what === 'history' ? `no history viewer has been implemented for "${gk}"` : `no rollbacker has been implemented for "${gk}"`);
  }
}

/** The object's revisions, unsorted; reads the object again as kubectl's viewers do. */
export async function listRevisions(client: KubeClient, info: Info): Promise<{ current: any; revisions: Revision[] }> {
  const { resourcePath } = await import('../kube/discovery.js');
  const ns = info.obj.metadata.namespace;
  const current = await client.getJson(resourcePath(info.resource, ns, info.obj.metadata.name));
  const apps = (resource: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${resource}?labelSelector=${encodeURIComponent(selectorString(current.spec?.selector))}`;
  const uid = current.metadata.uid;
  if (info.resource.kind === 'Deployment') {
    const list = await client.getJson(apps('replicasets'));
    const revisions: Revision[] = [];
    for (const rs of (list.items ?? []).filter((rs: any) => isControlledBy(rs, uid))) {
      const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
      if (text === undefined || !/^\d+$/.test(text)) continue;
      revisions.push({ revision: Number(text), template: rs.spec.template, changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '', source: rs });
    }
    return { current, revisions };
  }
  const list = await client.getJson(apps('controllerrevisions'));
  const revisions = (list.items ?? [])
    .filter((cr: any) => isControlledBy(cr, uid))
    .map((cr: any) => ({ revision: Number(cr.revision), template: templateOf(cr), changeCause: cr.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '', source: cr }));
  return { current, revisions };
}

/** The template a ControllerRevision's patch (`spec.template` with `$patch: replace`) restores. */
function templateOf(cr: any): any {
  const data = typeof cr.data === 'string' ? JSON.parse(cr.data) : cr.data;
  const { $patch: _replace, ...template } = data?.spec?.template ?? {};
  return template;
}

/** tabwriter(minwidth 0, tabwidth 8, padding 2) over a two-column table. */
function revisionTable(revisions: Revision[]): string {
  const rows = [['REVISION', 'CHANGE-CAUSE'], ...revisions.map((r) => [String(r.revision), r.changeCause || '<none>'])];
  const width = Math.max(...rows.map((r) => r[0]!.length)) + 2;
  return rows.map(([a, b]) => `${a!.padEnd(width)}${b}\n`).join('');
}

/**
 * What `rollout history` prints for one object: the revision table, or one revision's template
 * with `revision` > 0.
 */
export async function viewHistory(client: KubeClient, info: Info, revision: number): Promise<string> {
  checkHistoryKind(info, 'history');
  const { revisions } = await listRevisions(client, info);
  const byNumber = new Map(revisions.map((r) => [r.revision, r]));
  if (byNumber.size === 0) return `${nameOf(info)} \nNo rollout history found.\n`;
  if (revision > 0) {
    const r = byNumber.get(revision);
    if (!r) throw new Error('unable to find the specified revision');
    const template = info.resource.kind === 'Deployment' && r.changeCause ? withChangeCause(r.template, r.changeCause) : r.template;
    return `${nameOf(info)} with revision #${revision}\n${describePodTemplate(template)}\n`;
  }
  const sorted = [...byNumber.values()].sort((a, b) => a.revision - b.revision);
  return `${nameOf(info)} \n${revisionTable(sorted)}\n`;
}

/**
 * What `rollout history -o …` prints: the objects recording the revisions (ReplicaSets or
 * ControllerRevisions) in revision order, or the one of `revision` > 0.
 */
export async function historyObjects(client: KubeClient, info: Info, revision: number): Promise<any[]> {
  checkHistoryKind(info, 'history');
  const { revisions } = await listRevisions(client, info);
  const kind = info.resource.kind === 'Deployment' ? 'ReplicaSet' : 'ControllerRevision';
  const typed = (r: Revision) => ({ kind, apiVersion: 'apps/v1', ...r.source });
  if (revision > 0) {
    const r = revisions.find((x) => x.revision === revision);
    if (!r) throw new Error('unable to find the specified revision');
    return [typed(r)];
  }
  return [...revisions].sort((a, b) => a.revision - b.revision).map(typed);
}

/** The deployment viewer copies the RS's change-cause into the template's annotations before printing. */
function withChangeCause(template: any, cause: string): any {
  return { ...template, metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: cause } } };
}

/** `error: <resource.group> "<name>" <msg>`: pause, resume and restart put the prefix in the error itself. */
export function objectError(info: Info, msg: string): Error {
  return new Error(`error: ${groupResource(info.resource)} "${info.obj.metadata.name}" ${msg}`);
}
