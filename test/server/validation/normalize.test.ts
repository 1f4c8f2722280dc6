import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeLikeGo } from '../../../server/validation/normalize.js';

test('nulls and empty optional maps and lists disappear; empty structs stay', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', labels: {}, annotations: null, finalizers: [] },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: {}, env: [], ports: null }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
      nodeSelector: {},
      securityContext: {},
    },
  };
  normalizeLikeGo('', 'v1', 'Pod', pod);
  assert.deepEqual(pod, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: {} }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
      securityContext: {},
    },
  });
});

test('required lists are kept even when empty, so validation can name them', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
  normalizeLikeGo('', 'v1', 'Pod', pod);
  assert.deepEqual(pod.spec, { containers: [] });
});

test('an Event always carries its value time fields, null when unset, as Go encodes a zero time', () => {
  const core: Record<string, unknown> = { metadata: { name: 'e' }, eventTime: null, firstTimestamp: '2026-01-01T00:00:00Z', count: 1 };
  normalizeLikeGo('', 'v1', 'Event', core);
  assert.equal(core.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.ok('eventTime' in core && core.eventTime === null);
  assert.ok('lastTimestamp' in core && core.lastTimestamp === null);
  // A null one stays where the writer put it, which is Go's field order; a missing one goes last.
  assert.deepEqual(Object.keys(core), ['metadata', 'eventTime', 'firstTimestamp', 'count', 'lastTimestamp']);
  const v1: Record<string, unknown> = { metadata: { name: 'e' }, eventTime: '2026-01-01T00:00:00.000000Z', note: 'n' };
  normalizeLikeGo('events.k8s.io', 'v1', 'Event', v1);
  assert.deepEqual([v1.deprecatedFirstTimestamp, v1.deprecatedLastTimestamp], [null, null]);
  // Other kinds' nulls still disappear.
  const pod: Record<string, any> = { metadata: { name: 'p', deletionTimestamp: null }, spec: { containers: [] } };
  normalizeLikeGo('', 'v1', 'Pod', pod);
  assert.ok(!('deletionTimestamp' in pod.metadata));
});
