/**
 * `kd completion bash|zsh` and `kd __complete` against one daemon: the bash script sources cleanly
 * and completes verbs, types, flag values and names through `__start_kd`; `__complete` speaks
 * cobra's protocol; the verbs come from the registered commands; usage errors match kubectl.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { repoRoot } from '../../support/kubectl.js';

let d: Daemon;
const { ok } = e2e(() => d);
const home = mkdtempSync(join(tmpdir(), 'kd-completion-home-'));
const kdJs = join(repoRoot(), 'bin', 'kd.js');

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27');
  await ok('create', 'namespace', 'team-a');
});
after(async () => {
  await d.stop();
});

function env(): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: d.kubeconfig, KUBECACHEDIR: join(home, '.kube', 'cache') };
}

const kd = (...args: string[]) => run(process.execPath, [kdJs, ...args], { env: env() });

/** Sources `kd completion bash` in a fresh bash, completes the words and prints COMPREPLY one per line. */
async function bashComplete(...words: string[]): Promise<string[]> {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const script = `source <('${process.execPath}' '${kdJs}' completion bash) || exit 9
COMP_WORDS=(kd ${quoted}); COMP_CWORD=${words.length}
__start_kd
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await run('bash', ['-c', script], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter((l) => l !== '');
}

test('the bash script completes verbs, types, flag values and object names', async () => {
  assert.deepEqual(await bashComplete('ge'), ['get']);
  assert.deepEqual(await bashComplete('get', 'deploym'), ['deployments']);
  assert.deepEqual(await bashComplete('get', 'deployments', ''), ['web']);
  assert.deepEqual(await bashComplete('get', 'nodes', 'node'), ['node01', 'node02']);
  assert.deepEqual(await bashComplete('get', 'pods', '-n', 'team'), ['team-a']);
  assert.deepEqual(await bashComplete('get', 'deployments/w'), ['deployments/web']);
  assert.deepEqual(await bashComplete('get', '--all-n'), ['--all-namespaces']);
});

test('__complete prints the candidates and then cobra\'s directive', async () => {
  const r = await kd('__complete', 'get', 'nodes', '');
  assert.deepEqual(r, { stdout: 'controlplane\nnode01\nnode02\n:4\n', stderr: 'Completion ended with directive: 4\n', code: 0 });
  const output = await kd('__complete', 'get', 'pods', '-o', '');
  assert.equal(output.stdout, 'custom-columns=\ngo-template=\njson\njsonpath=\nname\nwide\nyaml\n:6\n');
  const file = await kd('__complete', 'get', '--kubeconfig', '');
  assert.equal(file.stdout, ':0\n');
});

test('the verbs offered are the registered commands', async () => {
  const help = await kd('--help');
  const listed = [...help.stdout.split('Commands:\n')[1]!.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).filter((v) => v !== 'help');
  const offered = (await kd('__complete', '')).stdout.split('\n').filter((l) => l !== '' && !l.startsWith(':'));
  assert.deepEqual(offered, [...listed].sort());
  assert.ok(offered.includes('get') && offered.includes('shell') && offered.includes('completion'));
  assert.ok(!offered.includes('__complete'));
});

test('the zsh script registers _kd, which calls __complete', async () => {
  const r = await kd('completion', 'zsh');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^#compdef kd\n/);
  assert.match(r.stdout, /__complete "\$\{\(@\)words\[2,CURRENT\]\}"/);
  assert.match(r.stdout, /compdef _kd kd\n/);
});

test('completion usage errors are kubectl\'s', async () => {
  for (const args of [['completion'], ['completion', 'fishy'], ['completion', 'bash', 'zsh']]) {
    const r = await assertSameAsKubectl(d, args);
    assert.equal(r.code, 1);
  }
});
