import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { formatBytes, formatNanocores, goDuration, isKubeletReachable, nodeMetrics, podMetrics } from '../../../server/metrics/metrics-server.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function runningPod(startedAtMs: number, phase = 'Running'): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node01', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
    status: { phase, containerStatuses: [{ name: 'nginx', image: 'nginx:1.27', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: new Date(startedAtMs).toISOString().replace('.000', '') } } }] },
  } as Pod;
}

test('quantities are canonical like metrics-server prints them', () => {
  assert.equal(formatNanocores(0), '0');
  assert.equal(formatNanocores(1234567), '1234567n');
  assert.equal(formatNanocores(250_000_000), '250m');
  assert.equal(formatNanocores(2_000_000_000), '2');
  assert.equal(formatNanocores(1_500_000), '1500u');
  assert.equal(formatBytes(10 * 1024 * 1024), '10Mi');
  assert.equal(formatBytes(3_072_000), '3000Ki');
  assert.equal(formatBytes(1000), '1000');
  assert.equal(goDuration(15_000), '15s');
  assert.equal(goDuration(12_500), '12.5s');
});

test('a container has metrics only once metrics-server has two points for it', () => {
  const pod = runningPod(T0 + 2_000);
  // Scrapes at 0 s and 15 s: at 15 s the container is 13 s old, so its start is the first point.
  assert.equal(podMetrics(pod, T0 + 14_999), undefined);
  const m = podMetrics(pod, T0 + 15_000)!;
  assert.equal(m.window, '13s');
  assert.equal(m.timestamp, '2026-01-01T00:00:15Z');
  assert.deepEqual(m.metadata.labels, { app: 'web' });
  assert.equal(m.containers[0]!.name, 'nginx');
  assert.match(m.containers[0]!.usage.cpu, /^\d+n$/);
  assert.match(m.containers[0]!.usage.memory, /^\d+Ki$/);
  assert.equal(podMetrics(pod, T0 + 31_000)!.window, '15s');
  // 8 s old at the first scrape: too fresh; the next scrape has a full window.
  const fresh = runningPod(T0 + 7_000);
  assert.equal(podMetrics(fresh, T0 + 29_000), undefined);
  assert.equal(podMetrics(fresh, T0 + 30_000)!.window, '15s');
  assert.equal(podMetrics(runningPod(T0, 'Pending'), T0 + 60_000), undefined);
});

test('node usage is the system baseline plus the pods running on it; NotReady nodes have none', () => {
  const node = { metadata: { name: 'node01', creationTimestamp: '2026-01-01T00:00:00Z' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as Node;
  assert.equal(nodeMetrics(node, [], T0 + 5_000), undefined);
  const idle = nodeMetrics(node, [], T0 + 15_000)!;
  const busy = nodeMetrics(node, [runningPod(T0)], T0 + 15_000)!;
  const mem = (q: string) => Number(q.replace('Ki', '')) * 1024;
  assert.ok(mem(busy.usage.memory) - mem(idle.usage.memory) >= 7 * 1024 * 1024);
  assert.match(idle.usage.cpu, /^\d+n$/);
  const notReady = { ...node, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } } as Node;
  assert.equal(nodeMetrics(notReady, [], T0 + 60_000), undefined);
});

test('a kubelet is scraped while its node Lease is fresh; a stopped one drops out within a scrape or two', () => {
  const lease = (at: number) => ({ spec: { renewTime: new Date(at).toISOString() } });
  assert.equal(isKubeletReachable(lease(T0 + 10_000), T0 + 20_000), true);
  // Renewed at 10 s, then stopped: the scrape at 15 s still reaches it, the one at 30 s does not.
  assert.equal(isKubeletReachable(lease(T0 + 10_000), T0 + 29_999), true);
  assert.equal(isKubeletReachable(lease(T0 + 10_000), T0 + 30_000), false);
  assert.equal(isKubeletReachable(undefined, T0), false);
});
