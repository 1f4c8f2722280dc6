import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveContext } from '../../../cli/kube/kubeconfig.js';
import { tempFiles } from '../../support/files.js';

const files = tempFiles('kd-kubeconfig-');
test.after(() => files.remove());

function config(current: string, contexts: Array<[string, string, string?]>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: contexts.map(([, cluster]) => ({ name: cluster, cluster: { server: `https://${cluster}:6443`, 'certificate-authority-data': Buffer.from(`CA ${cluster}`).toString('base64') } })),
    users: contexts.map(([name]) => ({ name, user: { token: `token-${name}` } })),
    contexts: contexts.map(([name, cluster, namespace]) => ({ name, context: { cluster, user: name, ...(namespace ? { namespace } : {}) } })),
  });
}

test('the current context gives server, CA, token and namespace; -n and --context override', () => {
  const dir = files.dir;
  const path = join(dir, 'config');
  writeFileSync(path, config('a', [['a', 'one', 'team'], ['b', 'two']]));
  assert.deepEqual(resolveContext({ kubeconfig: path }), { server: 'https://one:6443', caPem: 'CA one', insecureSkipTlsVerify: false, token: 'token-a', namespace: 'team' });
  assert.equal(resolveContext({ kubeconfig: path, namespace: 'x' }).namespace, 'x');
  const b = resolveContext({ kubeconfig: path, context: 'b' });
  assert.equal(b.server, 'https://two:6443');
  assert.equal(b.namespace, 'default');
  assert.throws(() => resolveContext({ kubeconfig: path, context: 'c' }), { message: 'context was not found for specified context: c' });
});

test('$KUBECONFIG files merge with the first file winning', () => {
  const dir = files.dir;
  const first = join(dir, 'first');
  const second = join(dir, 'second');
  writeFileSync(first, config('b', [['a', 'one']]));
  writeFileSync(second, config('a', [['a', 'other'], ['b', 'two']]));
  const env = { KUBECONFIG: `${first}:${join(dir, 'missing')}:${second}` };
  assert.equal(resolveContext({}, env).server, 'https://two:6443');
  assert.equal(resolveContext({ context: 'a' }, env).server, 'https://one:6443');
});
