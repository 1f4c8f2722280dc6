import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../../server/clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, getPodsToDelete, isPodAvailable, nextAvailabilityCheckMs, slowStartBatch } from '../../../server/controllers/controller-utils.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodOpts {
  node?: string;
  phase?: string;
  readySinceMs?: number;
  cost?: number;
  restarts?: number;
  createdMs?: number;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: iso(o.createdMs ?? NOW - 3_600_000),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySinceMs !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readySinceMs) }] : [],
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}

function order(pods: Pod[], related: Pod[] = pods): string[] {
  return getPodsToDelete(pods, related, pods.length - 1, NOW).map((p) => p.metadata!.name!);
}

test('deletion ranking follows upstream order, one criterion at a time', () => {
  const ready = NOW - 3_600_000;
  // 1. unscheduled first; 2. Pending < Unknown < Running; 3. not ready first.
  assert.deepEqual(order([pod('scheduled', { node: 'n1', readySinceMs: ready }), pod('unscheduled', { phase: 'Pending' })]), ['unscheduled']);
  assert.deepEqual(order([pod('running', { node: 'n', readySinceMs: ready }), pod('unknown', { node: 'n', phase: 'Unknown' }), pod('pending', { node: 'n', phase: 'Pending' })]), ['pending', 'unknown']);
  assert.deepEqual(order([pod('ready', { node: 'n', readySinceMs: ready }), pod('notready', { node: 'n' })]), ['notready']);
  // 4. lower pod-deletion-cost first.
  assert.deepEqual(order([pod('cheap', { node: 'n', readySinceMs: ready, cost: -5 }), pod('dear', { node: 'n', readySinceMs: ready, cost: 10 })].reverse()), ['cheap']);
  // 5. pods on crowded nodes first.
  const crowded = [pod('a', { node: 'n1', readySinceMs: ready }), pod('b', { node: 'n2', readySinceMs: ready }), pod('c', { node: 'n2', readySinceMs: ready })];
  assert.deepEqual(getPodsToDelete(crowded, crowded, 1, NOW).map((p) => p.metadata!.name), ['b']);
  // 6. ready for less time first (log buckets: 1 minute vs 1 hour differ).
  assert.deepEqual(order([pod('old', { node: 'n', readySinceMs: NOW - 3_600_000 }), pod('fresh', { node: 'n', readySinceMs: NOW - 60_000 })]), ['fresh']);
  // 7. more restarts first; 8. newer first.
  assert.deepEqual(order([pod('calm', { node: 'n', readySinceMs: ready }), pod('crashy', { node: 'n', readySinceMs: ready, restarts: 4 })]), ['crashy']);
  assert.deepEqual(order([pod('elder', { node: 'n', createdMs: NOW - 86_400_000 }), pod('young', { node: 'n', createdMs: NOW - 60_000 })]), ['young']);
});

test('isPodAvailable and the next availability check honour minReadySeconds', () => {
  const p = pod('p', { readySinceMs: NOW - 4_000 });
  assert.equal(isPodAvailable(p, 0, NOW), true);
  assert.equal(isPodAvailable(p, 5, NOW), false);
  assert.equal(isPodAvailable(p, 4, NOW), true);
  assert.equal(nextAvailabilityCheckMs([p, pod('q', { readySinceMs: NOW - 1_000 })], 5, NOW), 1_000);
  assert.equal(nextAvailabilityCheckMs([p], 0, NOW), undefined);
});

test('slowStartBatch runs batches of 1, 2, 4, … and stops after a failing batch', () => {
  let calls = 0;
  assert.deepEqual(slowStartBatch(10, 1, () => void calls++), { successes: 10 });
  assert.equal(calls, 10);
  calls = 0;
  const failing = slowStartBatch(10, 1, () => {
    calls++;
    if (calls === 3) throw new Error('quota');
  });
  // Batches 1 and 2 ran (3 calls); the third call failed, so nothing after that batch ran.
  assert.equal(calls, 3);
  assert.equal(failing.successes, 2);
  assert.equal((failing.error as Error).message, 'quota');
});

test('expectations hold a sync until the informer saw the creates and deletes, or they expire', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  assert.equal(e.satisfiedExpectations('ns/rs'), true);
  e.expectCreations('ns/rs', 2);
  assert.equal(e.satisfiedExpectations('ns/rs'), false);
  e.creationObserved('ns/rs');
  e.creationObserved('ns/rs');
  assert.equal(e.satisfiedExpectations('ns/rs'), true);
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  assert.equal(e.satisfiedExpectations('ns/rs'), false);
  clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
  assert.equal(e.satisfiedExpectations('ns/rs'), true);
});
