/**
 * connect() one-shot versus inside the shell's ConnectionPool: the pool hands every command the same
 * client and discovery, a command's close() keeps it open, and abort() ends the requests in flight
 * of a cancelled command while the next command gets a working client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CancelledError, ConnectionPool, connect, useConnectionPool } from '../../../cli/kube/connect.js';
import { startDaemon, type Daemon } from '../../support/daemon.js';

let d: Daemon;
const home = mkdtempSync(join(tmpdir(), 'kd-connect-'));
const env = () => ({ HOME: home, KUBECACHEDIR: join(home, 'cache') });

before(async () => {
  d = await startDaemon();
});
after(async () => {
  useConnectionPool(undefined);
  await d.stop();
});

test('one-shot connect() opens a new client each time', async () => {
  const a = await connect({ kubeconfig: d.kubeconfig }, env());
  const b = await connect({ kubeconfig: d.kubeconfig }, env());
  assert.notEqual(a.client, b.client);
  assert.equal(a.namespace, 'default');
  await a.client.close();
  await b.client.close();
});

test('inside a pool every command gets the same open client, with its own namespace', async () => {
  const pool = new ConnectionPool();
  useConnectionPool(pool);
  try {
    pool.beginCommand();
    const first = await connect({ kubeconfig: d.kubeconfig }, env());
    assert.deepEqual((await first.resolve('deploy')).map((r) => r.resource), ['deployments']);
    await first.client.close();
    pool.beginCommand();
    const second = await connect({ kubeconfig: d.kubeconfig, namespace: 'kube-system' }, env());
    assert.equal(second.client, first.client);
    assert.equal(second.namespace, 'kube-system');
    const pods = await second.client.getJson('/api/v1/namespaces/kube-system/pods');
    assert.ok(pods.items.length > 0);
    await assert.rejects(second.resolve('nosuchtype'), /the server doesn't have a resource type "nosuchtype"/);
  } finally {
    useConnectionPool(undefined);
    await pool.close();
  }
});

test('abort() ends a cancelled command\'s watch and fails its later requests; the next command works', async () => {
  const pool = new ConnectionPool();
  useConnectionPool(pool);
  try {
    const cancelled = await connect({ kubeconfig: d.kubeconfig }, env());
    const watch = await cancelled.client.stream('/api/v1/namespaces/default/configmaps?watch=1');
    const ended = new Promise<void>((resolve) => {
      watch.on('close', () => resolve());
      watch.on('error', () => resolve());
      watch.resume();
    });
    await pool.abort();
    await ended;
    await assert.rejects(cancelled.client.getJson('/api/v1/namespaces'), CancelledError);
    const next = await connect({ kubeconfig: d.kubeconfig }, env());
    assert.notEqual(next.client, cancelled.client);
    assert.ok((await next.client.getJson('/api/v1/namespaces')).items.length >= 4);
  } finally {
    useConnectionPool(undefined);
    await pool.close();
  }
});
