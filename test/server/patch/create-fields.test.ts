import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { updateManagedFields as remembered } from '../../../server/patch/create-fields.js';
import { sampledStringHash } from '../../../server/patch/fieldpath.js';
import { updateManagedFields } from '../../../server/patch/managed-fields.js';
import { definitionFor } from '../../../server/validation/schema.js';

const EVENT = definitionFor('', 'v1', 'Event');
const opts = (time: string) => ({ manager: 'kubelet', operation: 'Update' as const, apiVersion: 'v1', time, definition: EVENT });

function event(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', name, namespace: 'default' }, reason: 'Pulled', message: `pulled ${name}`,
    source: { component: 'kubelet', host: 'node01' }, count: 1, type: 'Normal', ...extra,
  } as KubeObject;
}

function plain(obj: KubeObject, time: string): unknown {
  updateManagedFields(undefined, obj, opts(time));
  return JSON.parse(JSON.stringify(obj.metadata.managedFields ?? null));
}

test('creates of one shape get the managedFields a full computation gives, other values and times included', () => {
  for (const [i, extra] of [{}, {}, { source: { component: 'kubelet' } }, { reportingInstance: 'x' }, {}].entries()) {
    const time = `2025-01-02T03:04:0${i}.5Z`;
    const got = event(`e${i}`, extra);
    remembered(undefined, got, opts(time));
    assert.deepEqual(JSON.parse(JSON.stringify(got.metadata.managedFields)), plain(event(`e${i}`, extra), time));
  }
});

test('a create that sends managedFields is computed in full', () => {
  const sent = [{ manager: 'other', operation: 'Update', apiVersion: 'v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:note': {} } }];
  for (const extra of [{ series: { count: 2 } }, { related: { kind: 'Pod', name: 'x' }, extraList: ['a'] }]) {
    const a = event('a', extra);
    a.metadata.managedFields = structuredClone(sent);
    remembered(undefined, a, opts('2025-01-02T03:04:05Z'));
    const b = event('a', extra);
    b.metadata.managedFields = structuredClone(sent);
    assert.deepEqual(JSON.parse(JSON.stringify(a.metadata.managedFields)), plain(b, '2025-01-02T03:04:05Z'));
  }
});

const POD = definitionFor('', 'v1', 'Pod');
const podOpts = { manager: 'kube-controller-manager', operation: 'Update' as const, apiVersion: 'v1', time: '2025-01-02T03:04:05Z', definition: POD };

function pod(owner: string, containers: Record<string, unknown>[], finalizers?: string[]): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { generateName: 'web-', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner, controller: true }], ...(finalizers ? { finalizers } : {}) },
    spec: { containers, restartPolicy: 'Always' },
  } as KubeObject;
}

test('creates with lists are remembered by the identity of their items: each gets what a full computation gives', () => {
  const app = (name: string, port?: Record<string, unknown>) => ({ name, image: 'nginx', ...(port ? { ports: [port] } : {}), env: [{ name: 'MODE', value: name }] });
  // Same keys and kinds throughout: only the values that name list items differ.
  const pods = [
    pod('uid-1', [app('a', { containerPort: 80 })]),
    pod('uid-1', [app('a', { containerPort: 80 })]),
    pod('uid-2', [app('a', { containerPort: 80 })]),
    pod('uid-1', [app('b', { containerPort: 80 })]),
    pod('uid-1', [app('a', { containerPort: 8080 })]),
    pod('uid-1', [app('a', { containerPort: 80, protocol: 'UDP' })]),
    pod('uid-1', [app('a'), app('b')]),
    pod('uid-1', [app('b'), app('a')]),
    pod('uid-1', [app('a')], ['example.com/one']),
    pod('uid-1', [app('a')], ['example.com/two']),
  ];
  const seen = new Set<string>();
  for (const p of pods) {
    const got = structuredClone(p);
    remembered(undefined, got, podOpts);
    const want = structuredClone(p);
    updateManagedFields(undefined, want, podOpts);
    const fields = JSON.stringify(got.metadata.managedFields);
    assert.equal(fields, JSON.stringify(want.metadata.managedFields));
    seen.add(fields);
  }
  // Different items make different sets, except for the repeated first pod and the containers in
  // the other order (a list-map's set has no order).
  assert.equal(seen.size, pods.length - 2);
});

test('shapes the memo hashes alike are still told apart, and one key order stands for all', () => {
  // Keys that differ only where the hash does not look mix into one hash; so do values of one kind
  // wherever their value is not part of the shape.
  assert.equal(sampledStringHash('abcdeXghi'), sampledStringHash('abcdeYghi'));
  const cases: Array<Record<string, unknown>> = [
    { metadata: { name: 'k', namespace: 'default', labels: { abcdeXghi: 'v' } } },
    { metadata: { name: 'k', namespace: 'default', labels: { abcdeYghi: 'v' } } },
    { data: { n: 1 } }, { data: { n: 'x' } }, { data: { n: { m: 1 } } }, { data: { n: null } }, { data: { n: [1] } }, { data: { n: [2] } }, { data: { n: [] } },
  ];
  const seen = new Set<string>();
  for (const extra of cases) {
    const got = event('k', extra);
    remembered(undefined, got, opts('2025-01-02T03:04:05Z'));
    const fields = JSON.stringify(got.metadata.managedFields);
    assert.equal(fields, JSON.stringify(plain(event('k', extra), '2025-01-02T03:04:05Z')));
    seen.add(fields);
  }
  // The two labels own different fields; under a field the schema does not know, a nested object
  // owns its keys and any other value is one leaf.
  assert.equal(seen.size, 4);
  const backwards = Object.fromEntries(Object.entries(event('r')).reverse()) as KubeObject;
  remembered(undefined, backwards, opts('2025-01-02T03:04:05Z'));
  assert.equal(JSON.stringify(backwards.metadata.managedFields), JSON.stringify(plain(event('r'), '2025-01-02T03:04:05Z')));
});

test('objects that differ in their owners share a shape: each gets its own owner references in the set a full computation gives', () => {
  const RS = definitionFor('apps', 'v1', 'ReplicaSet');
  const rsOpts = { ...podOpts, apiVersion: 'apps/v1', definition: RS };
  const ref = (uid: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: `d-${uid}`, uid, controller: true, blockOwnerDeletion: true, ...extra });
  const rs = (owners: unknown): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, ownerReferences: owners },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  } as KubeObject);
  // Two owners whose elements sort the other way round once renamed; items with keys of their own;
  // then lists left whole in the shape (a repeated uid, a uid that is not a string, a nested value).
  const cases = [
    [ref('b')], [ref('c')], [ref('a')], [ref('a'), ref('z')], [ref('y'), ref('b')], [ref('m'), ref('c')],
    [ref('p', { controller: false })], [ref('q', { controller: false })], [ref('r', { note: 'x' })], [{ uid: 's' }], [{ uid: 't' }],
    [ref('d'), ref('d')], [ref('e'), ref('e')], [ref('f', { uid: 7 })], [ref('g', { extra: { n: 1 } })], [ref('h', { extra: { n: 2 } })],
  ];
  const seen = new Set<string>();
  for (const owners of cases) {
    const got = rs(structuredClone(owners));
    remembered(undefined, got, rsOpts);
    const want = rs(structuredClone(owners));
    updateManagedFields(undefined, want, rsOpts);
    const fields = JSON.stringify(got.metadata.managedFields);
    assert.equal(fields, JSON.stringify(want.metadata.managedFields));
    seen.add(fields);
  }
  // Every case names other owners: no two sets are alike.
  assert.equal(seen.size, cases.length);
});
