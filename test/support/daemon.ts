/**
 * End-to-end harness: starts the compiled daemon (`node bin/kd-daemon.js --port 0 …`) in a temp
 * directory, drives it with the real kubectl v1.35.2 or raw HTTPS requests, and masks AGE cells so
 * outputs can be compared exactly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { Agent, request } from 'undici';
import { DAEMON_NODE_FLAGS, daemonEnv } from '../../cli/commands/serve.js';
import { kubectlPath, repoRoot } from './kubectl.js';

/** A running daemon and everything a test needs to talk to it. */
export interface Daemon {
  /** Base URL, e.g. `https://127.0.0.1:41234`. */
  url: string;
  /** The daemon's process id. */
  pid: number;
  port: number;
  dataDir: string;
  /** Path of the kubeconfig the daemon wrote. */
  kubeconfig: string;
  /** Bearer token from `<dataDir>/token`. */
  token: string;
  /** PEM of the cluster CA; empty with `insecureHttp`. */
  caPem: string;
  /** Per-daemon HOME for kubectl (discovery cache under `.kube/cache`), so tests never share caches. */
  home: string;
  /** Everything the daemon printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends SIGTERM, waits for the exit and resolves with the exit code (null if killed by a signal). */
  stop(): Promise<number | null>;
}

/** Options of startDaemon(). */
export interface StartDaemonOptions {
  /** Start with `--insecure-http` (plain http, no authentication). */
  insecureHttp?: boolean;
  /** Reuse a data directory (to test restarts); by default a fresh temp directory is used. */
  dataDir?: string;
  /** More daemon arguments, e.g. `['--speed', '10']`. */
  extraArgs?: string[];
}

/** Result of a finished child process. */
export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Result of httpRequest(): status, headers and the body as text. */
export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const READY_LINE = /^kubedojo API server listening on (https?:\/\/\S+) \(kubeconfig: (.+)\)$/;

const tempRoots = new Set<string>();
const running = new Set<ChildProcess>();
const agents = new WeakMap<Daemon, Agent>();

// Temp directories outlive stop() so a test can restart on the same data dir; they go at exit.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

/**
 * One daemon for a whole test file: started in `before`, stopped in `after`. The returned getter
 * reads it inside tests.
 *
 * @example
 * const daemon = useDaemon({ extraArgs: ['--speed', '20'] });
 * test('...', async () => runKubectl(daemon(), ['get', 'pods']));
 */
export function useDaemon(opts: StartDaemonOptions = {}): () => Daemon {
  let d: Daemon | undefined;
  before(async () => {
    d = await startDaemon(opts);
  });
  after(async () => {
    await d?.stop();
  });
  return () => {
    if (!d) throw new Error('the daemon of this file has not started');
    return d;
  };
}

/**
 * Starts a daemon on a free port with a temp data directory and waits for its ready line.
 *
 * @example
 * const d = await startDaemon();
 * t.after(() => d.stop());
 * const { stdout } = await runKubectl(d, ['get', 'nodes']);
 */
export async function startDaemon(opts: StartDaemonOptions = {}): Promise<Daemon> {
  const root = mkdtempSync(join(tmpdir(), 'kubedojo-e2e-'));
  tempRoots.add(root);
  const dataDir = opts.dataDir ?? join(root, 'data');
  const home = join(root, 'home');
  mkdirSync(join(home, '.kube', 'cache'), { recursive: true });

  const entry = join(repoRoot(), 'bin', 'kd-daemon.js');
  if (!existsSync(entry)) throw new Error(`Cannot start the daemon as '${entry}' does not exist: run 'npm run build' first`);
  const args = [...DAEMON_NODE_FLAGS, entry, '--port', '0', '--data-dir', dataDir, ...(opts.insecureHttp ? ['--insecure-http'] : []), ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { env: daemonEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  // 'close' rather than 'exit': it comes after the pipes are drained, so no output is lost.
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  const proc: DaemonProcess = { child, exited, output: '' };
  // Keep draining both pipes for the daemon's whole life: a full pipe would block its writes.
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (proc.output += chunk));
  const { url, kubeconfig } = await waitForReady(proc);

  const daemon: Daemon = {
    url,
    pid: child.pid!,
    port: Number(new URL(url).port),
    dataDir,
    kubeconfig,
    token: readFileSync(join(dataDir, 'token'), 'utf8').trim(),
    caPem: url.startsWith('https:') ? readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8') : '',
    home,
    output: () => proc.output,
    stop: () => stopDaemon(proc, daemon),
  };
  return daemon;
}

/** The spawned daemon: its process, its exit code once known, and everything it printed. */
interface DaemonProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: string;
}

/** Resolves with the URL and kubeconfig path of the ready line; rejects if the daemon exits or hangs first. */
function waitForReady(proc: DaemonProcess): Promise<{ url: string; kubeconfig: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      reject(new Error(`daemon not ready after ${READY_TIMEOUT_MS} ms; output:\n${proc.output}`));
    }, READY_TIMEOUT_MS);
    const lines = createInterface({ input: proc.child.stdout! });
    lines.on('line', (line) => {
      proc.output += `${line}\n`;
      const m = READY_LINE.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ url: m[1]!, kubeconfig: m[2]! });
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited with code ${code} before it was ready; output:\n${proc.output}`));
    });
  });
}

async function stopDaemon(proc: DaemonProcess, daemon: Daemon): Promise<number | null> {
  const agent = agents.get(daemon);
  agents.delete(daemon);
  await agent?.close().catch(() => undefined);
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return proc.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the real kubectl v1.35.2 against the daemon (`--kubeconfig <d.kubeconfig>` is prepended).
 * The environment is minimal (PATH, HOME, KUBECACHEDIR, plus opts.env), so a developer's own
 * KUBECONFIG or kubectl settings never leak into a test.
 */
export async function runKubectl(
  d: Daemon,
  args: string[],
  opts: { stdin?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: d.home,
    KUBECACHEDIR: join(d.home, '.kube', 'cache'),
    ...opts.env,
  };
  return run(await kubectlPath(), ['--kubeconfig', d.kubeconfig, ...args], { env, stdin: opts.stdin });
}

/** Runs a program to completion, collecting stdout and stderr as text. */
export function run(file: string, args: string[], opts: { env: Record<string, string>; stdin?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) }));
    child.stdin.on('error', () => undefined); // the program may exit without reading its input
    child.stdin.end(opts.stdin ?? '');
  });
}

/**
 * One raw API request to the daemon, trusting its CA. `token` defaults to the daemon's token;
 * pass `null` to send no Authorization header.
 *
 * @example
 * const res = await httpRequest(d, 'GET', '/api/v1/namespaces');
 * const res2 = await httpRequest(d, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'x' } } });
 */
export async function httpRequest(
  d: Daemon,
  method: string,
  path: string,
  opts: { body?: string | object; headers?: Record<string, string>; token?: string | null } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? d.token : opts.token;
  if (token !== null) headers['authorization'] ??= `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (typeof opts.body !== 'string' && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  }
  const res = await request(new URL(path, d.url), { method, headers, body, dispatcher: agentFor(d) });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function agentFor(d: Daemon): Agent {
  let agent = agents.get(d);
  if (!agent) {
    agent = new Agent(d.caPem ? { connect: { ca: d.caPem } } : {});
    agents.set(d, agent);
  }
  return agent;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/**
 * An age cell as HumanDuration prints it (`0s`, `59s`, `2m3s`, `5h`, `3d4h`, `2y45d`), standing
 * alone between whitespace or parentheses, so names like `web-1d` or `pod-5s` are never touched.
 */
const AGE_TOKEN = /(?<=^|[\s(])\d+[smhdy](?:\d+[smhd])?(?=$|[\s),])( {2,}(?=\S))?/gm;

/**
 * Replaces every AGE-like cell with `<age>`, so table output can be compared exactly.
 * The padding after a masked cell, and after the AGE header, becomes three spaces, because column
 * widths move with the ages.
 * Quantities that look like ages (a CPU of `100m`) are masked too.
 *
 * @example
 * maskAge('NAME   AGE\nweb    12s\n'); // 'NAME   AGE\nweb    <age>\n'
 */
export function maskAge(text: string): string {
  return text.replace(AGE_TOKEN, (_m, padding: string | undefined) => (padding ? '<age>   ' : '<age>')).replace(AGE_HEADER, '   ');
}

/** The AGE header's padding follows the widest age, so it is evened out like the cells. */
const AGE_HEADER = /(?<=(?:^|\s)(?:LAST SEEN|AGE))( {2,})(?=\S)/gm;
