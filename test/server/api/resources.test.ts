import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, json } from '../../support/app.js';

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    ...extra,
  },
});
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const CMS = '/api/v1/namespaces/default/configmaps';

test('create fills metadata and defaults, get returns the stored object', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'POST', url: DEPLOYS, payload: deployment('web') });
  assert.equal(res.statusCode, 201);
  const d = json(res);
  assert.match(d.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.equal(d.metadata.generation, 1);
  assert.equal(d.metadata.namespace, 'default');
  assert.equal(d.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(d.spec.strategy.type, 'RollingUpdate');
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  const got = json(await app.inject({ url: `${DEPLOYS}/web` }));
  assert.deepEqual(got, d);
  const dup = await app.inject({ method: 'POST', url: DEPLOYS, payload: deployment('web') });
  assert.equal(dup.statusCode, 409);
  assert.equal(json(dup).message, 'deployments.apps "web" already exists');
  assert.equal(json(dup).reason, 'AlreadyExists');
});

test('generateName makes a 5-character suffix from the apiserver alphabet', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'POST', url: CMS, payload: { metadata: { generateName: 'cfg-' } } });
  assert.equal(res.statusCode, 201);
  assert.match(json(res).metadata.name, /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('list filters by label and field selectors and pages with limit/continue', async (t) => {
  const { app } = await buildTestApp(t);
  for (const [n, tier] of [['a', 'fe'], ['b', 'be'], ['c', 'fe'], ['d', 'fe']]) {
    await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: n!, labels: { tier: tier! } } } });
  }
  const names = (body: Record<string, any>): string[] => body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
  assert.deepEqual(names(json(await app.inject({ url: `${CMS}?labelSelector=tier%3Dfe` }))), ['a', 'c', 'd']);
  assert.deepEqual(names(json(await app.inject({ url: `${CMS}?labelSelector=tier%20notin%20(fe)` }))), ['b']);
  assert.deepEqual(names(json(await app.inject({ url: `${CMS}?fieldSelector=metadata.name!%3Da` }))), ['b', 'c', 'd']);
  const page1 = json(await app.inject({ url: `${CMS}?limit=2` }));
  assert.deepEqual(names(page1), ['a', 'b']);
  assert.equal(page1.metadata.remainingItemCount, 2);
  const page2 = json(await app.inject({ url: `${CMS}?limit=2&continue=${encodeURIComponent(page1.metadata.continue)}` }));
  assert.deepEqual(names(page2), ['c', 'd']);
  assert.equal(page2.metadata.continue, undefined);
  assert.equal(page2.metadata.resourceVersion, page1.metadata.resourceVersion);
  const bad = await app.inject({ url: `${CMS}?fieldSelector=spec.nope%3Dx` });
  assert.equal(bad.statusCode, 400);
  assert.equal(json(bad).message, 'field label not supported: spec.nope');
});

test('update with a stale resourceVersion is a 409 with the apiserver message', async (t) => {
  const { app } = await buildTestApp(t);
  const created = json(await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'cfg' }, data: { a: '1' } } }));
  const ok = await app.inject({ method: 'PUT', url: `${CMS}/cfg`, payload: { ...created, data: { a: '2' } } });
  assert.equal(ok.statusCode, 200);
  assert.notEqual(json(ok).metadata.resourceVersion, created.metadata.resourceVersion);
  const stale = await app.inject({ method: 'PUT', url: `${CMS}/cfg`, payload: { ...created, data: { a: '3' } } });
  assert.equal(stale.statusCode, 409);
  assert.equal(json(stale).message, 'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again');
});

test('generation moves on spec changes only; status writes keep the spec', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: DEPLOYS, payload: deployment('web') });
  const labeled = json(await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { metadata: { labels: { tier: 'fe' } } } }));
  assert.equal(labeled.metadata.generation, 1);
  const scaled = json(await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { spec: { replicas: 5 } } }));
  assert.equal(scaled.metadata.generation, 2);
  const st = await app.inject({ method: 'PUT', url: `${DEPLOYS}/web/status`, payload: { ...scaled, spec: { ...scaled.spec, replicas: 9 }, status: { replicas: 5, observedGeneration: 2 } } });
  assert.equal(st.statusCode, 200);
  assert.equal(json(st).spec.replicas, 5);
  assert.equal(json(st).status.observedGeneration, 2);
  const main = json(await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { status: { replicas: 1 } } }));
  assert.equal(main.status.replicas, 5, 'main-resource writes keep the stored status');
});

test('a status write is validated by the status strategy: counters, not the spec', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: DEPLOYS, payload: deployment('web') });
  const status = (body: Record<string, unknown>) => app.inject({ method: 'PATCH', url: `${DEPLOYS}/web/status`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { status: body } });
  const neg = await status({ replicas: -1 });
  assert.equal(neg.statusCode, 422);
  // As in Go, an absent counter is 0, and 0 is more than -1.
  const above = (f: string) => `status.${f}: Invalid value: 0: cannot be greater than status.replicas`;
  assert.equal(json(neg).message, `Deployment.apps "web" is invalid: [status.replicas: Invalid value: -1: must be greater than or equal to 0, ${above('updatedReplicas')}, ${above('readyReplicas')}, ${above('availableReplicas')}]`);
  const over = await status({ replicas: 1, readyReplicas: 2, availableReplicas: 2 });
  assert.equal(json(over).message, 'Deployment.apps "web" is invalid: [status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas, status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas]');
  assert.equal((await status({ replicas: 2, readyReplicas: 2, availableReplicas: 2, collisionCount: 3 })).statusCode, 200);
  const down = await status({ collisionCount: 1 });
  assert.equal(json(down).message, 'Deployment.apps "web" is invalid: status.collisionCount: Invalid value: 1: cannot be decremented');
  // The spec is the stored one: a spec in the body is neither applied nor validated.
  const spec = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web/status`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { spec: { replicas: -5 }, status: { replicas: 2 } } });
  assert.equal(spec.statusCode, 200, spec.body);
  assert.equal(json(spec).spec.replicas, 2);
});

test('a pod status write may not bring a terminated container back unless the pod restarts it', async (t) => {
  const { app } = await buildTestApp(t);
  const PODS = '/api/v1/namespaces/default/pods';
  const terminated = (exitCode: number) => ({ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } } });
  const running = { name: 'c', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: {} } };
  const write = (name: string, containerStatuses: unknown[]) => app.inject({ method: 'PATCH', url: `${PODS}/${name}/status`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { status: { containerStatuses } } });
  for (const [name, restartPolicy, exitCode, code] of [['never', 'Never', 1, 422], ['onfailure-ok', 'OnFailure', 0, 422], ['onfailure-failed', 'OnFailure', 1, 200], ['always', 'Always', 0, 200]] as const) {
    await app.inject({ method: 'POST', url: PODS, payload: { metadata: { name }, spec: { restartPolicy, nodeName: 'nowhere', containers: [{ name: 'c', image: 'busybox' }] } } });
    assert.equal((await write(name, [terminated(exitCode)])).statusCode, 200);
    const back = await write(name, [running]);
    assert.equal(back.statusCode, code, `${name}: ${back.body}`);
    if (code === 422) assert.equal(json(back).message, `Pod "${name}" is invalid: status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state`);
  }
});

test('scale subresource reads and writes spec.replicas as an autoscaling/v1 Scale', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: DEPLOYS, payload: deployment('web') });
  const scale = json(await app.inject({ url: `${DEPLOYS}/web/scale` }));
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.equal(scale.spec.replicas, 2);
  assert.equal(scale.status.selector, 'app=web');
  const patched = json(await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web/scale`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { spec: { replicas: 4 } } }));
  assert.equal(patched.spec.replicas, 4);
  // kubectl scale --current-replicas sends a PUT without a Content-Type header.
  const put = await app.inject({ method: 'PUT', url: `${DEPLOYS}/web/scale`, payload: JSON.stringify({ ...patched, spec: { replicas: 1 } }) });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(json(await app.inject({ url: `${DEPLOYS}/web` })).spec.replicas, 1);
  const stale = await app.inject({ method: 'PUT', url: `${DEPLOYS}/web/scale`, payload: { ...patched, spec: { replicas: 3 } } });
  assert.equal(stale.statusCode, 409);
  const neg = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web/scale`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { spec: { replicas: -1 } } });
  assert.equal(neg.statusCode, 422);
  assert.equal(json(neg).message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
});

test('dryRun=All validates and answers without storing', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'POST', url: `${CMS}?dryRun=All`, payload: { metadata: { name: 'dry' } } });
  assert.equal(res.statusCode, 201);
  assert.equal(json(res).metadata.name, 'dry');
  assert.equal((await app.inject({ url: `${CMS}/dry` })).statusCode, 404);
  await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'keep' } } });
  assert.equal((await app.inject({ method: 'DELETE', url: `${CMS}/keep?dryRun=All` })).statusCode, 200);
  assert.equal((await app.inject({ url: `${CMS}/keep` })).statusCode, 200);
});

test('json patch and merge patch both apply; a failing json patch is rejected', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'cfg', labels: { a: '1', b: '2' } }, data: { k: 'v' } } });
  const jp = json(await app.inject({ method: 'PATCH', url: `${CMS}/cfg`, headers: { 'content-type': 'application/json-patch+json' }, payload: [{ op: 'replace', path: '/metadata/labels', value: { c: '3' } }, { op: 'add', path: '/data/x', value: 'y' }] }));
  assert.deepEqual(jp.metadata.labels, { c: '3' });
  assert.deepEqual(jp.data, { k: 'v', x: 'y' });
  const mp = json(await app.inject({ method: 'PATCH', url: `${CMS}/cfg`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { data: { k: null } } }));
  assert.deepEqual(mp.data, { x: 'y' });
  const bad = await app.inject({ method: 'PATCH', url: `${CMS}/cfg`, headers: { 'content-type': 'application/json-patch+json' }, payload: [{ op: 'remove', path: '/data/missing/deeper' }] });
  assert.equal(bad.statusCode, 422);
});

test('finalizers hold a deleted object until they are removed', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
  const del = await app.inject({ method: 'DELETE', url: `${CMS}/held` });
  assert.equal(del.statusCode, 200);
  assert.ok(json(del).metadata.deletionTimestamp);
  assert.equal((await app.inject({ url: `${CMS}/held` })).statusCode, 200);
  const cleared = await app.inject({ method: 'PATCH', url: `${CMS}/held`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { metadata: { finalizers: null } } });
  assert.equal(cleared.statusCode, 200);
  assert.equal((await app.inject({ url: `${CMS}/held` })).statusCode, 404);
});

test('delete preconditions and deletecollection with a selector', async (t) => {
  const { app } = await buildTestApp(t);
  for (const n of ['a', 'b', 'c']) await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: n, labels: { drop: n === 'c' ? 'no' : 'yes' } } } });
  const pre = await app.inject({ method: 'DELETE', url: `${CMS}/a`, payload: { preconditions: { uid: 'not-the-uid' } } });
  assert.equal(pre.statusCode, 409);
  assert.match(json(pre).message, /^Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
  const coll = await app.inject({ method: 'DELETE', url: `${CMS}?labelSelector=drop%3Dyes` });
  assert.equal(coll.statusCode, 200);
  assert.deepEqual(json(coll).items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
  assert.deepEqual(json(await app.inject({ url: CMS })).items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c']);
});

test('namespaced creates need an existing namespace; deleting a namespace removes its content', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const missing = await app.inject({ method: 'POST', url: '/api/v1/namespaces/nope/configmaps', payload: { metadata: { name: 'x' } } });
  assert.equal(missing.statusCode, 404);
  assert.equal(json(missing).message, 'namespaces "nope" not found');
  await app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: { metadata: { name: 'team' } } });
  await app.inject({ method: 'POST', url: '/api/v1/namespaces/team/configmaps', payload: { metadata: { name: 'x' } } });
  const del = json(await app.inject({ method: 'DELETE', url: '/api/v1/namespaces/team' }));
  assert.equal(del.status.phase, 'Terminating');
  await new Promise((r) => setImmediate(r));
  clock.advance(0);
  assert.equal((await app.inject({ url: '/api/v1/namespaces/team/configmaps/x' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/v1/namespaces/team' })).statusCode, 404);
});

test('events.k8s.io/v1 and core/v1 serve the same stored Event', async (t) => {
  const { app } = await buildTestApp(t);
  const ev = { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started', message: 'Started container', type: 'Normal', count: 1 };
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/namespaces/default/events', payload: ev })).statusCode, 201);
  const v1 = json(await app.inject({ url: '/apis/events.k8s.io/v1/namespaces/default/events/e1' }));
  assert.equal(v1.apiVersion, 'events.k8s.io/v1');
  assert.equal(v1.note, 'Started container');
  assert.equal(v1.regarding.name, 'p');
  assert.equal(v1.deprecatedCount, 1);
});

test('an Event created and replaced through events.k8s.io/v1 is stored as the core/v1 Event', async (t) => {
  const { app } = await buildTestApp(t);
  const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';
  const ev = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e2' }, eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'example.com/ctl', reportingInstance: 'ctl-1', action: 'Testing', reason: 'Tested', note: 'first', type: 'Normal', regarding: { kind: 'Pod', name: 'p', namespace: 'default' } };
  const created = await app.inject({ method: 'POST', url: V1, payload: ev });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(json(created).apiVersion, 'events.k8s.io/v1');
  assert.equal(json(created).note, 'first');
  const core = json(await app.inject({ url: '/api/v1/namespaces/default/events/e2' }));
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'first');
  assert.equal(core.involvedObject.name, 'p');
  assert.equal(core.reportingComponent, 'example.com/ctl');
  assert.equal(core.note, undefined);
  const replaced = await app.inject({ method: 'PUT', url: `${V1}/e2`, payload: { ...(json(created) as object), note: 'second' } });
  assert.equal(replaced.statusCode, 200, replaced.body);
  assert.equal(json(await app.inject({ url: '/api/v1/namespaces/default/events/e2' })).message, 'second');
  const wrong = await app.inject({ method: 'POST', url: V1, payload: { ...ev, apiVersion: 'v1', metadata: { name: 'e3' } } });
  assert.equal(json(wrong).message, 'the API version in the data (v1) does not match the expected API version (events.k8s.io/v1)');
});

test('Table answers carry the kind columns and row metadata', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: DEPLOYS, payload: deployment('web') });
  const res = await app.inject({ url: DEPLOYS, headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
  const table = json(res);
  assert.equal(table.kind, 'Table');
  assert.deepEqual(table.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(table.rows[0].cells.slice(0, 4), ['web', '0/2', 0, 0]);
  assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
  assert.equal(table.rows[0].object.metadata.name, 'web');
});

test('includeObject picks what each Table row carries', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'cfg' }, data: { a: 'b' } } });
  const accept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
  const row = async (q: string) => json(await app.inject({ url: `${CMS}/cfg${q}`, headers: accept })).rows[0];
  assert.equal((await row('')).object.kind, 'PartialObjectMetadata');
  assert.deepEqual((await row('?includeObject=Object')).object.data, { a: 'b' });
  assert.equal((await row('?includeObject=None')).object, undefined);
  const bad = await app.inject({ url: `${CMS}/cfg?includeObject=All`, headers: accept });
  assert.equal(bad.statusCode, 400);
});

test('TokenRequest on a service account answers a signed token with its expiry', async (t) => {
  const { app } = await buildTestApp(t);
  const url = '/api/v1/namespaces/default/serviceaccounts/default/token';
  await new Promise((r) => setImmediate(r));
  const res = await app.inject({ method: 'POST', url, payload: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
  assert.equal(res.statusCode, 201, res.body);
  const tr = json(res);
  assert.equal(tr.kind, 'TokenRequest');
  assert.equal(tr.status.expirationTimestamp, '2026-01-01T01:00:00Z');
  const [, payload] = tr.status.token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  assert.equal(claims.sub, 'system:serviceaccount:default:default');
  assert.equal(claims.exp - claims.iat, 3600);
  const missing = await app.inject({ method: 'POST', url: url.replace('/default/token', '/ghost/token'), payload: {} });
  assert.equal(missing.statusCode, 404);
  assert.equal(json(missing).message, 'serviceaccounts "ghost" not found');
});

test('binding a pod sets its node and PodScheduled once; rebinding is a conflict', async (t) => {
  const { app } = await buildTestApp(t);
  const PODS = '/api/v1/namespaces/default/pods';
  for (const name of ['a', 'b']) {
    await app.inject({ method: 'POST', url: PODS, payload: { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } });
  }
  const bind = await app.inject({ method: 'POST', url: `${PODS}/a/binding`, payload: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'node01' } } });
  assert.equal(bind.statusCode, 201, bind.body);
  assert.equal(json(bind).status, 'Success');
  const pod = json(await app.inject({ url: `${PODS}/a` }));
  assert.equal(pod.spec.nodeName, 'node01');
  assert.deepEqual(pod.status.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }]);
  const again = await app.inject({ method: 'POST', url: `${PODS}/a/binding`, payload: { metadata: { name: 'a' }, target: { name: 'node02' } } });
  assert.equal(again.statusCode, 409);
  assert.equal(json(again).message, 'Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "node01"');
  const viaCollection = await app.inject({ method: 'POST', url: '/api/v1/namespaces/default/bindings', payload: { metadata: { name: 'b' }, target: { name: 'node02' } } });
  assert.equal(viaCollection.statusCode, 201);
  assert.equal(json(await app.inject({ url: `${PODS}/b` })).spec.nodeName, 'node02');
  assert.equal((await app.inject({ url: '/api/v1/namespaces/default/bindings' })).statusCode, 405);
  const missing = await app.inject({ method: 'POST', url: `${PODS}/ghost/binding`, payload: { target: { name: 'node01' } } });
  assert.equal(missing.statusCode, 404);
});
