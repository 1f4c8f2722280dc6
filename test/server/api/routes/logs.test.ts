import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClusterConfig } from '../../../../server/config.js';
import { buildTestApp } from '../../../support/app.js';

async function cluster(t: { after(fn: () => unknown): void }) {
  const { app, clock, advance, createPod: create } = await buildTestApp(t, { cluster: defaultClusterConfig(), seed: 7 });
  const logs = (name: string, query = '') => app.inject({ method: 'GET', url: `/api/v1/namespaces/default/pods/${name}/log${query}` });
  return { app, clock, advance, create, logs };
}

const COUNTER = 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 1; done';

test('pods/log serves current lines with tail, since, timestamps and limitBytes', async (t) => {
  const c = await cluster(t);
  await c.create('counter', { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', COUNTER] }] });
  let res = await c.logs('counter');
  assert.equal(res.statusCode, 400);
  assert.equal(JSON.parse(res.body).message, 'container "app" in pod "counter" is waiting to start: ContainerCreating');
  await c.advance(5_900);
  res = await c.logs('counter');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/plain/);
  // Started at 0.986 s (sandbox 0.5 s, busybox pull 0.486 s): line n at (n − 1) s + 0.986 s.
  assert.equal(res.body, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
  assert.equal((await c.logs('counter', '?tailLines=2')).body, 'line 4\nline 5\n');
  assert.equal((await c.logs('counter', '?tailLines=1&timestamps=true')).body, '2026-01-01T00:00:04.986Z line 5\n');
  assert.equal((await c.logs('counter', '?sinceSeconds=2')).body, 'line 4\nline 5\n');
  assert.equal((await c.logs('counter', '?sinceTime=2026-01-01T00:00:03Z')).body, 'line 4\nline 5\n');
  assert.equal((await c.logs('counter', '?limitBytes=9')).body, 'line 1\nli');
  res = await c.logs('counter', '?previous=true');
  assert.equal(res.statusCode, 400);
  assert.equal(JSON.parse(res.body).message, 'previous terminated container "app" in pod "counter" not found');
});

test('pods/log needs a container name when the pod has several', async (t) => {
  const c = await cluster(t);
  await c.create('two', { containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'redis:7.4' }] });
  const res = await c.logs('two');
  assert.equal(res.statusCode, 400);
  assert.equal(JSON.parse(res.body).message, 'a container name must be specified for pod two, choose one of: [a b]');
  assert.equal(JSON.parse((await c.logs('two', '?container=nope')).body).message, 'container nope is not valid for pod two');
});

test('pods/log previous serves the crashed instance', async (t) => {
  const c = await cluster(t);
  await c.create('crash', { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; echo boom >&2; exit 2'] }] });
  await c.advance(3_000);
  const res = await c.logs('crash', '?previous=true');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.body, 'starting\nboom\n');
});

test('pods/log follow streams new lines until the container exits', async (t) => {
  const c = await cluster(t);
  await c.create('job', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo one; sleep 2; echo two; sleep 2; echo three'] }] });
  await c.advance(1_500);
  const pending = c.logs('job', '?follow=true');
  await c.advance(6_000);
  const res = await pending;
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, 'one\ntwo\nthree\n');
});
