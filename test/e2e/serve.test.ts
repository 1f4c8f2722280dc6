/**
 * The daemon's process life and credentials, checked with the real kubectl v1.35.2: kubeconfig,
 * TLS with the generated CA, bearer-token authentication, readiness, clean shutdown, restarts on
 * the same data directory, and the plain-http debugging mode.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { HELPER_NICE } from '../../server/thread-priority.js';
import { httpRequest, maskAge, runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { procStatFields } from '../support/proc.js';

/** How long SIGTERM may take to end an idle daemon; generous for slow CI machines. */
const PROMPT_EXIT_MS = 5_000;
const UNAUTHORIZED_LINE = 'error: You must be logged in to the server (Unauthorized)';

interface KubeconfigDoc {
  'current-context': string;
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { name: string; user: { token?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace: string } }[];
}

function readKubeconfig(path: string): KubeconfigDoc {
  return parse(readFileSync(path, 'utf8')) as KubeconfigDoc;
}

describe('kd serve over https', () => {
  let d: Daemon;
  before(async () => {
    d = await startDaemon();
  });
  after(async () => {
    await d.stop();
  });

  it('writes a kubeconfig with the CA, the token and the context', () => {
    const kc = readKubeconfig(d.kubeconfig);
    assert.equal(kc['current-context'], 'kubedojo');
    assert.equal(kc.clusters[0]!.name, 'kubedojo');
    assert.equal(kc.clusters[0]!.cluster.server, d.url);
    assert.match(d.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString('utf8');
    assert.equal(ca, d.caPem);
    assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
    assert.deepEqual(kc.users, [{ name: 'kubedojo', user: { token: d.token } }]);
    assert.deepEqual(kc.contexts, [{ name: 'kubedojo', context: { cluster: 'kubedojo', user: 'kubedojo', namespace: 'default' } }]);
    assert.match(d.token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(d.kubeconfig).mode & 0o777, 0o600);
    assert.equal(statSync(`${d.dataDir}/token`).mode & 0o777, 0o600);
    assert.equal(statSync(`${d.dataDir}/pki/ca.key`).mode & 0o777, 0o600);
    assert.equal(statSync(`${d.dataDir}/pki/apiserver.key`).mode & 0o777, 0o600);
  });

  it('answers kubectl version with client, kustomize and server versions', async () => {
    const res = await runKubectl(d, ['version']);
    assert.equal(res.stderr, '');
    assert.equal(res.code, 0);
    assert.equal(res.stdout, 'Client Version: v1.35.2\nKustomize Version: v5.7.1\nServer Version: v1.35.2\n');
  });

  it('rejects a request without a token with 401 Unauthorized', async () => {
    const res = await httpRequest(d, 'GET', '/api/v1/namespaces', { token: null });
    assert.equal(res.status, 401);
    const status = JSON.parse(res.body) as { kind: string; reason: string; code: number };
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'Unauthorized');
    assert.equal(status.code, 401);
    const ok = await httpRequest(d, 'GET', '/api/v1/namespaces');
    assert.equal(ok.status, 200);
  });

  it('makes kubectl with a wrong token say it must log in', async () => {
    // Warm the discovery cache first: with a cold cache kubectl fails in discovery and words the
    // error differently ("the server has asked for the client to provide credentials").
    const warm = await runKubectl(d, ['get', 'namespaces']);
    assert.equal(warm.code, 0, warm.stderr);
    const res = await runKubectl(d, ['get', 'namespaces', '--token', 'wrong']);
    assert.equal(res.code, 1);
    assert.equal(res.stdout, '');
    const lines = res.stderr.trimEnd().split('\n');
    assert.equal(lines.at(-1), UNAUTHORIZED_LINE, res.stderr);
  });

  it('serves /readyz', async () => {
    const res = await httpRequest(d, 'GET', '/readyz');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'ok');
  });

  it('leaves its main thread the only one at normal priority', () => {
    const nice = new Map(readdirSync(`/proc/${d.pid}/task`).map((tid) => [Number(tid), threadNice(d.pid, Number(tid))]));
    assert.equal(nice.get(d.pid), threadNice(process.pid, process.pid));
    const helpers = [...nice].filter(([tid]) => tid !== d.pid);
    // V8's platform workers and the storage writer at least.
    assert.ok(helpers.length >= 2, `threads: ${[...nice.keys()].join(' ')}`);
    assert.deepEqual(helpers.filter(([, n]) => n !== HELPER_NICE), []);
  });
});

/** A thread's nice value: field 19 of its stat line. */
function threadNice(pid: number, tid: number): number {
  return Number(procStatFields(pid, tid)[16]);
}

describe('daemon life cycle', () => {
  it('exits with code 0 promptly on SIGTERM', async () => {
    const d = await startDaemon();
    const started = performance.now();
    const code = await d.stop();
    const tookMs = performance.now() - started;
    assert.equal(code, 0, d.output());
    assert.ok(tookMs < PROMPT_EXIT_MS, `SIGTERM took ${Math.round(tookMs)} ms`);
  });

  it('reuses the CA and the token when restarted on the same data directory', async () => {
    const first = await startDaemon();
    const firstConfig = readKubeconfig(first.kubeconfig);
    assert.equal(await first.stop(), 0, first.output());

    const second = await startDaemon({ dataDir: first.dataDir });
    try {
      const again = readKubeconfig(second.kubeconfig);
      assert.equal(again.clusters[0]!.cluster['certificate-authority-data'], firstConfig.clusters[0]!.cluster['certificate-authority-data']);
      assert.equal(second.caPem, first.caPem);
      assert.equal(second.token, first.token);
      // A fresh port, but the same credentials: kubectl trusts the new daemon straight away.
      const res = await runKubectl(second, ['version']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /^Server Version: v1\.35\.2$/m);
    } finally {
      await second.stop();
    }
  });

  it('rejects bad arguments with an error line and exit code 1', async () => {
    await assert.rejects(startDaemon({ extraArgs: ['--speed', '0'] }), /error: Cannot start the clock as '--speed' must be a positive number/);
  });
});

describe('kd serve --insecure-http', () => {
  let d: Daemon;
  before(async () => {
    d = await startDaemon({ insecureHttp: true });
  });
  after(async () => {
    await d.stop();
  });

  it('serves plain http with a kubeconfig without CA or credentials', () => {
    assert.match(d.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(d.caPem, '');
    const kc = readKubeconfig(d.kubeconfig);
    assert.equal(kc.clusters[0]!.cluster.server, d.url);
    assert.equal(kc.clusters[0]!.cluster['certificate-authority-data'], undefined);
    assert.deepEqual(kc.users, [{ name: 'kubedojo', user: {} }]);
  });

  it('answers kubectl and raw requests without a token', async () => {
    const version = await runKubectl(d, ['version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^Server Version: v1\.35\.2$/m);
    const res = await httpRequest(d, 'GET', '/readyz', { token: null });
    assert.equal(res.status, 200);
    const api = await httpRequest(d, 'GET', '/api/v1/namespaces', { token: null });
    assert.equal(api.status, 200);
  });
});

describe('maskAge', () => {
  it('masks age cells but never names that end like ages', () => {
    const table = 'NAME     READY   RESTARTS      AGE   IP\nweb-1d   1/1     2 (5s ago)    12s   10.0.0.1\npod-5s   1/1     0             3d4h  10.0.0.2\n';
    assert.equal(
      maskAge(table),
      'NAME     READY   RESTARTS      AGE   IP\nweb-1d   1/1     2 (<age> ago)    <age>   10.0.0.1\npod-5s   1/1     0             <age>   10.0.0.2\n',
    );
    assert.equal(maskAge('  Normal  Pulled  10s (x2 over 2m3s)  kubelet  Pulled\n'), '  Normal  Pulled  <age> (x2 over <age>)  kubelet  Pulled\n');
    assert.equal(maskAge('NAME   AGE\nweb    5y45d\n'), 'NAME   AGE\nweb    <age>\n');
  });
});
