/**
 * The strategic merge patches client-side apply and edit compute: the directive shapes upstream's
 * CreateThreeWayMergePatch / CreateTwoWayMergePatch produce for the same inputs (the Deployment
 * example of kubectl-wire.md §13.1 included).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createThreeWayMergePatch, createTwoWayMergePatch } from '../../../cli/apply/three-way.js';

const deployment = (spec: any, metadata: any = {}) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...metadata }, spec });

test('an unchanged manifest gives an empty patch, whatever the server added', () => {
  const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  const live = { ...manifest, metadata: { name: 'c', uid: 'u', resourceVersion: '7' } };
  assert.deepEqual(createThreeWayMergePatch(manifest, manifest, live, 'ConfigMap'), {});
});

test('a key dropped from the manifest is deleted only if it was applied before', () => {
  const original = { data: { a: '1', b: '2' } };
  const modified = { data: { a: '1' } };
  const current = { data: { a: '1', b: '2', c: 'added by someone else' } };
  assert.deepEqual(createThreeWayMergePatch(original, modified, current, 'ConfigMap'), { data: { b: null } });
});

test('the Deployment example of kubectl-wire.md §13.1', () => {
  const container = (extra: any) => ({ name: 'a', image: 'busybox:1', ...extra });
  const original = deployment(
    {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        spec: {
          containers: [
            container({ args: ['x', 'y'], ports: [{ containerPort: 80 }, { containerPort: 81 }], env: [{ name: 'E1', value: '1' }, { name: 'E2', value: '2' }] }),
            { name: 'b', image: 'b' },
          ],
          volumes: [{ name: 'v', emptyDir: {} }],
        },
      },
    },
    { finalizers: ['a.example.com/f1', 'b.example.com/f2'], labels: { keep: 'y', 'remove-me': 'x' } },
  );
  const modified = deployment(
    {
      strategy: { type: 'Recreate' },
      template: {
        spec: {
          containers: [container({ image: 'busybox:2', args: ['x', 'z'], ports: [{ containerPort: 80 }], env: [{ name: 'E2', value: '2' }, { name: 'E1', value: '1' }] })],
        },
      },
    },
    { finalizers: ['a.example.com/f1'], labels: { keep: 'y' } },
  );
  const patch = createThreeWayMergePatch(original as any, modified as any, original as any, 'Deployment');
  assert.deepEqual(patch, {
    metadata: {
      '$deleteFromPrimitiveList/finalizers': ['b.example.com/f2'],
      '$setElementOrder/finalizers': ['a.example.com/f1'],
      labels: { 'remove-me': null },
    },
    spec: {
      strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }],
          containers: [
            {
              '$setElementOrder/env': [{ name: 'E2' }, { name: 'E1' }],
              '$setElementOrder/ports': [{ containerPort: 80 }],
              args: ['x', 'z'],
              image: 'busybox:2',
              name: 'a',
              ports: [{ $patch: 'delete', containerPort: 81 }],
            },
            { $patch: 'delete', name: 'b' },
          ],
          volumes: null,
        },
      },
    },
  } as any);
});

test('a container added to the manifest is sent whole with the new element order', () => {
  const original = deployment({ template: { spec: { containers: [{ name: 'a', image: 'x' }] } } });
  const modified = deployment({ template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } });
  assert.deepEqual(createThreeWayMergePatch(original as any, modified as any, original as any, 'Deployment'), {
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'y' }] } } },
  });
});

test('Service ports merge by port, atomic lists are replaced whole', () => {
  const svc = (ports: any[], selector: any) => ({ kind: 'Service', spec: { ports, selector, externalIPs: ['1.1.1.1'] } });
  const patch = createThreeWayMergePatch(svc([{ port: 80 }], { a: 'b' }) as any, { kind: 'Service', spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { a: 'b' }, externalIPs: ['2.2.2.2'] } } as any, svc([{ port: 80 }], { a: 'b' }) as any, 'Service');
  assert.deepEqual(patch, { spec: { '$setElementOrder/ports': [{ port: 80 }], externalIPs: ['2.2.2.2'], ports: [{ port: 80, targetPort: 8080 }] } });
});

test('the two-way patch of edit deletes and changes against the object as shown', () => {
  const before = deployment({ replicas: 1, paused: true, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } });
  const after = deployment({ replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } });
  assert.deepEqual(createTwoWayMergePatch(before as any, after as any, 'Deployment'), {
    spec: {
      paused: null,
      replicas: 3,
      template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.28', name: 'nginx' }] } },
    },
  });
});
