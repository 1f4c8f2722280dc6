import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countHolds, describeCount, evaluateCheck, rolloutPending, type ClusterView } from '../../../cli/drill/evaluate.js';
import type { DrillCheck, ObjectRef } from '../../../schemas/drill.js';

/** An in-memory cluster: objects by kind; equality-only label selectors as the checks use them. */
function fakeView(objects: Record<string, any[]>): ClusterView {
  const matches = (obj: any, selector?: string) =>
    !selector || selector.split(',').every((term) => { const [k, v] = term.split('='); return obj.metadata?.labels?.[k!] === v; });
  return {
    async get(ref: ObjectRef) {
      return (objects[ref.kind] ?? []).find((o) => o.metadata.name === ref.name && (o.metadata.namespace ?? 'default') === (ref.namespace ?? 'default'));
    },
    async list(kind, opts) {
      return (objects[kind] ?? []).filter((o) => (!opts.namespace || (o.metadata.namespace ?? 'default') === opts.namespace) && matches(o, opts.labelSelector));
    },
  };
}

const pod = (name: string, o: { node?: string; phase?: string; ready?: boolean; image?: string; waiting?: string; unschedulable?: boolean; deleting?: boolean } = {}) => ({
  metadata: { name, namespace: 'default', labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: o.node, containers: [{ name: 'c', image: o.image ?? 'nginx:1.27' }] },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [
      { type: 'Ready', status: o.ready === false ? 'False' : 'True' },
      ...(o.unschedulable ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] : []),
    ],
    containerStatuses: o.waiting ? [{ name: 'c', state: { waiting: { reason: o.waiting } } }] : [{ name: 'c', state: { running: {} } }],
  },
});

const deployment = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'web', namespace: 'default', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '3' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  status: { observedGeneration: 2, ...status },
  ...extra,
});

const check = async (c: Omit<DrillCheck, 'name'>, objects: Record<string, any[]>) => evaluateCheck({ name: 'x', ...c }, fakeView(objects));

test('field checks render a kubectl JSONPath and compare it as text', async () => {
  const objects = { Deployment: [deployment({})] };
  const ref = { kind: 'Deployment', name: 'web' };
  assert.equal((await check({ field: { object: ref, path: '{.spec.replicas}', equals: 3 } }, objects)).pass, true);
  const wrong = await check({ field: { object: ref, path: '{.spec.template.spec.containers[0].image}', equals: 'nginx:1.25' } }, objects);
  assert.deepEqual(wrong, {
    name: 'x',
    pass: false,
    expected: 'Deployment default/web with {.spec.template.spec.containers[0].image} = "nginx:1.25"',
    found: '{.spec.template.spec.containers[0].image} = "nginx:1.27"',
  });
  assert.equal((await check({ field: { object: ref, path: "{.metadata.annotations['deployment.kubernetes.io/revision']}", matches: '^[0-9]+$' } }, objects)).pass, true);
  assert.equal((await check({ field: { object: ref, path: '{.spec.paused}', exists: false } }, objects)).pass, true);
  assert.equal((await check({ field: { object: ref, path: '{.spec.paused}', notEquals: true } }, objects)).pass, true);
  const missing = await check({ field: { object: { kind: 'Node', name: 'node01' }, path: '{.spec.unschedulable}', exists: false } }, objects);
  assert.deepEqual([missing.pass, missing.found], [true, 'no Node node01']);
  const absentEquals = await check({ field: { object: { kind: 'Node', name: 'node01' }, path: '{.spec.unschedulable}', equals: true } }, objects);
  assert.equal(absentEquals.pass, false);
});

test('pods checks count by phase, readiness, node, waiting reason and schedulability', async () => {
  const objects = {
    Pod: [
      pod('web-a', { node: 'node01' }),
      pod('web-b', { node: 'node02' }),
      pod('web-c', { node: 'node02', phase: 'Running', ready: false, waiting: 'CrashLoopBackOff' }),
      pod('web-d', { phase: 'Pending', ready: false, unschedulable: true }),
      pod('web-e', { node: 'node01', deleting: true }),
    ],
  };
  assert.equal((await check({ pods: { selector: 'app=web', phase: 'Running', ready: true, notTerminating: true, count: 2 } }, objects)).pass, true);
  assert.equal((await check({ pods: { selector: 'app=web', node: 'node01', count: 2 } }, objects)).pass, true);
  assert.equal((await check({ pods: { selector: 'app=web', notNode: 'node02', count: 3 } }, objects)).pass, true);
  assert.equal((await check({ pods: { selector: 'app=web', waitingReason: 'CrashLoopBackOff', count: 1 } }, objects)).pass, true);
  assert.equal((await check({ pods: { selector: 'app=web', unschedulable: true, count: 1 } }, objects)).pass, true);
  assert.equal((await check({ pods: { selector: 'app=other' } }, objects)).pass, false, 'no count means at least one');
  const r = await check({ pods: { selector: 'app=web', node: 'node02', count: 0 } }, objects);
  assert.equal(r.pass, false);
  assert.equal(r.expected, 'no pods in default with app=web on node02');
  assert.match(r.found, /^2 such pods of 5: web-a \(Running, Ready on node01\), web-b .*, web-c \(Running, CrashLoopBackOff, not Ready on node02\), web-d \(Pending, not Ready, unscheduled\), web-e \(Running, Ready on node01, terminating\)$/);
  const image = await check({ pods: { selector: 'app=web', image: 'nginx:1.25', min: 1 } }, objects);
  assert.equal(image.pass, false);
  assert.match(image.found, /web-a runs nginx:1\.27/);
});

test('condition checks match type, status and reason', async () => {
  const job = { metadata: { name: 'migrate', namespace: 'default' }, status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } };
  const ref = { kind: 'Job', name: 'migrate' };
  assert.equal((await check({ condition: { object: ref, type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' } }, { Job: [job] })).pass, true);
  const complete = await check({ condition: { object: ref, type: 'Complete', status: 'True' } }, { Job: [job] });
  assert.deepEqual([complete.pass, complete.found], [false, 'no Complete condition']);
  const reason = await check({ condition: { object: ref, type: 'Failed', status: 'True', reason: 'DeadlineExceeded' } }, { Job: [job] });
  assert.deepEqual([reason.pass, reason.found], [false, 'Failed=True (reason BackoffLimitExceeded: Job has reached the specified backoff limit)']);
});

test('event checks look for a reason about the named object; node events live in default', async () => {
  const events = [
    { metadata: { name: 'e1', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'node01' }, reason: 'NodeNotReady', message: 'Node node01 status is now: NodeNotReady' },
    { metadata: { name: 'e2', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web-a' }, reason: 'Scheduled', message: 'x' },
  ];
  const node = { kind: 'Node', name: 'node01' };
  assert.equal((await check({ event: { object: node, reason: 'NodeNotReady' } }, { Event: events })).pass, true);
  assert.equal((await check({ event: { object: node, reason: 'RegisteredNode', present: false } }, { Event: events })).pass, true);
  const r = await check({ event: { object: node, reason: 'RegisteredNode' } }, { Event: events });
  assert.deepEqual([r.pass, r.found], [false, 'only Events NodeNotReady']);
});

test('endpoints checks count the ready endpoints of the Service slices', async () => {
  const svc = { metadata: { name: 'shop', namespace: 'default' } };
  const slice = (endpoints: any[]) => ({ metadata: { name: 'shop-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'shop' } }, endpoints });
  const objects = { Service: [svc], EndpointSlice: [slice([{ addresses: ['10.244.1.2'], conditions: { ready: true } }, { addresses: ['10.244.2.2'], conditions: { ready: false } }])] };
  const r = await check({ endpoints: { name: 'shop' } }, objects);
  assert.deepEqual(r, { name: 'x', pass: true, expected: 'at least 1 ready endpoints of Service default/shop', found: '1 ready (10.244.1.2), 1 not ready' });
  assert.equal((await check({ endpoints: { name: 'shop', count: 2 } }, objects)).pass, false);
  assert.equal((await check({ endpoints: { name: 'gone' } }, objects)).found, 'no Service default/gone');
});

test('rollout checks follow kubectl rollout status, and can pin the revision', async () => {
  const done = { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 };
  assert.equal(rolloutPending(deployment(done)), undefined);
  assert.equal(rolloutPending(deployment({ ...done, updatedReplicas: 1, replicas: 4 })), '1 out of 3 new replicas have been updated');
  assert.equal(rolloutPending(deployment({ ...done, replicas: 4 })), '1 old replicas are pending termination');
  assert.equal(rolloutPending(deployment({ ...done, availableReplicas: 2 })), '2 of 3 updated replicas are available');
  assert.equal(rolloutPending(deployment({ ...done, observedGeneration: 1 })), 'the controller has not observed the latest spec');
  assert.equal(rolloutPending(deployment({ ...done, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] })), 'deployment "web" exceeded its progress deadline');
  const ref = { kind: 'Deployment', name: 'web' };
  assert.equal((await check({ rollout: { object: ref, revision: 3 } }, { Deployment: [deployment(done)] })).pass, true);
  const r = await check({ rollout: { object: ref, revision: 4 } }, { Deployment: [deployment(done)] });
  assert.deepEqual([r.pass, r.found], [false, 'complete, revision 3']);
});

test('objects checks count a kind by selector; a failing read is a FAIL with the error', async () => {
  const nodes = [{ metadata: { name: 'node01', labels: { disktype: 'ssd' } } }, { metadata: { name: 'node02', labels: {} } }];
  assert.equal((await check({ objects: { kind: 'Node', selector: 'disktype=ssd', count: 1 } }, { Node: nodes })).pass, true);
  const none = await check({ objects: { kind: 'Node', selector: 'disktype=sdd', count: 0 } }, { Node: nodes });
  assert.deepEqual([none.pass, none.expected, none.found], [true, 'no Node objects with disktype=sdd', '0']);
  const broken: ClusterView = { get: async () => { throw new Error('connection refused'); }, list: async () => [] };
  const r = await evaluateCheck({ name: 'x', field: { object: { kind: 'Node', name: 'n' }, path: '{.a}', exists: true } }, broken);
  assert.deepEqual([r.pass, r.found], [false, 'connection refused']);
});

test('count expectations combine count, min and max', () => {
  assert.equal(countHolds(0, {}), false);
  assert.equal(countHolds(0, {}, 0), true);
  assert.equal(countHolds(3, { min: 2, max: 4 }), true);
  assert.equal(countHolds(5, { min: 2, max: 4 }), false);
  assert.equal(describeCount({ min: 2, max: 4 }), 'between 2 and 4');
  assert.equal(describeCount({ max: 0 }), 'no');
  assert.equal(describeCount({ count: 2 }), 'exactly 2');
  assert.equal(describeCount({}), 'at least 1');
});
