import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import { startHorizontalPodAutoscalerController } from '../../../server/controllers/podautoscaler/horizontal.js';
import { startDeploymentController } from '../../../server/controllers/deployment/deployment-controller.js';
import { startReplicaSetController } from '../../../server/controllers/replicaset-controller.js';
import { startKubelets } from '../../../server/kubelet/fake-kubelet.js';
import { startNodeAgents } from '../../../server/kubelet/node-agent.js';
import { startScheduler } from '../../../server/scheduler/scheduler.js';
import { startNodeLifecycleController } from '../../../server/controllers/node-lifecycle-controller.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

const HPAS = 'horizontalpodautoscalers.autoscaling';
const COMPONENTS = [startNodeAgents, startKubelets, startNodeLifecycleController, startScheduler, startReplicaSetController, startDeploymentController, startHorizontalPodAutoscalerController];

function deployment(c: TestCluster, name: string, replicas: number, container: Record<string, unknown>): void {
  c.client.create('deployments.apps', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', ...container }] } } },
  });
}

function hpa(c: TestCluster, name: string, spec: Record<string, unknown>): void {
  c.client.create(HPAS, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, ...spec } });
}

const hpaOf = (c: TestCluster, name: string) => c.client.get(HPAS, { namespace: 'default', name }) as unknown as HorizontalPodAutoscaler;
const replicasOf = (c: TestCluster, name: string) => (c.client.get('deployments.apps', { namespace: 'default', name })!.spec as { replicas: number }).replicas;
const conditions = (h: HorizontalPodAutoscaler) => (h.status?.conditions ?? []).map((x) => `${x.type}=${x.status}/${x.reason}`);
const events = (c: TestCluster, name: string) =>
  c.list('events', 'default').filter((e: any) => e.involvedObject.name === name && e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e: any) => `${e.type} ${e.reason}: ${e.message}`);

const CPU_TARGET_50 = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }];

test('a busy deployment scales up at most max(2×, 4) per sync, then is held at maxReplicas', async (t) => {
  const c = startTestCluster(t, COMPONENTS);
  deployment(c, 'hog', 1, { image: 'busybox:1.36', command: ['sh', '-c', 'while true; do :; done'], resources: { requests: { cpu: '200m' }, limits: { cpu: '500m' } } });
  hpa(c, 'hog', { minReplicas: 1, maxReplicas: 5, metrics: CPU_TARGET_50 });
  await c.advance(14_000, 500);
  assert.equal(hpaOf(c, 'hog').status?.conditions, undefined, 'the first sync comes one period after the HPA is created');
  await c.advance(1_000, 500);
  // 500m of 200m requested is 250%: 5 replicas wanted, but one sync may only reach max(2×1, 4) = 4.
  assert.equal(replicasOf(c, 'hog'), 4);
  let h = hpaOf(c, 'hog');
  assert.deepEqual(conditions(h), ['AbleToScale=True/SucceededRescale', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=True/ScaleUpLimit']);
  assert.deepEqual(h.status!.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 250, averageValue: '500m' } } }]);
  assert.equal(h.status!.currentReplicas, 1);
  assert.equal(h.status!.desiredReplicas, 4);
  assert.equal(h.status!.lastScaleTime, '2026-01-01T00:00:15Z');
  assert.deepEqual(events(c, 'hog'), ['Normal SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target']);
  await c.advance(60_000, 500);
  assert.equal(replicasOf(c, 'hog'), 5);
  h = hpaOf(c, 'hog');
  assert.deepEqual(conditions(h), ['AbleToScale=True/ReadyForNewScale', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=True/TooManyReplicas']);
  assert.equal(h.status!.conditions!.find((x) => x.type === 'ScalingLimited')!.message, 'the desired replica count is more than the maximum replica count');
  assert.equal(h.status!.currentReplicas, 5);
  assert.equal(h.status!.desiredReplicas, 5);
});

test('an idle deployment scales down only after the 5-minute stabilization window', async (t) => {
  const c = startTestCluster(t, COMPONENTS);
  deployment(c, 'web', 3, { image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } });
  hpa(c, 'web', { minReplicas: 1, maxReplicas: 5 });
  await c.advance(30_000, 1_000);
  let h = hpaOf(c, 'web');
  assert.equal(replicasOf(c, 'web'), 3);
  assert.deepEqual(conditions(h), ['AbleToScale=True/ScaleDownStabilized', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=False/DesiredWithinRange']);
  assert.equal(h.spec!.metrics![0]!.resource!.target.averageUtilization, 80, 'the server defaults an 80% CPU target');
  assert.deepEqual(h.status!.currentMetrics![0]!.resource!.current, { averageUtilization: 1, averageValue: '1m' });
  assert.equal(h.status!.desiredReplicas, 3);
  // The first recommendation (3, at 15 s) still counts at 315 s and is gone at 330 s.
  await c.advance(290_000, 1_000);
  assert.equal(replicasOf(c, 'web'), 3);
  await c.advance(15_000, 1_000);
  assert.equal(replicasOf(c, 'web'), 1);
  h = hpaOf(c, 'web');
  assert.deepEqual(events(c, 'web'), ['Normal SuccessfulRescale: New size: 1; reason: All metrics below target']);
  assert.equal(h.status!.desiredReplicas, 1);
});

test('without metrics, a missing target or missing requests the HPA reports why, in conditions and events', async (t) => {
  const c = startTestCluster(t, COMPONENTS);
  hpa(c, 'ghost', { maxReplicas: 3 });
  deployment(c, 'noreq', 1, { image: 'nginx:1.27' });
  hpa(c, 'noreq', { maxReplicas: 3 });
  await c.advance(15_000, 1_000);
  const ghost = hpaOf(c, 'ghost');
  assert.deepEqual(conditions(ghost), ['AbleToScale=False/FailedGetScale']);
  assert.equal(ghost.status!.conditions![0]!.message, 'the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "ghost" not found');
  assert.deepEqual(events(c, 'ghost'), ['Warning FailedGetScale: deployments/scale.apps "ghost" not found']);
  const noreq = hpaOf(c, 'noreq');
  const active = noreq.status!.conditions!.find((x) => x.type === 'ScalingActive')!;
  assert.equal(active.reason, 'FailedGetResourceMetric');
  assert.equal(active.message, 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container c of Pod ' + c.list('pods', 'default')[0]!.metadata.name);
  assert.deepEqual(noreq.status!.currentMetrics, [{ type: '' }]);
  assert.equal(events(c, 'noreq').length, 2);
  assert.match(events(c, 'noreq')[1]!, /^Warning FailedComputeMetricsReplicas: invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container c of Pod noreq-/);
});

test('before metrics-server has two samples the HPA shows <unknown> and the error kubectl describe shows', async (t) => {
  const c = startTestCluster(t, COMPONENTS);
  hpa(c, 'late', { maxReplicas: 3 });
  await c.advance(8_000, 1_000);
  // The pod runs from about 11 s: the scrape at 15 s finds it too fresh, so the sync at 15 s has no sample.
  deployment(c, 'late', 1, { image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } });
  await c.advance(7_000, 1_000);
  const h = hpaOf(c, 'late');
  const cause = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
  assert.deepEqual(conditions(h), ['AbleToScale=True/SucceededGetScale', 'ScalingActive=False/FailedGetResourceMetric']);
  assert.equal(h.status!.conditions![1]!.message, `the HPA was unable to compute the replica count: ${cause}`);
  assert.deepEqual(events(c, 'late'), [
    `Warning FailedGetResourceMetric: ${cause}`,
    `Warning FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${cause}`,
  ]);
  assert.equal(h.status!.currentReplicas, 1);
  assert.equal(h.status!.desiredReplicas, 0);
  await c.advance(15_000, 1_000);
  // One idle replica at minReplicas 1: nothing to do once the metric is there.
  assert.deepEqual(conditions(hpaOf(c, 'late')), ['AbleToScale=True/ReadyForNewScale', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=False/DesiredWithinRange']);
  assert.equal(hpaOf(c, 'late').status!.desiredReplicas, 1);
});
