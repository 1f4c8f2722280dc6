/**
 * Describers of the workload kinds (kubectl pkg/describe/describe.go DeploymentDescriber,
 * ReplicaSetDescriber, DaemonSetDescriber, StatefulSetDescriber, JobDescriber, CronJobDescriber).
 */
import { humanDuration, parseTimestamp } from '../../schemas/format/human-duration.js';
import { formatLabelSelector, formatLabels, labelSelectorString } from '../../schemas/format/labels.js';
import { apiPath, listAll, podStatusFor, refOf, searchEvents, type DescribeContext } from './fetch.js';
import { canonicalQty, describeEvents, intOrString, printAnnotations, printLabels, rfc1123z } from './format.js';
import { controllerOf, describePodTemplate } from './pod.js';
import { tabbed } from './writer.js';

const POD_TEMPLATE_HASH = 'pod-template-hash';

function podsStatusLine(c: { running: number; waiting: number; succeeded: number; failed: number }): string {
  return `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function templateWithoutHash(t: any): string {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH];
  return stableJson(copy);
}

/** The deployment's new and old ReplicaSets (deploymentutil.GetAllReplicaSetsInChunks). */
async function replicaSetsOf(ctx: DescribeContext, d: any): Promise<{ oldRSs: any[]; newRSs: any[] }> {
  const selector = labelSelectorString(d.spec?.selector) ?? '';
  const all = await listAll(ctx, apiPath('apps/v1', 'replicasets', d.metadata.namespace), selector ? { labelSelector: selector } : {});
  const owned = all.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r: any) => r.controller && r.uid === d.metadata.uid));
  const created = (rs: any) => parseTimestamp(rs.metadata?.creationTimestamp) ?? 0;
  owned.sort((a, b) => created(a) - created(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
  const want = templateWithoutHash(d.spec?.template);
  const newRS = owned.find((rs) => templateWithoutHash(rs.spec?.template) === want);
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRSs: newRS ? [newRS] : [] };
}

function rsList(list: any[]): string {
  const text = list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ');
  return text || '<none>';
}

/** DeploymentDescriber. */
export async function describeDeployment(ctx: DescribeContext, d: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(d));
  let sets = { oldRSs: [] as any[], newRSs: [] as any[] };
  try {
    sets = await replicaSetsOf(ctx, d);
  } catch {
    // describe shows no ReplicaSets when it cannot list them.
  }
  return tabbed((w) => {
    const spec = d.spec ?? {};
    const st = d.status ?? {};
    w.write(0, `Name:\t${d.metadata.name}\n`);
    w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
    w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
    printLabels(w, 'Labels', d.metadata.labels);
    printAnnotations(w, 'Annotations', d.metadata.annotations);
    w.write(0, `Selector:\t${labelSelectorString(spec.selector) ?? ''}\n`);
    w.write(0, `Replicas:\t${spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
    w.write(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
    w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) w.write(0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
    describePodTemplate(spec.template, w);
    if (st.conditions?.length) {
      w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(1, '----\t------\t------\n');
      for (const c of st.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (sets.oldRSs.length > 0 || sets.newRSs.length > 0) {
      w.write(0, `OldReplicaSets:\t${rsList(sets.oldRSs)}\n`);
      w.write(0, `NewReplicaSet:\t${rsList(sets.newRSs)}\n`);
    }
    describeEvents(events, w);
  });
}

/** ReplicaSetDescriber. */
export async function describeReplicaSet(ctx: DescribeContext, rs: any): Promise<string> {
  let counts: Awaited<ReturnType<typeof podStatusFor>> | undefined;
  let podErr: unknown;
  try {
    counts = await podStatusFor(ctx, rs.metadata.namespace, labelSelectorString(rs.spec?.selector) ?? '', rs.metadata.uid);
  } catch (err) {
    podErr = err;
  }
  const events = await searchEvents(ctx, refOf(rs));
  return tabbed((w) => {
    w.write(0, `Name:\t${rs.metadata.name}\n`);
    w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
    w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
    printLabels(w, 'Labels', rs.metadata.labels);
    printAnnotations(w, 'Annotations', rs.metadata.annotations);
    const controlledBy = controllerOf(rs);
    if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
    w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
    w.write(0, 'Pods Status:\t');
    w.write(0, counts ? `${podsStatusLine(counts)}\n` : `error in fetching pods: ${(podErr as Error).message}\n`);
    describePodTemplate(rs.spec?.template, w);
    if (rs.status?.conditions?.length) {
      w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(1, '----\t------\t------\n');
      for (const c of rs.status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    describeEvents(events, w);
  });
}

/** DaemonSetDescriber. */
export async function describeDaemonSet(ctx: DescribeContext, ds: any): Promise<string> {
  const selector = labelSelectorString(ds.spec?.selector) ?? '';
  const counts = await podStatusFor(ctx, ds.metadata.namespace, selector, ds.metadata.uid);
  const events = await searchEvents(ctx, refOf(ds));
  return tabbed((w) => {
    const st = ds.status ?? {};
    w.write(0, `Name:\t${ds.metadata.name}\n`);
    w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
    w.write(0, `Selector:\t${selector}\n`);
    w.write(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
    printLabels(w, 'Labels', ds.metadata.labels);
    printAnnotations(w, 'Annotations', ds.metadata.annotations);
    w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
    w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
    w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
    w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
    w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
    w.write(0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(ds.spec?.template, w);
    describeEvents(events, w);
  });
}

/** StatefulSetDescriber. */
export async function describeStatefulSet(ctx: DescribeContext, ss: any): Promise<string> {
  const selector = labelSelectorString(ss.spec?.selector) ?? '';
  const counts = await podStatusFor(ctx, ss.metadata.namespace, selector, ss.metadata.uid);
  const events = await searchEvents(ctx, refOf(ss));
  return tabbed((w) => {
    const spec = ss.spec ?? {};
    w.write(0, `Name:\t${ss.metadata.name}\n`);
    w.write(0, `Namespace:\t${ss.metadata.namespace}\n`);
    w.write(0, `CreationTimestamp:\t${rfc1123z(ss.metadata.creationTimestamp)}\n`);
    w.write(0, `Selector:\t${selector}\n`);
    printLabels(w, 'Labels', ss.metadata.labels);
    printAnnotations(w, 'Annotations', ss.metadata.annotations);
    w.write(0, `Replicas:\t${spec.replicas ?? 0} desired | ${ss.status?.replicas ?? 0} total\n`);
    w.write(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
    const ru = spec.updateStrategy?.rollingUpdate;
    if (ru && ru.partition !== undefined && ru.partition !== null) {
      w.write(1, `Partition:\t${ru.partition}\n`);
      if (ru.maxUnavailable !== undefined) w.write(1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
    }
    w.write(0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(spec.template, w);
    const claims = spec.volumeClaimTemplates ?? [];
    if (claims.length === 0) w.write(0, 'Volume Claims:\t<none>\n');
    else {
      w.write(0, 'Volume Claims:\n');
      for (const pvc of claims) {
        w.write(1, `Name:\t${pvc.metadata?.name ?? ''}\n`);
        w.write(1, `StorageClass:\t${pvcClass(pvc)}\n`);
        printLabels(w, 'Labels', pvc.metadata?.labels, '  ');
        printLabels(w, 'Annotations', pvc.metadata?.annotations, '  ');
        const storage = pvc.spec?.resources?.requests?.storage;
        w.write(1, `Capacity:\t${storage === undefined ? '<default>' : canonicalQty(storage)}\n`);
        w.write(1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(' ')}]\n`);
      }
    }
    describeEvents(events, w);
  });
}

/** storageutil.GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName. */
export function pvcClass(pvc: any): string {
  return pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
}

/** JobDescriber. */
export async function describeJob(ctx: DescribeContext, job: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(job));
  return tabbed((w) => {
    const spec = job.spec ?? {};
    const st = job.status ?? {};
    w.write(0, `Name:\t${job.metadata.name}\n`);
    w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
    w.write(0, `Selector:\t${labelSelectorString(spec.selector) ?? ''}\n`);
    printLabels(w, 'Labels', job.metadata.labels);
    printAnnotations(w, 'Annotations', job.metadata.annotations);
    const controlledBy = controllerOf(job);
    if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
    if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
    w.write(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
    if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
    if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
    if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
    if (spec.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
    if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
    if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
    if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
    if (spec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
    if (st.ready === undefined) w.write(0, `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
    else w.write(0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
    if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(st.completedIndexes ?? '', 50)}\n`);
    describePodTemplate(spec.template, w);
    describeEvents(events, w);
  });
}

function capIndexes(indexes: string, softLimit: number): string {
  if (!indexes) return '<none>';
  let ix = softLimit;
  while (ix < indexes.length && indexes[ix] !== ',') ix++;
  return ix >= indexes.length ? indexes : `${indexes.slice(0, ix + 1)}...`;
}

/** CronJobDescriber. */
export async function describeCronJob(ctx: DescribeContext, cj: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(cj));
  return tabbed((w) => {
    const spec = cj.spec ?? {};
    const bool = (v: unknown) => (v === undefined || v === null ? '<unset>' : v ? 'True' : 'False');
    w.write(0, `Name:\t${cj.metadata.name}\n`);
    w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
    printLabels(w, 'Labels', cj.metadata.labels);
    printAnnotations(w, 'Annotations', cj.metadata.annotations);
    w.write(0, `Schedule:\t${spec.schedule ?? ''}\n`);
    w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
    w.write(0, `Suspend:\t${bool(spec.suspend)}\n`);
    w.write(0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? '<unset>'}\n`);
    w.write(0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? '<unset>'}\n`);
    w.write(0, `Starting Deadline Seconds:\t${spec.startingDeadlineSeconds === undefined ? '<unset>' : `${spec.startingDeadlineSeconds}s`}\n`);
    const jt = spec.jobTemplate?.spec ?? {};
    w.write(0, `Selector:\t${jt.selector ? (labelSelectorString(jt.selector) ?? '') : '<unset>'}\n`);
    w.write(0, `Parallelism:\t${jt.parallelism ?? '<unset>'}\n`);
    w.write(0, `Completions:\t${jt.completions ?? '<unset>'}\n`);
    if (jt.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
    describePodTemplate(jt.template, w);
    w.write(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}\n`);
    w.write(0, 'Active Jobs:\t');
    const active = cj.status?.active ?? [];
    if (active.length === 0) w.writeLine('<none>');
    else w.writeLine(active.map((j: any) => j.name).join(', '));
    describeEvents(events, w);
  });
}
