/**
 * `kd up` / `status` / `reset` / `down` as a user runs them: real processes, a temp data dir and a
 * temp $KUBECONFIG that already holds someone else's context; the real kubectl checks the result.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { kubectlPath, repoRoot } from '../../support/kubectl.js';

const dir = mkdtempSync(join(tmpdir(), 'kd-lifecycle-'));
const dataDir = join(dir, 'data');
const kubeconfig = join(dir, 'config');
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig };
after(async () => {
  await run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), 'down', '--data-dir', dataDir]);
  rmSync(dir, { recursive: true, force: true });
});

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const kd = (...args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args, '--data-dir', dataDir]);
const kubectl = async (...args: string[]) => run(await kubectlPath(), args);

const pidOf = (out: string): number => Number(/\(pid (\d+)/.exec(out)?.[1]);

test('kd up starts the daemon once, merges the kubedojo context and kubectl works at once', async () => {
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://prod.example:6443\ncontexts:\n- name: prod\n  context:\n    cluster: prod\n    user: admin\ncurrent-context: prod\nusers:\n- name: admin\n  user:\n    token: secret\n');
  const first = await kd('up', '--port', '0', '--speed', '20');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`^kubedojo is running at https://127\\.0\\.0\\.1:\\d+ \\(pid \\d+, state in ${dataDir}\\)\nContext "kubedojo" is set in ${kubeconfig}: kubectl now talks to kubedojo\n$`));
  const kc = parse(readFileSync(kubeconfig, 'utf8'));
  assert.deepEqual(kc.contexts.map((c: any) => c.name), ['prod', 'kubedojo']);
  assert.equal(kc['current-context'], 'kubedojo');
  assert.deepEqual(kc.users[0], { name: 'admin', user: { token: 'secret' } });

  const again = await kd('up');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^kubedojo is already running at https:\/\/127\.0\.0\.1:\d+ \(pid \d+\)\n/);
  assert.equal(pidOf(again.stdout), pidOf(first.stdout));

  const version = await kubectl('get', '--raw', '/readyz');
  assert.equal(version.stdout, 'ok');
  const nodes = await kubectl('get', 'nodes', '-o', 'name');
  assert.equal(nodes.stdout, 'node/controlplane\nnode/node01\nnode/node02\n');
});

test('a second daemon on the same state is refused', async () => {
  const r = await run(process.execPath, [join(repoRoot(), 'bin', 'kd-daemon.js'), '--port', '0', '--data-dir', dataDir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^error: Cannot start as kubedojo is already running on ${dataDir} \\(pid \\d+, https://127\\.0\\.0\\.1:\\d+\\): stop it with 'kd down' first\n$`));
});

test('kd status reports the daemon, its clock, nodes and pods', async () => {
  await kubectl('run', 'one', '--image=nginx:1.27');
  const r = await kd('status');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^kubedojo is running at https://127\\.0\\.0\\.1:\\d+ \\(pid \\d+\\)\nState:  ${dataDir}\nClock:  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(speed 20x\\)\nNodes:  3 \\(\\d Ready\\)\nPods:   \\d+ \\((\\d+ (Pending|Running)(, )?)+\\)\n$`));
});

test('kd status shows the clock as kd clock last set it', async () => {
  try {
    assert.equal((await kd('clock', 'speed', '5')).code, 0);
    assert.equal((await kd('clock', 'pause')).code, 0);
    const r = await kd('status');
    assert.match(r.stdout, /\nClock:  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(speed 5x, paused\)\n/);
  } finally {
    await kd('clock', 'resume');
    await kd('clock', 'speed', '20');
  }
});

test('kd reset leaves a clean cluster in place', async () => {
  await kubectl('create', 'namespace', 'team');
  await kubectl('create', 'configmap', 'settings', '--from-literal=a=1');
  const r = await kd('reset');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^kubedojo reset to a clean cluster in \d+ ms\n$/);
  assert.equal((await kubectl('get', 'namespaces', '-o', 'name')).stdout, 'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
  const pods = await kubectl('get', 'pods');
  assert.equal(pods.stderr, 'No resources found in default namespace.\n');
  assert.equal((await kubectl('get', 'nodes', '-o', 'name')).stdout, 'node/controlplane\nnode/node01\nnode/node02\n');
});

test('kd down stops the daemon and keeps its state; status and down then say it is not running', async () => {
  await kubectl('create', 'configmap', 'kept', '--from-literal=a=1');
  const r = await kd('down');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `kubedojo stopped; its state stays in ${dataDir} for the next 'kd up'\n`);
  assert.equal(existsSync(join(dataDir, 'daemon.json')), false);
  assert.deepEqual(await kd('status'), { code: 1, stdout: 'kubedojo is not running\n', stderr: '' });
  assert.deepEqual(await kd('down'), { code: 0, stdout: 'kubedojo is not running\n', stderr: '' });
  const reset = await kd('reset');
  assert.deepEqual(reset, { code: 1, stdout: '', stderr: "error: kubedojo is not running: start it with 'kd up'\n" });

  const up = await kd('up', '--port', '0');
  assert.equal(up.code, 0, up.stderr);
  assert.equal((await kubectl('get', 'configmap', 'kept', '-o', 'name')).stdout, 'configmap/kept\n');
});
