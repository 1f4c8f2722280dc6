import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { kubeconfigFiles, mergeKubeconfig } from '../../cli/kubeconfig-merge.js';

const OURS = `apiVersion: v1
kind: Config
clusters:
- name: kubedojo
  cluster:
    server: https://127.0.0.1:6443
users:
- name: kubedojo
  user:
    token: t0k3n
contexts:
- name: kubedojo
  context:
    cluster: kubedojo
    user: kubedojo
    namespace: default
current-context: kubedojo
`;

const THEIRS = `apiVersion: v1
kind: Config
# production, do not touch
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
contexts:
- name: prod
  context:
    cluster: prod
    user: admin
current-context: prod
users:
- name: admin
  user:
    token: secret
`;

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('kubectl reads $KUBECONFIG, else ~/.kube/config', () => {
  assert.deepEqual(kubeconfigFiles({ HOME: '/home/u' }), ['/home/u/.kube/config']);
  assert.deepEqual(kubeconfigFiles({ HOME: '/home/u', KUBECONFIG: '/a:/b::' }), ['/a', '/b']);
});

test('a missing kubeconfig is created with our context current, owner-only', (t) => {
  const home = tmp(t);
  const file = mergeKubeconfig(OURS, 'kubedojo', { HOME: home });
  assert.equal(file, join(home, '.kube', 'config'));
  assert.deepEqual(parse(readFileSync(file, 'utf8')), parse(OURS));
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('other clusters, users, contexts and comments stay as they were', (t) => {
  const file = join(tmp(t), 'config');
  writeFileSync(file, THEIRS);
  mergeKubeconfig(OURS, 'kubedojo', { KUBECONFIG: file });
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('apiVersion: v1\nkind: Config\n# production, do not touch\nclusters:\n- name: prod\n'), text);
  const kc = parse(text);
  assert.deepEqual(kc.clusters.map((c: any) => c.name), ['prod', 'kubedojo']);
  assert.deepEqual(kc.users.map((c: any) => c.name), ['admin', 'kubedojo']);
  assert.deepEqual(kc.contexts.map((c: any) => c.name), ['prod', 'kubedojo']);
  assert.deepEqual(kc.users[0], { name: 'admin', user: { token: 'secret' } });
  assert.equal(kc['current-context'], 'kubedojo');
});

test('a second merge replaces our entries instead of adding more', (t) => {
  const file = join(tmp(t), 'config');
  writeFileSync(file, THEIRS);
  mergeKubeconfig(OURS, 'kubedojo', { KUBECONFIG: file });
  mergeKubeconfig(OURS.replace('6443', '7443').replace('t0k3n', 'n3w'), 'kubedojo', { KUBECONFIG: file });
  const kc = parse(readFileSync(file, 'utf8'));
  assert.deepEqual(kc.clusters.map((c: any) => c.name), ['prod', 'kubedojo']);
  assert.equal(kc.clusters[1].cluster.server, 'https://127.0.0.1:7443');
  assert.equal(kc.users[1].user.token, 'n3w');
});

test('with several files, entries go to the first existing file and the current context where it was set', (t) => {
  const dir = tmp(t);
  const [missing, first, second] = ['missing', 'first', 'second'].map((n) => join(dir, n)) as [string, string, string];
  writeFileSync(first, 'apiVersion: v1\nkind: Config\nclusters: []\n');
  writeFileSync(second, THEIRS);
  const target = mergeKubeconfig(OURS, 'kubedojo', { KUBECONFIG: [missing, first, second].join(':') });
  assert.equal(target, first);
  assert.deepEqual(parse(readFileSync(first, 'utf8')).contexts.map((c: any) => c.name), ['kubedojo']);
  assert.equal(parse(readFileSync(first, 'utf8'))['current-context'], undefined);
  const theirs = parse(readFileSync(second, 'utf8'));
  assert.equal(theirs['current-context'], 'kubedojo');
  assert.deepEqual(theirs.contexts.map((c: any) => c.name), ['prod']);
});

test('a kubeconfig that is not a mapping is refused, not overwritten', (t) => {
  const file = join(tmp(t), 'config');
  writeFileSync(file, '- just\n- a list\n');
  assert.throws(() => mergeKubeconfig(OURS, 'kubedojo', { KUBECONFIG: file }), /is not a YAML mapping/);
  assert.equal(readFileSync(file, 'utf8'), '- just\n- a list\n');
});
