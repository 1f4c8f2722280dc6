/**
 * Differential testing of `kd` against the real kubectl v1.35.2: the same arguments run with both
 * against one daemon must give the same stdout, stderr and exit code. Both outputs are masked the
 * same way (AGE cells, and kubectl's binary name, which kubectl prints from os.Args[0]).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { maskAge, run, runKubectl, type Daemon, type RunResult } from './daemon.js';
import { repoRoot } from './kubectl.js';

/** Options of one differential case. */
export interface DiffOptions {
  stdin?: string;
  /** More environment for both programs. */
  env?: Record<string, string>;
  /** Extra masking applied to both outputs (generated names, IPs), after the AGE mask. */
  mask?: (text: string) => string;
}

/**
 * Runs `node bin/kd.js <args> --kubeconfig <d.kubeconfig>` with the environment runKubectl uses.
 *
 * @example
 * const r = await runKd(d, ['get', 'pods']);
 */
export function runKd(d: Daemon, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECACHEDIR: join(d.home, '.kube', 'cache'), ...opts.env };
  // After `--` (exec's command) the flag would be an argument of the command: put it before.
  const dash = args.indexOf('--');
  const withConfig = dash < 0 ? [...args, '--kubeconfig', d.kubeconfig] : [...args.slice(0, dash), '--kubeconfig', d.kubeconfig, ...args.slice(dash)];
  return run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...withConfig], { env, stdin: opts.stdin });
}

const KUBECTL_BINARY = /kubectl-v1\.35\.2/g;

function normalize(r: RunResult, mask: (text: string) => string): RunResult {
  const clean = (text: string) => mask(maskAge(text.replace(KUBECTL_BINARY, 'kubectl')));
  return { stdout: clean(r.stdout), stderr: clean(r.stderr), code: r.code };
}

/**
 * Runs the arguments with kubectl and with kd, asserts identical (masked) results and returns
 * kubectl's, so a case can also check that it exercised what it meant to.
 *
 * @example
 * const r = await assertSameAsKubectl(d, ['get', 'pods', '-o', 'wide']);
 * assert.equal(r.code, 0);
 */
export async function assertSameAsKubectl(d: Daemon, args: string[], opts: DiffOptions = {}): Promise<RunResult> {
  const mask = opts.mask ?? ((t: string) => t);
  const want = normalize(await runKubectl(d, args, { stdin: opts.stdin, env: opts.env }), mask);
  const got = normalize(await runKd(d, args, { stdin: opts.stdin, env: opts.env }), mask);
  assert.deepEqual(got, want, `kd ${args.join(' ')} differs from kubectl`);
  return want;
}

/**
 * For verbs that change state: kubectl runs `args(nsA)` and kd runs `args(nsB)` against twin
 * objects that the case created in both namespaces, and their outputs must be identical once each
 * namespace name is replaced by `NAMESPACE`. Returns kubectl's masked result; compare the objects
 * left behind with `getJson` when the effect matters as much as the output.
 *
 * @example
 * await assertSameInNamespaces(d, (ns) => ['label', 'pod', 'web', 'tier=front', '-n', ns], ['diff-a', 'diff-b']);
 */
export async function assertSameInNamespaces(
  d: Daemon,
  args: (namespace: string) => string[],
  [nsA, nsB]: [string, string],
  opts: DiffOptions = {},
): Promise<RunResult> {
  const base = opts.mask ?? ((t: string) => t);
  const maskNs = (ns: string) => (t: string) => base(t.replaceAll(ns, 'NAMESPACE'));
  const want = normalize(await runKubectl(d, args(nsA), { stdin: opts.stdin?.replaceAll('NAMESPACE', nsA) }), maskNs(nsA));
  const got = normalize(await runKd(d, args(nsB), { stdin: opts.stdin?.replaceAll('NAMESPACE', nsB) }), maskNs(nsB));
  assert.deepEqual(got, want, `kd ${args(nsB).join(' ')} differs from kubectl ${args(nsA).join(' ')}`);
  return want;
}

/**
 * Starts a streaming command (a watch) with runKubectl's environment; stop() ends it with SIGTERM
 * and resolves with what it printed on stdout and stderr.
 *
 * @example
 * const w = startStream(d, await kubectlPath(), ['--kubeconfig', d.kubeconfig, 'get', 'pods', '-w']);
 */
export function startStream(d: Daemon, file: string, args: string[]): { stop(): Promise<string>; text(): string } {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECACHEDIR: join(d.home, '.kube', 'cache') };
  const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    text: () => out,
    async stop() {
      child.kill('SIGTERM');
      await closed;
      return out;
    },
  };
}
