import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { defaultClusterConfig } from '../../../../server/config.js';
import { buildTestApp } from '../../../support/app.js';

/** A listening API server with the simulated cluster on a frozen clock. */
async function cluster(t: { after(fn: () => unknown): void }) {
  const a = await buildTestApp(t, { cluster: defaultClusterConfig(), seed: 7 });
  await a.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (a.app.server.address() as { port: number }).port;
  return { app: a.app, clock: a.clock, port, advance: a.advance, settle: a.settle, create: a.createPod };
}

interface Stream {
  ws: WebSocket;
  stdout: string;
  stderr: string;
  status: any;
  /** Resolves when the server closes the connection. */
  closed: Promise<number>;
  /** Resolves once stdout contains `text`. */
  waitOut(text: string): Promise<void>;
  send(channel: number, data: string | Buffer): void;
}

/** Opens an exec/attach stream as kubectl does (GET + WebSocket upgrade, v5.channel.k8s.io). */
function open(port: number, path: string): Promise<Stream> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, ['v5.channel.k8s.io']);
  const s: Stream = {
    ws, stdout: '', stderr: '', status: undefined,
    closed: new Promise((resolve) => ws.once('close', (code) => resolve(code))),
    async waitOut(text) {
      for (let i = 0; i < 200 && !s.stdout.includes(text); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(s.stdout.includes(text), `stdout ${JSON.stringify(s.stdout)} lacks ${JSON.stringify(text)}`);
    },
    send: (channel, data) => ws.send(Buffer.concat([Buffer.of(channel), Buffer.from(data)])),
  };
  ws.on('message', (data: Buffer) => {
    const body = data.subarray(1).toString('utf8');
    if (data[0] === 1) s.stdout += body;
    else if (data[0] === 2) s.stderr += body;
    else if (data[0] === 3) s.status = JSON.parse(body);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      assert.equal(ws.protocol, 'v5.channel.k8s.io');
      resolve(s);
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode, body: JSON.parse(body) })));
    });
    ws.once('error', reject);
  });
}

const EXEC = '/api/v1/namespaces/default/pods';
const q = (...command: string[]) => command.map((c) => `command=${encodeURIComponent(c)}`).join('&');
const BUSYBOX = { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo hi > /tmp/greeting; sleep 3600'] }] };

test('exec streams stdout and stderr and ends with the NonZeroExitCode status', async (t) => {
  const c = await cluster(t);
  await c.create('box', BUSYBOX);
  await c.advance(2_000);
  const s = await open(c.port, `${EXEC}/box/exec?${q('sh', '-c', 'cat /tmp/greeting; echo oops >&2; exit 3')}&container=app&stdout=true&stderr=true`);
  assert.equal(await s.closed, 1000);
  assert.equal(s.stdout, 'hi\n');
  assert.equal(s.stderr, 'oops\n');
  assert.deepEqual(s.status, {
    metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code: command terminated with exit code 3',
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] },
  });
});

test('exec -i delivers stdin up to the v5 close signal; sleeps run on the virtual clock', async (t) => {
  const c = await cluster(t);
  await c.create('box', BUSYBOX);
  await c.advance(2_000);
  const s = await open(c.port, `${EXEC}/box/exec?${q('sh')}&stdin=true&stdout=true&stderr=true`);
  s.send(0, 'read_me=1\nwc -l /etc/hosts; sleep 5; echo "slept $read_me"\n');
  s.ws.send(Buffer.of(255, 0));
  await s.waitOut('8 /etc/hosts\n');
  assert.equal(s.status, undefined, 'still sleeping');
  await c.advance(5_000);
  assert.equal(await s.closed, 1000);
  assert.equal(s.stdout, '8 /etc/hosts\nslept 1\n');
  assert.deepEqual(s.status, { metadata: {}, status: 'Success' });
});

test('exec -it sh is an interactive busybox shell with echo, prompt and exit status', async (t) => {
  const c = await cluster(t);
  await c.create('box', BUSYBOX);
  await c.advance(2_000);
  const s = await open(c.port, `${EXEC}/box/exec?${q('sh')}&stdin=true&stdout=true&tty=true`);
  await s.waitOut('/ # ');
  s.send(4, '{"Width":120,"Height":40}');
  s.send(0, 'cd /tmp\r');
  await s.waitOut('/tmp # ');
  s.send(0, 'ls\r');
  await s.waitOut('greeting\r\n/tmp # ');
  s.send(0, 'exit 2\r');
  assert.equal(await s.closed, 1000);
  assert.equal(s.stdout, '/ # cd /tmp\r\n/tmp # ls\r\ngreeting\r\n/tmp # exit 2\r\n');
  assert.equal(s.status.reason, 'NonZeroExitCode');
  assert.equal(s.status.details.causes[0].message, '2');
});

test('the apiserver refuses bad requests before the upgrade; the kubelet reports on the status channel', async (t) => {
  const c = await cluster(t);
  await c.create('box', BUSYBOX);
  await assert.rejects(open(c.port, `${EXEC}/box/exec?${q('ls')}&container=nope&stdout=true`), (e: any) => {
    assert.equal(e.statusCode, 400);
    assert.equal(e.body.message, 'container nope is not valid for pod box');
    return true;
  });
  await assert.rejects(open(c.port, `${EXEC}/gone/exec?${q('ls')}&stdout=true`), (e: any) => e.statusCode === 404 && e.body.message === 'pods "gone" not found');
  // Not started yet: the kubelet has no such container.
  const s = await open(c.port, `${EXEC}/box/exec?${q('ls')}&stdout=true`);
  await s.closed;
  assert.equal(s.status.message, 'Internal error occurred: unable to upgrade connection: container not found ("app")');
  await c.advance(2_000);
  const missing = await open(c.port, `${EXEC}/box/exec?${q('bash')}&stdout=true`);
  await missing.closed;
  assert.match(missing.status.message, /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in \$PATH: unknown$/);
  const plain = await c.app.inject({ method: 'POST', url: `${EXEC}/box/exec?${q('ls')}&stdout=true` });
  assert.equal(plain.statusCode, 400);
  assert.equal(JSON.parse(plain.body).message, 'Upgrade request required');
});

test('attach streams what the container writes from now on, then Success when it exits', async (t) => {
  const c = await cluster(t);
  await c.create('job', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo before; sleep 2; echo during; sleep 1; echo done; exit 1'] }] });
  await c.advance(2_000);
  const s = await open(c.port, `${EXEC}/job/attach?container=app&stdout=true&stderr=true`);
  await c.advance(3_000);
  assert.equal(await s.closed, 1000);
  assert.equal(s.stdout, 'during\ndone\n');
  assert.deepEqual(s.status, { metadata: {}, status: 'Success' });
});

test('an exec\'d process dies with its container: exit code 137 when the pod is deleted', async (t) => {
  const c = await cluster(t);
  await c.create('box', { ...BUSYBOX, terminationGracePeriodSeconds: 0 });
  await c.advance(2_000);
  const s = await open(c.port, `${EXEC}/box/exec?${q('sleep', '3600')}&stdout=true&stderr=true`);
  await c.advance(1_000);
  assert.equal(s.status === undefined, true, 'still sleeping');
  const del = await c.app.inject({ method: 'DELETE', url: `${EXEC}/box` });
  assert.equal(del.statusCode, 200, del.body);
  await c.advance(1_000);
  assert.equal(await s.closed, 1000);
  assert.equal(s.status.details.causes[0].message, '137');
});
