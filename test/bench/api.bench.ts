/**
 * API benchmark: p50/p99 of create, get, list of 1,000 pods and watch delivery, plus memory, on a
 * real listening daemon (plain HTTP, so TLS cost is not in the figures). Prints figures; never fails
 * on time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { DAEMON_NODE_FLAGS, daemonEnv } from '../../cli/commands/serve.js';
import { repoRoot } from '../support/kubectl.js';

const PODS = 1000;
const LISTS = 100;
const WATCH_EVENTS = 300;

function pod(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `web-${i}`, labels: { app: 'web', shard: String(i % 10) } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  });
}

function pct(samples: number[], p: number): string {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
}

function report(name: string, samples: number[]): void {
  console.log(`${name.padEnd(28)} n=${String(samples.length).padStart(5)}  p50=${pct(samples, 50).padStart(7)} ms  p99=${pct(samples, 99).padStart(7)} ms`);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kd-bench-'));
  // The daemon runs in its own process, as users run it, so its RSS is the server's alone.
  const daemon = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...(process.env['KD_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), join(repoRoot(), 'bin/kd-daemon.js'), '--port', '0', '--insecure-http', '--data-dir', dataDir], { env: daemonEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    daemon.stdout.setEncoding('utf8').on('data', (line: string) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    daemon.once('exit', (code) => reject(new Error(`daemon exited with ${code}`)));
  });
  const pool = new Pool(url, { connections: 1, pipelining: 1 });
  const base = '/api/v1/namespaces/default/pods';
  const req = async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: string, type = 'application/json'): Promise<string> => {
    const res = await pool.request({ method, path, ...(body ? { body, headers: { 'content-type': type } } : {}) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
    return text;
  };

  const rssMb = (): string => (Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'))![1]) / 1024).toFixed(1);
  const idleRss = rssMb();
  const create: number[] = [];
  for (let i = 0; i < PODS; i++) create.push(await timed(async () => void (await req('POST', base, pod(i)))));
  const createdRss = rssMb();
  const get: number[] = [];
  for (let i = 0; i < PODS; i++) get.push(await timed(async () => void (await req('GET', `${base}/web-${i}`))));
  const list: number[] = [];
  for (let i = 0; i < LISTS; i++) list.push(await timed(async () => void (await req('GET', base))));
  const table: number[] = [];
  for (let i = 0; i < 20; i++) {
    table.push(await timed(async () => {
      const res = await pool.request({ method: 'GET', path: base, headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
      await res.body.text();
    }));
  }
  const watch = await watchDelivery(url, req);

  console.log(`kubedojo API benchmark (node ${process.version}, ${PODS} pods, plain HTTP on loopback, daemon in its own process)`);
  report('create pod', create);
  report('get pod', get);
  report(`list ${PODS} pods (JSON)`, list);
  report(`list ${PODS} pods (Table)`, table);
  report('watch delivery', watch);
  console.log(`daemon RSS: idle ${idleRss} MB, after creating ${PODS} pods ${createdRss} MB, after the list and watch runs ${rssMb()} MB`);
  await pool.close();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

/** Time from sending a PATCH to reading its MODIFIED event on an open watch. */
async function watchDelivery(url: string, req: (m: 'PATCH', p: string, b: string, t: string) => Promise<string>): Promise<number[]> {
  const watchPool = new Pool(url, { connections: 1 });
  const res = await watchPool.request({ method: 'GET', path: '/api/v1/namespaces/default/pods?watch=true&resourceVersion=0&labelSelector=shard%3D0' });
  const pending = new Map<string, (t: number) => void>();
  let buf = '';
  res.body.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const ev = JSON.parse(line) as { type: string; object: { metadata: { annotations?: Record<string, string> } } };
      const mark = ev.object.metadata.annotations?.['bench/mark'];
      if (ev.type === 'MODIFIED' && mark) pending.get(mark)?.(performance.now());
    }
  });
  const samples: number[] = [];
  for (let i = 0; i < WATCH_EVENTS; i++) {
    const mark = String(i);
    const arrived = new Promise<number>((resolve) => pending.set(mark, resolve));
    const t0 = performance.now();
    await req('PATCH', `/api/v1/namespaces/default/pods/web-${(i % 100) * 10}`, JSON.stringify({ metadata: { annotations: { 'bench/mark': mark } } }), 'application/merge-patch+json');
    samples.push((await arrived) - t0);
  }
  res.body.destroy();
  await watchPool.destroy();
  return samples;
}

await main();
