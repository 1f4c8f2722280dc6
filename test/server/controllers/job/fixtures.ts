import { rfc3339 } from '../../../../server/clock.js';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import type { TestCluster } from '../../../support/cluster.js';

/** A Job manifest as a user would apply it. */
export function jobManifest(name: string, spec: Record<string, unknown> = {}, restartPolicy = 'Never'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } } },
  };
}

/** The job's pods, oldest name first. */
export function podsOf(c: TestCluster, job: string): KubeObject[] {
  return c.list('pods', 'default').filter((p) => p.metadata.ownerReferences?.some((r) => r.name === job));
}

/** The pods still running (not finished, not deleted). */
export function runningPods(c: TestCluster, job: string): KubeObject[] {
  return podsOf(c, job).filter((p) => !['Succeeded', 'Failed'].includes((p.status as { phase?: string }).phase ?? '') && !p.metadata.deletionTimestamp);
}

/** Writes a terminal pod status, as the kubelet does when the container exits. */
export function finishPod(c: TestCluster, name: string, exitCode = 0): void {
  const now = rfc3339(c.clock.now());
  c.client.mutate('pods', { namespace: 'default', name }, (p) => {
    p.status = {
      ...(p.status as object),
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [{
        name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, started: false,
        state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
      }],
    };
    return p;
  }, { status: true });
}

/** The job as stored. */
export function getJob(c: TestCluster, name: string): KubeObject & { status: Record<string, any> } {
  return c.client.get('jobs.batch', { namespace: 'default', name }) as KubeObject & { status: Record<string, any> };
}

/** Condition types with status, in order (e.g. `SuccessCriteriaMet=True`). */
export function conditions(job: KubeObject & { status: Record<string, any> }): string[] {
  return ((job.status.conditions ?? []) as Array<{ type: string; status: string }>).map((c) => `${c.type}=${c.status}`);
}

/** `type reason message` of the events about an object, oldest first. */
export function eventsFor(c: TestCluster, name: string): string[] {
  return c.list('events', 'default')
    .filter((e) => (e.involvedObject as { name: string }).name === name)
    .map((e) => `${e.type as string} ${e.reason as string} ${e.message as string}`);
}
