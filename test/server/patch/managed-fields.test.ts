import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { decodeFieldsV1, decodeStoredFieldsV1, encodeFieldsV1, forEachPath, internedFieldsV1, pathString, sampledStringHash, unionSets } from '../../../server/patch/fieldpath.js';
import { deepFreeze } from '../../../server/storage/store.js';
import { defaultFieldManager, soleManagerUpdate, updateManagedFields } from '../../../server/patch/managed-fields.js';
import { definitionFor } from '../../../server/validation/schema.js';

type Obj = Record<string, any>;

const T1 = '2025-01-02T03:04:05Z';
const T2 = '2025-01-02T03:10:00Z';
const DEPLOYMENT = definitionFor('apps', 'v1', 'Deployment');
const CONFIG_MAP = definitionFor('', 'v1', 'ConfigMap');

/** A Deployment as `kubectl create deployment web --image=nginx` stores it, defaults included. */
function created(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1', generation: 1, creationTimestamp: T1, labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', resources: {} }], restartPolicy: 'Always' },
      },
    },
    status: {},
  };
}

function update(old: KubeObject | undefined, next: KubeObject, manager: string, time = T1, extra: Obj = {}): KubeObject {
  updateManagedFields(old, next, { manager, operation: 'Update', apiVersion: 'apps/v1', time, definition: DEPLOYMENT, ...extra });
  return next;
}

function entries(obj: KubeObject): Obj[] {
  return (obj.metadata.managedFields ?? []) as Obj[];
}

describe('defaultFieldManager', () => {
  test('takes the User-Agent up to the first slash', () => {
    assert.equal(defaultFieldManager('kubectl/v1.35.2 (linux/amd64) kubernetes/66452049'), 'kubectl');
    assert.equal(defaultFieldManager('Helm/4.1.4'), 'Helm');
    assert.equal(defaultFieldManager('curl'), 'curl');
  });

  test('drops unprintable characters, caps at 128 bytes, and answers "" without a User-Agent', () => {
    assert.equal(defaultFieldManager('kube\u0007ctl/1'), 'kubectl');
    assert.equal(defaultFieldManager(`${'x'.repeat(200)}/1`), 'x'.repeat(128));
    assert.equal(defaultFieldManager(`${'é'.repeat(100)}`), 'é'.repeat(64));
    assert.equal(defaultFieldManager(undefined), '');
  });
});

describe('updateManagedFields', () => {
  test("a writer keeps what it changed and owned, and loses an untracked path someone wrote into its entry", () => {
    const old = created();
    old.metadata.managedFields = [{
      manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:resourceVersion': {} }, 'f:spec': { 'f:replicas': {} } },
    }];
    deepFreeze(old);
    // As the apiserver's stripMeta does after every write of a manager: by the values-only path
    // (replicas) and by the full comparison (a new label).
    const next = structuredClone(old) as Obj;
    next.metadata.resourceVersion = '2';
    next.spec.replicas = 3;
    update(old, next as KubeObject, 'kubectl-edit', T2);
    assert.deepEqual(entries(next as KubeObject).map((e) => [e.manager, e.time, e.fieldsV1]), [
      ['kubectl-edit', T2, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } }],
    ]);
    const labelled = structuredClone(old) as Obj;
    labelled.metadata.labels.tier = 'web';
    update(old, labelled as KubeObject, 'kubectl-edit', T2);
    assert.deepEqual(entries(labelled as KubeObject).map((e) => [e.manager, e.time, e.fieldsV1]), [
      ['kubectl-edit', T2, { 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } }, 'f:spec': { 'f:replicas': {} } }],
    ]);
  });

  test('a create owns everything it set; "." marks containers that appeared', () => {
    const obj = update(undefined, created(), 'kubectl-create');
    assert.equal(entries(obj).length, 1);
    const e = entries(obj)[0]!;
    assert.deepEqual(
      { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: e.fieldsType },
      { manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1' },
    );
    assert.deepEqual(e.fieldsV1, {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {} } },
            'f:restartPolicy': {},
          },
        },
      },
    });
    assert.equal(JSON.stringify(e.fieldsV1['f:metadata']), '{"f:labels":{".":{},"f:app":{}}}');
  });

  test('uid, resourceVersion, generation, creationTimestamp, name and namespace are never owned', () => {
    const obj = update(undefined, created(), 'kubectl-create');
    const fields = entries(obj)[0]!.fieldsV1;
    assert.deepEqual(Object.keys(fields['f:metadata']), ['f:labels']);
    assert.equal('f:apiVersion' in fields || 'f:kind' in fields, false);
  });

  test('an update takes the fields it changed from their owner; entries left empty disappear', () => {
    const old = update(undefined, created(), 'kubectl-create');
    const next = structuredClone(old);
    (next.spec as Obj).replicas = 3;
    update(old, next, 'kubectl-scale', T2);
    assert.deepEqual(entries(next).map((e) => e.manager), ['kubectl-create', 'kubectl-scale']);
    assert.deepEqual(entries(next)[1]!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal('f:replicas' in entries(next)[0]!.fieldsV1['f:spec'], false);

    // An entry that loses its last field disappears.
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '0' } };
    const cm1 = structuredClone(cm);
    (cm1 as Obj).data.a = '1';
    updateManagedFields(cm, cm1, { manager: 'a', operation: 'Update', apiVersion: 'v1', time: T1, definition: CONFIG_MAP });
    assert.deepEqual(entries(cm1).map((e) => [e.manager, e.fieldsV1]), [['a', { 'f:data': { 'f:a': {} } }]]);
    const cm2 = structuredClone(cm1);
    (cm2 as Obj).data.a = '2';
    updateManagedFields(cm1, cm2, { manager: 'b', operation: 'Update', apiVersion: 'v1', time: T2, definition: CONFIG_MAP });
    assert.deepEqual(entries(cm2).map((e) => [e.manager, e.fieldsV1]), [['b', { 'f:data': { 'f:a': {} } }]]);
  });

  test('entries with the same manager, operation and apiVersion merge; the time moves on', () => {
    const old = update(undefined, created(), 'kubectl-edit');
    const next = structuredClone(old);
    (next.spec as Obj).minReadySeconds = 5;
    update(old, next, 'kubectl-edit', T2);
    assert.equal(entries(next).length, 1);
    assert.equal(entries(next)[0]!.time, T2);
    assert.ok('f:minReadySeconds' in entries(next)[0]!.fieldsV1['f:spec']);
    assert.ok('f:replicas' in entries(next)[0]!.fieldsV1['f:spec']);

    const other = structuredClone(next);
    (other.spec as Obj).paused = true;
    updateManagedFields(next, other, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1beta2', time: T2, definition: DEPLOYMENT });
    assert.deepEqual(entries(other).map((e) => e.apiVersion), ['apps/v1', 'apps/v1beta2']);
  });

  test('a write that changes nothing keeps entries and times', () => {
    const old = update(undefined, created(), 'kubectl-create');
    const next = structuredClone(old);
    next.metadata.resourceVersion = '2';
    update(old, next, 'kubectl-edit', T2);
    assert.deepEqual(next.metadata.managedFields, old.metadata.managedFields);
  });

  test('removed fields leave every entry', () => {
    const old = update(undefined, created(), 'kubectl-create');
    const next = structuredClone(old);
    delete next.metadata.labels;
    update(old, next, 'kubectl-label', T2);
    assert.deepEqual(entries(next).map((e) => e.manager), ['kubectl-create']);
    assert.equal('f:metadata' in entries(next)[0]!.fieldsV1, false);
  });

  test('keys named like Object.prototype members are plain keys: removing one takes it from its owner', () => {
    const first = created();
    first.metadata.labels = { app: 'web', constructor: 'x', toString: 'y' };
    const old = update(undefined, first, 'kubectl-create');
    assert.ok('f:constructor' in entries(old)[0]!.fieldsV1['f:metadata']['f:labels']);
    const next = structuredClone(old);
    next.metadata.labels = { app: 'web', toString: 'y' };
    update(old, next, 'kubectl-label', T2);
    assert.deepEqual(entries(next).map((e) => e.manager), ['kubectl-create']);
    assert.deepEqual(Object.keys(entries(next)[0]!.fieldsV1['f:metadata']['f:labels']).sort(), ['.', 'f:app', 'f:toString']);
  });

  test('status writes are recorded with their subresource and own only status', () => {
    const old = update(undefined, created(), 'kubectl-create');
    const next = structuredClone(old);
    (next as Obj).status = { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] };
    (next.spec as Obj).replicas = 7;
    update(old, next, 'kube-controller-manager', T2, { subresource: 'status' });
    const e = entries(next).find((x) => x.manager === 'kube-controller-manager')!;
    assert.equal(e.subresource, 'status');
    assert.deepEqual(Object.keys(e), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']);
    assert.deepEqual(e.fieldsV1, {
      'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:replicas': {} },
    });
  });

  test('the main resource never takes status', () => {
    const old = update(undefined, created(), 'kubectl-create');
    const next = structuredClone(old);
    (next as Obj).status = { replicas: 4 };
    update(old, next, 'kubectl-edit', T2);
    assert.deepEqual(entries(next).map((e) => e.manager), ['kubectl-create']);
  });
});

describe('FieldsV1', () => {
  test('decodes and encodes back; paths print like the apiserver', () => {
    const fields = {
      'f:metadata': { 'f:finalizers': { 'v:"a"': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:args': { 'i:0': {} } },
    };
    const set = decodeFieldsV1(fields);
    assert.deepEqual(encodeFieldsV1(set), fields);
    const paths: string[] = [];
    forEachPath(set, (p) => paths.push(pathString(p)));
    assert.deepEqual(paths, [
      '.metadata.labels',
      '.metadata.finalizers[="a"]',
      '.metadata.labels.app',
      '.spec.args[0]',
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].port',
    ]);
  });

  test('interned FieldsV1 share every equal subtree, however deep, in the apiserver key order', () => {
    const a = internedFieldsV1(decodeFieldsV1({ 'f:a': { 'f:b': { 'f:c': { 'f:d': {}, 'f:e': {} }, 'f:x': { 'f:1': {} } } } }));
    const b = internedFieldsV1(decodeFieldsV1({ 'f:a': { 'f:b': { 'f:x': { 'f:2': {} }, 'f:c': { 'f:e': {}, 'f:d': {} } } } }));
    const sub = (o: any): unknown => o['f:a']['f:b']['f:c'];
    // Three levels down, under parents that differ: still one object.
    assert.equal(sub(a), sub(b));
    assert.ok(Object.isFrozen(b));
    assert.equal(JSON.stringify(b), '{"f:a":{"f:b":{"f:c":{"f:d":{},"f:e":{}},"f:x":{"f:2":{}}}}}');
    assert.equal(JSON.stringify(internedFieldsV1(decodeFieldsV1({ 'f:labels': { 'f:app': {}, '.': {} } }))), '{"f:labels":{".":{},"f:app":{}}}');
  });

  test('interned nodes that hash alike stay apart: elements differing only where the hash does not look, and the "." flag', () => {
    // Elements that differ only where the hash does not look.
    const spellings = ['f:abcXefg', 'f:abcYefg', 'f:abcZefg'];
    assert.equal(new Set(spellings.map(sampledStringHash)).size, 1);
    const seen = spellings.map((el) => internedFieldsV1(decodeFieldsV1({ 'f:spec': { [el]: {} } })));
    seen.forEach((fields, i) => assert.equal(JSON.stringify(fields), `{"f:spec":{"${spellings[i]}":{}}}`));
    assert.equal(new Set(seen).size, spellings.length);
    // Met again, each is the object first made for it.
    spellings.forEach((el, i) => assert.equal(internedFieldsV1(decodeFieldsV1({ 'f:spec': { [el]: {} } })), seen[i]));
    const member = internedFieldsV1(decodeFieldsV1({ 'f:spec': { '.': {}, 'f:abcXefg': {} } }));
    assert.equal(JSON.stringify(member), '{"f:spec":{".":{},"f:abcXefg":{}}}');
  });

  test('a stored FieldsV1 decodes as a sent one does, and its subtrees decode to one shared set each', () => {
    const cases: Record<string, unknown>[] = [
      { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:ports': { 'k:{"protocol":"TCP","port":80}': { '.': {}, 'f:port': {} } } } },
      // Unknown and malformed elements are dropped; two spellings of one key merge; "." at the root is ignored.
      { '.': {}, 'x:odd': {}, 'k:[1]': {}, 'f:a': { 'k:{"b":1,"a":2}': { 'f:x': {} }, 'k:{"a":2,"b":1}': { 'f:y': {} } } },
      { 'f:a': { 'x:odd': {} } },
      {},
    ];
    for (const fields of cases) {
      const stored = deepFreeze(structuredClone(fields));
      assert.deepEqual(decodeStoredFieldsV1(stored), decodeFieldsV1(fields));
      assert.deepEqual(encodeFieldsV1(decodeStoredFieldsV1(stored)), encodeFieldsV1(decodeFieldsV1(fields)));
    }
    const status = internedFieldsV1(decodeFieldsV1({ 'f:status': { 'f:phase': {}, 'f:podIP': {} } }));
    const other = internedFieldsV1(decodeFieldsV1({ 'f:status': { 'f:phase': {}, 'f:podIP': {} }, 'f:spec': { 'f:x': {} } }));
    assert.equal(decodeStoredFieldsV1(status).children.get('f:status'), decodeStoredFieldsV1(other).children.get('f:status'));
    // A set that keeps a decoded subtree encodes it back to the stored object.
    const grown = unionSets(decodeStoredFieldsV1(status), decodeFieldsV1({ 'f:metadata': { 'f:labels': {} } }));
    assert.equal((internedFieldsV1(grown) as Record<string, unknown>)['f:status'], (status as Record<string, unknown>)['f:status']);
  });

  test('a subtree in use stays interned while ever new one-object subtrees come and go', () => {
    const shared = { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } } };
    const first = internedFieldsV1(decodeFieldsV1({ 'f:status': { ...shared, 'f:podIPs': { 'k:{"ip":"10.0.0.0"}': {} } } })) as any;
    for (let i = 1; i < 20_000; i++) {
      const encoded = internedFieldsV1(decodeFieldsV1({ 'f:status': { ...shared, 'f:podIPs': { [`k:{"ip":"10.0.${i >> 8}.${i & 255}"}`]: {} } } })) as any;
      assert.equal(encoded['f:status']['f:conditions'], first['f:status']['f:conditions']);
    }
  });

  test('elements are encoded in code unit order, in small and in large nodes', () => {
    for (const count of [5, 40]) {
      const names = Array.from({ length: count }, (_, i) => `f:n${(i * 7919) % count}`).concat(['f:N', 'f:_', 'f:é']);
      const set = decodeFieldsV1({ 'f:spec': Object.fromEntries(names.map((n) => [n, {}])) });
      assert.deepEqual(Object.keys((internedFieldsV1(set) as any)['f:spec']), [...names].sort());
    }
  });

  test('key elements are normalised: fields sorted by name', () => {
    const set = decodeFieldsV1({ 'k:{"protocol":"TCP","containerPort":80}': {} });
    assert.deepEqual(encodeFieldsV1(set), { 'k:{"containerPort":80,"protocol":"TCP"}': {} });
  });

  test('two spellings of one element each add to it, as structured-merge-diff reads them: `{}` makes it a member', () => {
    const fields = { 'f:a': { 'k:{"b":1,"a":2}': { 'f:x': {} }, 'k:{"a":2,"b":1}': {} } };
    const expected = { 'f:a': { 'k:{"a":2,"b":1}': { '.': {}, 'f:x': {} } } };
    assert.deepEqual(encodeFieldsV1(decodeFieldsV1(fields)), expected);
    assert.deepEqual(encodeFieldsV1(decodeStoredFieldsV1(deepFreeze(structuredClone(fields)))), expected);
  });
});

describe('updateManagedFields, values only', () => {
  const LEASE = definitionFor('coordination.k8s.io', 'v1', 'Lease');
  const renew = (old: KubeObject | undefined, next: KubeObject, manager: string, time: string): KubeObject => {
    updateManagedFields(old, next, { manager, operation: 'Update', apiVersion: 'coordination.k8s.io/v1', time, definition: LEASE });
    return next;
  };
  const lease = (renewTime: string, holder = 'node01'): KubeObject => ({
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node01', namespace: 'kube-node-lease' },
    spec: { holderIdentity: holder, leaseDurationSeconds: 40, renewTime },
  });
  const withFields = (obj: KubeObject, from: KubeObject): KubeObject => ({ ...obj, metadata: { ...obj.metadata, managedFields: from.metadata.managedFields } });

  test('the owner changing its own value keeps its set and moves its time', () => {
    const first = renew(undefined, lease('2025-01-02T03:04:05.000000Z'), 'kubelet', T1);
    const second = renew(first, withFields(lease('2025-01-02T03:04:15.000000Z'), first), 'kubelet', T2);
    assert.deepEqual(entries(second).map((e) => [e.manager, e.time]), [['kubelet', T2]]);
    assert.deepEqual(entries(second)[0]!.fieldsV1, entries(first)[0]!.fieldsV1);
  });

  test('a value another manager owns moves to the writer; a value nobody owned is added to it', () => {
    const first = renew(undefined, lease('2025-01-02T03:04:05.000000Z'), 'kubelet', T1);
    const taken = renew(first, withFields(lease('2025-01-02T03:04:05.000000Z', 'node02'), first), 'operator', T2);
    assert.deepEqual(entries(taken).map((e) => [e.manager, e.time, pathsOf(e.fieldsV1)]), [
      ['kubelet', T1, ['.spec.leaseDurationSeconds', '.spec.renewTime']],
      ['operator', T2, ['.spec.holderIdentity']],
    ]);
    const again = renew(taken, withFields(lease('2025-01-02T03:04:25.000000Z', 'node02'), taken), 'operator', T2);
    assert.deepEqual(entries(again).map((e) => [e.manager, pathsOf(e.fieldsV1)]), [
      ['kubelet', ['.spec.leaseDurationSeconds']],
      ['operator', ['.spec.holderIdentity', '.spec.renewTime']],
    ]);
  });

  test('soleManagerUpdate: the only manager changing a value it owns gets what updateManagedFields gives, else nothing', () => {
    const stored = (o: KubeObject) => deepFreeze(o).metadata.managedFields;
    const first = renew(undefined, lease('2025-01-02T03:04:05.000000Z'), 'kubelet', T1);
    const opts = { manager: 'kubelet', apiVersion: 'coordination.k8s.io/v1', time: '2025-01-02T03:10:00.123456Z' };
    const general = renew(first, withFields(lease('2025-01-02T03:04:15.000000Z'), first), 'kubelet', opts.time);
    const sole = soleManagerUpdate(stored(first), opts, [['spec', 'renewTime']]);
    assert.equal(JSON.stringify(sole), JSON.stringify(general.metadata.managedFields));
    assert.equal(sole![0]!.fieldsV1, entries(first)[0]!.fieldsV1, 'the stored fieldsV1 is kept');
    assert.equal(soleManagerUpdate(stored(first), { ...opts, manager: 'kube-controller-manager' }, [['spec', 'renewTime']]), undefined);
    assert.equal(soleManagerUpdate(stored(first), { ...opts, apiVersion: 'coordination.k8s.io/v1beta1' }, [['spec', 'renewTime']]), undefined);
    assert.equal(soleManagerUpdate(stored(first), opts, [['spec', 'acquireTime']]), undefined, 'a value it does not own');
    const taken = renew(first, withFields(lease('2025-01-02T03:04:05.000000Z', 'node02'), first), 'operator', T2);
    assert.equal(soleManagerUpdate(stored(taken), opts, [['spec', 'renewTime']]), undefined, 'two managers');
    const entry = entries(first)[0]!;
    const unfrozen = [{ ...entry, fieldsV1: JSON.parse(JSON.stringify(entry.fieldsV1)) }];
    assert.equal(soleManagerUpdate(unfrozen, opts, [['spec', 'renewTime']]), undefined, 'a fieldsV1 not from storage');
    const untracked = deepFreeze([{ ...entry, fieldsV1: { ...entry.fieldsV1, 'f:metadata': { 'f:resourceVersion': {} } } }]);
    assert.equal(soleManagerUpdate(untracked, opts, [['spec', 'renewTime']]), undefined, 'a path stripMeta would drop');
    const reordered = deepFreeze([{ operation: entry.operation, ...entry }]);
    assert.equal(soleManagerUpdate(reordered, opts, [['spec', 'renewTime']]), undefined, 'keys out of the encoded order');
  });
});

describe('value changes inside list items', () => {
  const status = (progressing: Obj, available: Obj = { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok' }): KubeObject => ({
    ...created(),
    status: { observedGeneration: 1, replicas: 1, conditions: [available, { type: 'Progressing', status: 'True', ...progressing }] },
  });
  const write = (old: KubeObject | undefined, next: KubeObject, manager: string, time: string): KubeObject =>
    update(old, old ? { ...next, metadata: { ...next.metadata, managedFields: old.metadata.managedFields } } : next, manager, time, { subresource: 'status' });
  const paths = (obj: KubeObject): Array<[string, string, string[]]> => entries(obj).map((e) => [e.manager, e.time, allPathsOf(e.fieldsV1)]);

  test("the owner changing a condition's values keeps its set and moves its time", () => {
    const first = write(undefined, status({ reason: 'NewReplicaSetCreated', lastUpdateTime: T1 }), 'kube-controller-manager', T1);
    const second = write(first, status({ reason: 'NewReplicaSetAvailable', lastUpdateTime: T2 }), 'kube-controller-manager', T2);
    assert.deepEqual(paths(second), [['kube-controller-manager', T2, allPathsOf(entries(first)[0]!.fieldsV1)]]);
    assert.equal(entries(second)[0]!.fieldsV1, entries(first)[0]!.fieldsV1);
  });

  test("a condition's value another manager owns moves to the writer", () => {
    const first = write(undefined, status({ reason: 'NewReplicaSetCreated' }), 'kube-controller-manager', T1);
    const edited = write(first, status({ reason: 'NewReplicaSetCreated' }, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'edited' }), 'kubectl-edit', T2);
    const available = '.status.conditions[type="Available"]';
    assert.deepEqual(paths(edited).map(([m, , p]) => [m, p.filter((x) => x.startsWith(available))]), [
      ['kube-controller-manager', [available, `${available}.reason`, `${available}.status`, `${available}.type`]],
      ['kubectl-edit', [`${available}.message`]],
    ]);
    const back = write(edited, status({ reason: 'NewReplicaSetCreated' }), 'kube-controller-manager', T2);
    assert.deepEqual(paths(back).map(([m, , p]) => [m, p.filter((x) => x.startsWith(available))]), [
      ['kube-controller-manager', [available, `${available}.message`, `${available}.reason`, `${available}.status`, `${available}.type`]],
    ]);
  });

  test('items in another order or with another key are changes of the list, not of values', () => {
    const first = write(undefined, status({ reason: 'NewReplicaSetCreated' }), 'kube-controller-manager', T1);
    const reordered: KubeObject = { ...first, status: { ...(first.status as Obj), conditions: [...(first.status as Obj).conditions].reverse() } };
    const same = write(first, reordered, 'kube-controller-manager', T2);
    assert.deepEqual(paths(same), paths(first));
    const renamed = status({ reason: 'NewReplicaSetCreated' }, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'ok' });
    const replaced = write(first, renamed, 'kube-controller-manager', T2);
    assert.ok(allPathsOf(entries(replaced)[0]!.fieldsV1).includes('.status.conditions[type="ReplicaFailure"].reason'));
    assert.ok(!allPathsOf(entries(replaced)[0]!.fieldsV1).some((p) => p.includes('"Available"')));
  });
});

function allPathsOf(fieldsV1: unknown): string[] {
  const out: string[] = [];
  forEachPath(decodeFieldsV1(fieldsV1), (p) => out.push(pathString(p)));
  return out.sort();
}

function pathsOf(fieldsV1: unknown): string[] {
  const out: string[] = [];
  forEachPath(decodeFieldsV1(fieldsV1), (p) => out.push(pathString(p)));
  return out.filter((p) => p !== '.spec').sort();
}

test('objects with the same field sets share one frozen FieldsV1 object', () => {
  const a = update(undefined, created(), 'kube-controller-manager');
  const b = update(undefined, { ...created(), metadata: { ...created().metadata, name: 'other', uid: 'u2' } }, 'kube-controller-manager');
  assert.equal(entries(a)[0]!.fieldsV1, entries(b)[0]!.fieldsV1);
  assert.ok(Object.isFrozen(entries(a)[0]!.fieldsV1));
  const scaled = created();
  (scaled.spec as Obj).replicas = 3;
  const c = update(a, { ...scaled, metadata: { ...scaled.metadata, managedFields: a.metadata.managedFields } }, 'kubectl-scale', T2);
  assert.notEqual(entries(c).find((e) => e.manager === 'kube-controller-manager')!.fieldsV1, entries(a)[0]!.fieldsV1);
});

test('sets that differ in one part share their other top-level parts and every leaf', () => {
  const a = update(undefined, created(), 'kube-controller-manager');
  const other = created();
  other.metadata.labels = { app: 'web', tier: 'front' };
  const b = update(undefined, other, 'kube-controller-manager');
  const [fa, fb] = [entries(a)[0]!.fieldsV1, entries(b)[0]!.fieldsV1];
  assert.notEqual(fa, fb);
  assert.notEqual(fa['f:metadata'], fb['f:metadata']);
  assert.equal(fa['f:spec'], fb['f:spec']);
  assert.ok(Object.isFrozen(fa['f:spec']));
  assert.equal(fa['f:metadata']['f:labels']['f:app'], fb['f:metadata']['f:labels']['f:tier']);
  assert.deepEqual(fb['f:metadata']['f:labels'], { '.': {}, 'f:app': {}, 'f:tier': {} });
});
