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
