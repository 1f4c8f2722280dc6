import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESOURCE_QUOTA_SYNC_PERIOD_MS, startResourceQuotaController } from '../../../server/controllers/resourcequota-controller.js';
import { effectiveResources, type Pod } from '../../../server/controllers/resourcequota-usage.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

type List = Record<string, string>;

function quotaStatus(c: TestCluster, name = 'q'): { hard: List; used: List } {
  return c.client.get('resourcequotas', { namespace: 'default', name })!.status as { hard: List; used: List };
}

function createQuota(c: TestCluster, hard: List, name = 'q', scopes?: string[]): void {
  c.client.create('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard, ...(scopes ? { scopes } : {}) } });
}

function createPod(c: TestCluster, name: string, resources?: { requests?: List; limits?: List }, extra: Record<string, unknown> = {}): void {
  c.client.create('pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx', ...(resources ? { resources } : {}) }], ...extra },
  });
}

test('status mirrors hard and sums the requests and limits of non-terminal pods', async (t) => {
  const c = startTestCluster(t, [startResourceQuotaController]);
  createQuota(c, { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '4000m', 'limits.memory': '2Gi', cpu: '2' });
  await c.settle();
  assert.deepEqual(quotaStatus(c), {
    hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '4', 'limits.memory': '2Gi', cpu: '2' },
    used: { pods: '0', 'requests.cpu': '0', 'requests.memory': '0', 'limits.cpu': '0', 'limits.memory': '0', cpu: '0' },
  });
  createPod(c, 'a', { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
  createPod(c, 'b', { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
  createPod(c, 'c');
  await c.settle();
  assert.deepEqual(quotaStatus(c).used, { pods: '3', 'requests.cpu': '350m', 'requests.memory': '192Mi', 'limits.cpu': '1200m', 'limits.memory': '384Mi', cpu: '350m' });
  c.client.mutate('pods', { namespace: 'default', name: 'b' }, (p) => ({ ...p, status: { ...(p.status as object), phase: 'Succeeded' } }), { status: true });
  await c.settle();
  assert.deepEqual(quotaStatus(c).used, { pods: '2', 'requests.cpu': '100m', 'requests.memory': '64Mi', 'limits.cpu': '200m', 'limits.memory': '128Mi', cpu: '100m' });
});

test('object counts, count/<resource> names and service sub-counts', async (t) => {
  const c = startTestCluster(t, [startResourceQuotaController]);
  createQuota(c, { configmaps: '5', secrets: '5', services: '3', 'services.nodeports': '2', 'count/deployments.apps': '2', 'count/pods': '4' });
  c.client.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'default' } });
  c.client.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  await c.settle();
  // The bootstrap namespace already holds the kubernetes Service (and no kube-root-ca.crt without its publisher).
  assert.deepEqual(quotaStatus(c).used, { configmaps: '1', secrets: '0', services: '2', 'services.nodeports': '1', 'count/deployments.apps': '0', 'count/pods': '0' });
  c.client.create('deployments.apps', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } } },
  });
  await c.settle();
  assert.equal(quotaStatus(c).used['count/deployments.apps'], '1');
});

test('scoped quotas charge only the matching pods; the periodic resync runs every five minutes', async (t) => {
  const c = startTestCluster(t, [startResourceQuotaController]);
  createQuota(c, { pods: '5' }, 'besteffort', ['BestEffort']);
  createQuota(c, { pods: '5' }, 'burstable', ['NotBestEffort']);
  // Quota admission refuses pods until the controller has filled in the quotas' status.
  await c.settle();
  createPod(c, 'plain');
  createPod(c, 'sized', { requests: { cpu: '100m' } });
  createPod(c, 'deadline', undefined, { activeDeadlineSeconds: 30 });
  await c.settle();
  assert.equal(quotaStatus(c, 'besteffort').used['pods'], '2');
  assert.equal(quotaStatus(c, 'burstable').used['pods'], '1');
  const rv = c.client.get('resourcequotas', { namespace: 'default', name: 'besteffort' })!.metadata.resourceVersion;
  await c.advance(RESOURCE_QUOTA_SYNC_PERIOD_MS);
  assert.equal(c.client.get('resourcequotas', { namespace: 'default', name: 'besteffort' })!.metadata.resourceVersion, rv, 'an unchanged status is not rewritten');
});

test('effective requests take the largest init container and add sidecars and overhead', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: {
      initContainers: [
        { name: 'big-init', resources: { requests: { cpu: '2', memory: '64Mi' } } },
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
      ],
      containers: [{ name: 'a', resources: { requests: { cpu: '500m', memory: '128Mi' } } }],
      overhead: { cpu: '10m' },
    },
  };
  const requests = effectiveResources(pod, 'requests');
  assert.equal(requests.get('cpu')!.nano, 2_010_000_000n);
  assert.equal(requests.get('memory')!.nano, 128n * 1024n * 1024n * 1_000_000_000n);
});
