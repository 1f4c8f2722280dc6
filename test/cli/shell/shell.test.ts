/**
 * `kd shell` through a real pseudo-terminal against one daemon: prefixes, output identical to the
 * real kubectl, TAB completion of verbs, types, flag values and live names, history across two
 * sessions, multi-line input for `apply -f -`, NO_COLOR versus colour, Ctrl-C and Ctrl-D, and input
 * from a pipe.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, startDaemon, type Daemon } from '../../support/daemon.js';
import { e2e } from '../../support/e2e.js';
import { repoRoot } from '../../support/kubectl.js';
import { openShell, type PtyShell } from './pty.js';

let d: Daemon;
const { kubectl, ok, waitFor } = e2e(() => d);
const home = mkdtempSync(join(tmpdir(), 'kd-shell-home-'));
const PROMPT = /kubedojo \(default\) \$ $/;
/** What a command printed: the text between its echoed line and the next prompt. */
const OUTPUT = /^[^\n]*\n([\s\S]*?)kubedojo \(default\) (?:\[\d+\] )?\$ $/;

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27');
});
after(async () => {
  await d.stop();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: home, KUBECONFIG: d.kubeconfig, KUBECACHEDIR: join(home, '.kube', 'cache'), NO_COLOR: '1', ...extra };
}

/** Opens a shell, waits for its prompt, runs fn, then leaves with `exit` and expects code 0. */
async function session(fn: (s: PtyShell) => Promise<void>, extra: Record<string, string> = {}): Promise<PtyShell> {
  const s = openShell(env(extra));
  await s.waitFor(PROMPT);
  await fn(s);
  s.type('exit\r');
  assert.equal(await s.exited, 0, s.text());
  return s;
}

/** Types a command line and resolves with what it printed (stdout and stderr, as the terminal shows them). */
async function runLine(s: PtyShell, line: string): Promise<string> {
  s.mark();
  s.type(`${line}\r`);
  return (await s.waitFor(OUTPUT))[1]!;
}

test('lines with kubectl, k, kd or no prefix run kd and print exactly what kubectl prints', async () => {
  const names = await ok('get', 'nodes', '-o', 'name');
  const missing = await kubectl('get', 'nope');
  await session(async (s) => {
    for (const prefix of ['', 'k ', 'kubectl ', 'kd ']) assert.equal(await runLine(s, `${prefix}get nodes -o name`), names);
    assert.equal(await runLine(s, 'get nope'), missing.stderr);
    assert.match(s.text(), /kubedojo \(default\) \[1\] \$ $/);
    // Output without a final newline gets one before the prompt, or readline would draw over it.
    assert.equal(await runLine(s, "get nodes -o 'jsonpath={.items[0].metadata.name}'"), 'controlplane\n');
  });
});

test('TAB completes verbs, resource types, flag values and object names', async () => {
  await session(async (s) => {
    s.type('ge\t');
    await s.waitFor(/\$ get $/);
    s.type('deploym\t');
    await s.waitFor(/\$ get deployments $/);
    s.type('w\t');
    await s.waitFor(/\$ get deployments web $/);
    s.type('-o nam\t');
    await s.waitFor(/\$ get deployments web -o name $/);
    assert.equal(await runLine(s, ''), 'deployment.apps/web\n');
    s.type('k get nodes node\t');
    await s.waitFor(/\$ k get nodes node0$/);
    s.type('\t');
    await s.waitFor(/node01\s+node02/);
    s.type('\x15get pods -n kube-sy\t');
    await s.waitFor(/get pods -n kube-system $/);
    s.type('etc\t');
    await s.waitFor(/get pods -n kube-system etcd-controlplane $/);
    s.type('\x15');
  });
});

test('object names follow the cluster: a ConfigMap made after the first TAB completes too', async () => {
  await session(async (s) => {
    s.type('get configmaps kube\t');
    await s.waitFor(/get configmaps kube-root-ca\.crt $/);
    await ok('create', 'configmap', 'fresh-settings', '--from-literal=a=1');
    s.type('\x15');
    await waitFor('the new ConfigMap to complete', async () => {
      s.mark();
      s.type('get configmaps fresh\t');
      const done = await s.waitFor(/get configmaps fresh(-settings )?$/).then((m) => m[1] !== undefined);
      s.type('\x15');
      return done;
    });
  });
});

test('history is kept across sessions', async () => {
  await session(async (s) => {
    await runLine(s, 'get nodes -o name --sort-by-nothing-here');
    await runLine(s, 'k get deployments -o name');
  });
  assert.match(readFileSync(join(home, '.kubedojo', 'history'), 'utf8'), /get nodes -o name --sort-by-nothing-here\nk get deployments -o name\nexit\n$/);
  await session(async (s) => {
    s.type('\x1b[A');
    await s.waitFor(/\$ exit$/);
    s.type('\x1b[A');
    await s.waitFor(/\$ k get deployments -o name$/);
    assert.equal(await runLine(s, ''), 'deployment.apps/web\n');
  });
});

test('apply -f - reads the lines up to EOF, and <<END ends at END', async () => {
  const manifest = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: from-heredoc', 'data:', '  key: value'];
  await session(async (s) => {
    s.mark();
    s.type('k apply -f -\r');
    for (const line of manifest) {
      await s.waitFor(/> $/);
      s.mark();
      s.type(`${line}\r`);
    }
    await s.waitFor(/> $/);
    s.mark();
    s.type('EOF\r');
    const out = (await s.waitFor(/^EOF\n([\s\S]*?)kubedojo \(default\) (?:\[\d+\] )?\$ $/))[1]!;
    // Not one of the YAML lines ran as a command; with kd's apply they created the ConfigMap.
    assert.doesNotMatch(out, /kind:|metadata:|apiVersion:/);
    const applied = (await kubectl('get', 'configmap', 'from-heredoc', '-o', 'jsonpath={.data.key}')).stdout;
    if (out === 'configmap/from-heredoc created\n') assert.equal(applied, 'value');
    else assert.equal(out, "error: unknown command 'apply'\n");
    s.mark();
    s.type('get nodes -o name <<END\r');
    await s.waitFor(/> $/);
    s.type('END\r');
    await s.waitFor(/node\/node02\n[\s\S]*\$ $/);
  });
});

test('NO_COLOR leaves every colour out; with colour only the prompt and error lines are coloured', async () => {
  const plainShell = await session(async (s) => {
    await runLine(s, 'get nope');
    await runLine(s, 'get nodes -o name');
  });
  assert.doesNotMatch(plainShell.raw(), /\x1b\[[0-9;]*m/);
  const coloured = await session(
    async (s) => {
      await runLine(s, 'get nope');
      await runLine(s, 'get nodes -o name');
    },
    { NO_COLOR: '', FORCE_COLOR: '1' },
  );
  const raw = coloured.raw();
  assert.match(raw, /\x1b\[1m\x1b\[36mkubedojo\x1b\[39m\x1b\[22m \x1b\[33m\(default\)\x1b\[39m/);
  assert.match(raw, /\x1b\[31merror: the server doesn't have a resource type "nope"\x1b\[39m\r\n/);
  assert.match(raw, /\r\nnode\/controlplane\r\nnode\/node01\r\nnode\/node02\r\n/);
});

test('Ctrl-C at the prompt abandons the line and Ctrl-D leaves the shell', async () => {
  const s = openShell(env());
  await s.waitFor(PROMPT);
  s.mark();
  s.type('get nodes\x03');
  await s.waitFor(/\^C\n[\s\S]*kubedojo \(default\) \$ $/);
  s.type('\x04');
  assert.equal(await s.exited, 0);
});

test('Ctrl-C cancels a running command, not the shell', async () => {
  // A server that accepts connections and never answers: the command hangs until cancelled.
  const sockets: Socket[] = [];
  let connected!: () => void;
  const arrived = new Promise<void>((resolve) => (connected = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = join(home, 'hang.kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: hang\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: hang\n  context:\n    cluster: hang\n    user: hang\nusers:\n- name: hang\n  user:\n    token: x\ncurrent-context: hang\n`);
  const names = await ok('get', 'nodes', '-o', 'name');
  try {
    await session(async (s) => {
      s.mark();
      s.type(`get pods --kubeconfig ${kubeconfig}\r`);
      await arrived;
      s.type('\x03');
      await s.waitFor(/kubedojo \(default\) \[130\] \$ $/);
      assert.equal(await runLine(s, 'get nodes -o name'), names);
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

test('from a pipe the shell prints no prompt: only what the commands print', async () => {
  const names = await ok('get', 'nodes', '-o', 'name');
  const missing = await kubectl('get', 'nope');
  const r = await run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), 'shell'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env() },
    stdin: 'kubectl get nodes -o name\n\nk get nope\nexit 3\nget nodes\n',
  });
  assert.deepEqual(r, { stdout: names, stderr: missing.stderr, code: 3 });
});
