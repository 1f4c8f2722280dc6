/**
 * Cluster benchmark: how fast the simulated cluster moves pods, on a real daemon process with 100
 * worker nodes and a fast clock. Prints figures; never fails on time.
 *
 * - time until N pods of a Deployment scaled from 0 to N are Running and Ready (N = 1,000 and 10,000);
 * - 600 one-replica Deployments until all are Available, as Deployments Ready per second;
 * - daemon RSS with 10,000 pods, when the last is Ready and 10 s later.
 *
 * KD_BENCH_SPEED sets the clock speed (default 100: faster clocks spend the machine on heartbeats); KD_BENCH_SIZES the pod counts (default 1000,10000).
 * The daemon draws its random choices as `kd up` does, from node:crypto; KD_BENCH_SEED=N gives it
 * `--random-seed N` instead, for the same names and placements on every run.
 * KD_BENCH_LIVE_HEAP=1 adds the daemon's JS heap after a full collection, 10 s after the last pod is
 * Ready: the live size, which separates two builds where RSS, at the mercy of the collector's
 * timing, moves by ±10 MB between runs of one build. KD_BENCH_HEAP_SNAPSHOT=FILE also writes a heap
 * snapshot of that moment to FILE (open it in Chrome DevTools' Memory tab).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { DAEMON_NODE_FLAGS, daemonEnv } from '../../cli/commands/serve.js';
import { repoRoot } from '../support/kubectl.js';
import { procStatFields } from '../support/proc.js';

const SPEED = process.env['KD_BENCH_SPEED'] ?? '100';
const SEED = process.env['KD_BENCH_SEED'];
const LIVE_HEAP = process.env['KD_BENCH_LIVE_HEAP'] === '1' || process.env['KD_BENCH_HEAP_SNAPSHOT'] !== undefined;
const HEAP_SNAPSHOT = process.env['KD_BENCH_HEAP_SNAPSHOT'];
const SIZES = (process.env['KD_BENCH_SIZES'] ?? '1000,10000').split(',').filter(Boolean).map(Number);
const DEPLOYMENTS = 600;
const WORKERS = 100;
const POLL_MS = 50;
/** How long the RSS is watched after the last pod is Ready: the daemon keeps its heartbeats going. */
const SETTLE_MS = 10_000;
const GIVE_UP_MS = 300_000;
// USER_HZ: 100 on every Linux this runs on.
const CLOCK_TICKS = 100;

interface Bench {
  daemon: ChildProcess;
  pool: Pool;
  dataDir: string;
  req(method: string, path: string, body?: object, type?: string): Promise<any>;
  rssMb(): number;
  /**
   * CPU seconds (user + system) the daemon has used so far: all threads, or the main one alone (the
   * API server and the whole simulation; the rest is V8's GC helpers and the SQLite writer).
   */
  cpuSeconds(thread?: 'main'): number;
  /** With KD_BENCH_LIVE_HEAP=1: the daemon's used JS heap in MB after two full collections, through its inspector. */
  liveHeapMb(): Promise<number>;
}

async function startBench(): Promise<Bench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kd-cluster-bench-'));
  const config = join(dataDir, 'cluster.yaml');
  writeFileSync(config, `nodes:\n  - name: controlplane\n    controlPlane: true\nworkers: ${WORKERS}\n`);
  // The daemon runs with the flags `kd serve` gives it; KD_NODE_FLAGS adds more (a profiler).
  const flags = [...DAEMON_NODE_FLAGS, ...(process.env['KD_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), ...(LIVE_HEAP ? ['--inspect=127.0.0.1:0'] : [])];
  const daemon = spawn(process.execPath, [...flags, join(repoRoot(), 'bin/kd-daemon.js'), '--port', '0', '--insecure-http', '--data-dir', join(dataDir, 'data'), '--config', config, '--speed', SPEED, ...(SEED ? ['--random-seed', SEED] : [])], { env: daemonEnv(), stdio: ['ignore', 'pipe', LIVE_HEAP ? 'pipe' : 'inherit'] });
  // The inspector's address is printed on stderr; its other lines are left out, the rest goes through.
  const inspector = new Promise<string>((resolve) => {
    daemon.stderr?.setEncoding('utf8').on('data', (text: string) => {
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]!);
      const rest = text.split('\n').filter((l) => !/^(Debugger |For help, see: )/.test(l)).join('\n');
      if (rest.trim()) process.stderr.write(rest.endsWith('\n') ? rest : `${rest}\n`);
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    daemon.stdout!.setEncoding('utf8').on('data', (line: string) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    daemon.once('exit', (code) => reject(new Error(`daemon exited with ${code}`)));
  });
  const pool = new Pool(url, { connections: 2 });
  const req = async (method: string, path: string, body?: object, type = 'application/json'): Promise<any> => {
    const res = await pool.request({ method: method as 'GET', path, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': type } } : {}) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  const rssMb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'))![1]) / 1024;
  const cpuSeconds = (thread?: 'main'): number => {
    // Fields 14 and 15 (utime, stime) in clock ticks; the main thread's id is the process id.
    const fields = procStatFields(daemon.pid!, thread ? daemon.pid : undefined);
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  };
  const liveHeapMb = async (): Promise<number> => {
    const ws = new WebSocket(await inspector);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let id = 0;
    const call = (method: string, params: object = {}): Promise<any> => new Promise((resolve) => {
      const mine = ++id;
      const onMessage = (data: WebSocket.RawData): void => {
        const msg = JSON.parse(data.toString());
        if (msg.id !== mine) return;
        ws.off('message', onMessage);
        resolve(msg.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
    try {
      // The second collection takes what the first one's finalisers and weak references let go.
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const r = await call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed' });
      if (HEAP_SNAPSHOT) {
        // Written chunk by chunk: a snapshot of this heap is larger than a JS string may be.
        const fd = openSync(HEAP_SNAPSHOT, 'w');
        const onChunk = (data: WebSocket.RawData): void => {
          const msg = JSON.parse(data.toString());
          if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') writeSync(fd, msg.params.chunk);
        };
        ws.on('message', onChunk);
        try {
          await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
        } finally {
          ws.off('message', onChunk);
          closeSync(fd);
        }
      }
      return Number(r.result.value) / 1024 / 1024;
    } finally {
      ws.close();
    }
  };
  return { daemon, pool, dataDir, req, rssMb, cpuSeconds, liveHeapMb };
}

async function stopBench(b: Bench): Promise<void> {
  await b.pool.close();
  b.daemon.kill('SIGTERM');
  await new Promise((r) => b.daemon.once('exit', r));
  rmSync(b.dataDir, { recursive: true, force: true });
}

function deployment(name: string, replicas: number): object {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

/** Polls until done() holds; returns the elapsed wall time in ms. */
async function until(t0: number, done: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await done()) return performance.now() - t0;
    if (performance.now() - t0 > GIVE_UP_MS) throw new Error(`gave up after ${GIVE_UP_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Waits until every node is Ready and runs its kube-proxy, so the timing covers only the bench's pods. */
async function nodesReady(b: Bench): Promise<void> {
  await until(performance.now(), async () => {
    const nodes = await b.req('GET', '/api/v1/nodes');
    if (nodes.items.length !== WORKERS + 1 || !nodes.items.every((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))) return false;
    const proxy = await b.req('GET', '/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy');
    return proxy.status?.numberReady === WORKERS + 1;
  });
}

async function scaledDeployment(n: number): Promise<void> {
  const b = await startBench();
  try {
    await nodesReady(b);
    await b.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 0));
    const t0 = performance.now();
    const cpu0 = b.cpuSeconds();
    const main0 = b.cpuSeconds('main');
    await b.req('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: n } }, 'application/merge-patch+json');
    // The Deployment's readyReplicas counts Running pods whose containers are Ready: no 10k-pod lists while measuring.
    const ms = await until(t0, async () => (await b.req('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status?.readyReplicas === n).catch(async (e: Error) => {
      // Say where it stuck: the Deployment's status and a few pods that are not Ready.
      const d = await b.req('GET', '/apis/apps/v1/namespaces/default/deployments/web');
      const pods = (await b.req('GET', '/api/v1/namespaces/default/pods')).items as any[];
      const notReady = pods.filter((p) => !p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
      console.log(JSON.stringify({ status: d.status, pods: pods.length, notReady: notReady.length, sample: notReady.slice(0, 3).map((p) => ({ name: p.metadata.name, node: p.spec.nodeName, status: p.status })) }));
      throw e;
    });
    const cpu = b.cpuSeconds() - cpu0;
    const main = b.cpuSeconds('main') - main0;
    const rss = b.rssMb();
    // Right after the burst the heap still holds its garbage; 10 s on, what holding n pods costs.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const settled = b.rssMb();
    const live = LIVE_HEAP ? `, live JS heap ${(await b.liveHeapMb()).toFixed(1)} MB` : '';
    console.log(`${String(n).padStart(6)} pods Running and Ready after scaling a Deployment: ${(ms / 1000).toFixed(2)} s (daemon CPU ${cpu.toFixed(1)} s, main thread ${main.toFixed(1)} s)   daemon RSS ${rss.toFixed(0)} MB, ${settled.toFixed(0)} MB ${SETTLE_MS / 1000} s later${live}`);
  } finally {
    await stopBench(b);
  }
}

/** Resolves once a watch has shown `count` Deployments of the default namespace with one available replica. */
async function watchAvailable(b: Bench, count: number): Promise<void> {
  const { metadata } = await b.req('GET', '/apis/apps/v1/namespaces/default/deployments');
  const res = await b.pool.request({ method: 'GET', path: `/apis/apps/v1/namespaces/default/deployments?watch=1&resourceVersion=${metadata.resourceVersion}` });
  const available = new Set<string>();
  let buffered = '';
  const timer = setTimeout(() => res.body.destroy(new Error(`gave up after ${GIVE_UP_MS} ms`)), GIVE_UP_MS);
  try {
    for await (const chunk of res.body.setEncoding('utf8')) {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const { object } = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (object.status?.availableReplicas === 1) available.add(object.metadata.name);
        else available.delete(object.metadata.name);
      }
      if (available.size === count) return;
    }
    throw new Error('the watch ended early');
  } finally {
    clearTimeout(timer);
    res.body.destroy();
  }
}

async function manyDeployments(): Promise<void> {
  const b = await startBench();
  try {
    await nodesReady(b);
    // A watch, not polling: a list of 600 Deployments every 50 ms cost the daemon a tenth of its CPU.
    const allAvailable = watchAvailable(b, DEPLOYMENTS);
    const t0 = performance.now();
    const cpu0 = b.cpuSeconds();
    const main0 = b.cpuSeconds('main');
    for (let i = 0; i < DEPLOYMENTS; i++) await b.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment(`app-${i}`, 1));
    await allAvailable;
    const ms = performance.now() - t0;
    console.log(`${DEPLOYMENTS} one-replica Deployments Available: ${(ms / 1000).toFixed(2)} s (${(DEPLOYMENTS / (ms / 1000)).toFixed(0)} Deployments/s, daemon CPU ${(b.cpuSeconds() - cpu0).toFixed(1)} s, main thread ${(b.cpuSeconds('main') - main0).toFixed(1)} s)   daemon RSS ${b.rssMb().toFixed(0)} MB`);
  } finally {
    await stopBench(b);
  }
}

console.log(`kubedojo cluster benchmark (node ${process.version}, ${WORKERS} workers + control plane, clock speed ${SPEED}, daemon in its own process)`);
for (const n of SIZES) await scaledDeployment(n);
await manyDeployments();
