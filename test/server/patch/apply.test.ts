import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ApplyConflictError, serverSideApply } from '../../../server/patch/apply.js';
import { updateManagedFields } from '../../../server/patch/managed-fields.js';
import { definitionFor } from '../../../server/validation/schema.js';

type Obj = Record<string, any>;

const T1 = '2025-01-02T03:04:05Z';
const T2 = '2025-01-02T03:10:00Z';
const DEPLOYMENT = definitionFor('apps', 'v1', 'Deployment');

function manifest(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager = 'kubectl', force = false, time = T1): KubeObject {
  return serverSideApply(live, applied, { manager, force, apiVersion: 'apps/v1', time, definition: DEPLOYMENT });
}

function entries(obj: KubeObject): Obj[] {
  return (obj.metadata.managedFields ?? []) as Obj[];
}

function entry(obj: KubeObject, manager: string): Obj | undefined {
  return entries(obj).find((e) => e.manager === manager);
}

function conflictOf(fn: () => unknown): ApplyConflictError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplyConflictError) return err;
    throw err;
  }
  assert.fail('expected an ApplyConflictError');
}

const CREATED_FIELDS =
  '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},' +
  '"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},' +
  '"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}';

describe('serverSideApply', () => {
  test('create: the object as applied plus one Apply entry with exact FieldsV1', () => {
    const out = apply(undefined, manifest());
    const { managedFields, ...metadata } = out.metadata;
    assert.deepEqual({ ...out, metadata }, manifest());
    assert.equal(entries(out).length, 1);
    const e = entries(out)[0]!;
    assert.deepEqual(Object.keys(e), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    assert.deepEqual(
      { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: e.fieldsType },
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1' },
    );
    // Containers keyed by name, ports by containerPort + defaulted protocol, "." before fields.
    assert.equal(JSON.stringify(e.fieldsV1), CREATED_FIELDS);
  });

  test('time is stored with whole seconds', () => {
    const out = apply(undefined, manifest(), 'kubectl', false, '2025-01-02T03:04:05.678Z');
    assert.equal(entries(out)[0]!.time, T1);
  });

  test('a second apply that drops a field removes it from the object and the entry', () => {
    const first = manifest();
    first.metadata.labels = { app: 'web', tier: 'fe' };
    const live = apply(undefined, first);
    const second = manifest();
    delete (second.spec as Obj).replicas;
    const out = apply(live, second, 'kubectl', false, T2);
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.equal((out.spec as Obj).replicas, undefined);
    const fields = entry(out, 'kubectl')!.fieldsV1;
    assert.deepEqual(fields['f:metadata'], { 'f:labels': { 'f:app': {} } });
    assert.equal('f:replicas' in fields['f:spec'], false);
    assert.equal(entry(out, 'kubectl')!.time, T2);
  });

  test('a dropped field another manager also owns stays', () => {
    const live = apply(undefined, manifest());
    const shared = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }, 'helm');
    const second = manifest();
    delete (second.spec as Obj).replicas;
    const out = apply(shared, second);
    assert.equal((out.spec as Obj).replicas, 2);
    assert.deepEqual(entry(out, 'helm')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });

  test('a dropped container goes with every field inside it', () => {
    const two = manifest();
    (two.spec as Obj).template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    const live = apply(undefined, two);
    const out = apply(live, manifest());
    assert.deepEqual(
      (out.spec as Obj).template.spec.containers.map((c: Obj) => c.name),
      ['nginx'],
    );
  });

  test('another manager changing an owned value conflicts with the exact message', () => {
    const live = apply(undefined, manifest());
    const change = manifest();
    (change.spec as Obj).replicas = 5;
    const err = conflictOf(() => apply(live, change, 'helm'));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    assert.deepEqual(err.conflicts, [{ manager: 'kubectl', apiVersion: 'apps/v1', field: '.spec.replicas', message: 'conflict with "kubectl"' }]);
    assert.equal(err.name, 'ApplyConflictError');
  });

  test('several conflicts are grouped per manager, one path per line', () => {
    const created = apply(undefined, manifest());
    const edited = structuredClone(created);
    (edited.spec as Obj).replicas = 3;
    (edited.spec as Obj).template.spec.containers[0].image = 'nginx:1.26';
    updateManagedFields(created, edited, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', time: T2, definition: DEPLOYMENT });
    const change = manifest();
    (change.spec as Obj).replicas = 4;
    (change.spec as Obj).template.spec.containers[0].image = 'nginx:1.27';
    const err = conflictOf(() => apply(edited, change));
    assert.equal(
      err.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    assert.deepEqual(
      err.conflicts.map((c) => c.message),
      ['conflict with "kubectl-edit" using apps/v1', 'conflict with "kubectl-edit" using apps/v1'],
    );
  });

  test('applying the value another manager set is not a conflict and shares ownership', () => {
    const live = apply(undefined, manifest());
    const same = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }, 'helm');
    assert.deepEqual(entry(same, 'helm')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.ok('f:replicas' in entry(same, 'kubectl')!.fieldsV1['f:spec']);
  });

  test('force moves ownership of the conflicting fields', () => {
    const live = apply(undefined, manifest());
    const change = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } };
    const out = apply(live, change, 'helm', true, T2);
    assert.equal((out.spec as Obj).replicas, 5);
    assert.deepEqual(entry(out, 'helm')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal('f:replicas' in entry(out, 'kubectl')!.fieldsV1['f:spec'], false);
    assert.deepEqual(entries(out).map((e) => e.manager), ['kubectl', 'helm']);
  });

  test('an Update after an apply takes what it changed; re-applying the old value then conflicts', () => {
    const live = apply(undefined, manifest());
    const edited = structuredClone(live);
    (edited.spec as Obj).replicas = 3;
    updateManagedFields(live, edited, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', time: T2, definition: DEPLOYMENT });
    assert.deepEqual(
      entries(edited).map((e) => [e.manager, e.operation]),
      [['kubectl', 'Apply'], ['kubectl-edit', 'Update']],
    );
    assert.deepEqual(entry(edited, 'kubectl-edit')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal('f:replicas' in entry(edited, 'kubectl')!.fieldsV1['f:spec'], false);
    const err = conflictOf(() => apply(edited, manifest()));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  test('keyed lists merge by key and keep live-only items owned by others', () => {
    const live = apply(undefined, manifest());
    const sidecar = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } },
    };
    const both = apply(live, sidecar, 'helm');
    const update = manifest();
    (update.spec as Obj).template.spec.containers[0].image = 'nginx:1.26';
    const out = apply(both, update);
    const containers = (out.spec as Obj).template.spec.containers as Obj[];
    assert.deepEqual(containers.map((c) => [c.name, c.image]), [['nginx', 'nginx:1.26'], ['sidecar', 'busybox']]);
    assert.deepEqual(containers[0]!.ports, [{ containerPort: 80 }]);
  });

  test('atomic lists are replaced whole', () => {
    const first = manifest();
    (first.spec as Obj).template.spec.containers[0].args = ['a', 'b'];
    const second = manifest();
    (second.spec as Obj).template.spec.containers[0].args = ['c'];
    const out = apply(apply(undefined, first), second);
    assert.deepEqual((out.spec as Obj).template.spec.containers[0].args, ['c']);
    const container = entry(out, 'kubectl')!.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}'];
    assert.deepEqual(container['f:args'], {});
  });

  test('finalizers are a set: one v: element per value', () => {
    const m = manifest();
    m.metadata.finalizers = ['a', 'example.com/b'];
    const live = apply(undefined, m);
    assert.deepEqual(entry(live, 'kubectl')!.fieldsV1['f:metadata']['f:finalizers'], { 'v:"a"': {}, 'v:"example.com/b"': {} });
    const other = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['c'] } }, 'helm');
    assert.deepEqual(other.metadata.finalizers, ['a', 'example.com/b', 'c']);
  });

  test('server-set metadata, status and managedFields in the manifest are never owned', () => {
    const m = manifest();
    Object.assign(m.metadata, { uid: 'u1', resourceVersion: '5', generation: 3, creationTimestamp: null, managedFields: [{ manager: 'x' }] });
    (m as Obj).status = { replicas: 9 };
    const out = apply(undefined, m);
    assert.equal(entries(out).length, 1);
    assert.equal(JSON.stringify(entries(out)[0]!.fieldsV1), CREATED_FIELDS);
    assert.equal((out as Obj).status, undefined);
  });

  test('a no-op apply keeps the entry time', () => {
    const live = apply(undefined, manifest());
    const again = apply(live, manifest(), 'kubectl', false, T2);
    assert.equal(entry(again, 'kubectl')!.time, T1);
  });
});
