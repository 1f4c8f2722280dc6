/**
 * CaAgent: a server certificate issued by the kubeconfig's CA is trusted on the first handshake
 * (no OpenSSL root store); anything else is decided by Node's own verification on a second
 * connection, and the client prints kubectl's text for an unknown authority.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { CaAgent } from '../../../cli/kube/ca-agent.js';
import { KubeClient } from '../../../cli/kube/client.js';
import { FakeClock } from '../../../server/clock.js';
import { ensureTls, type TlsMaterial } from '../../../server/tls.js';

let served: TlsMaterial;
let otherCa: string;
let server: Server;
let port: number;
/** TCP connections the server accepted: one per handshake the client started. */
let handshakes = 0;

before(async () => {
  // Certificates are checked against the wall clock, so they are issued at the real time.
  const wall = new FakeClock(Date.now());
  served = await ensureTls(mkdtempSync(join(tmpdir(), 'kd-ca-a-')), [], wall);
  otherCa = (await ensureTls(mkdtempSync(join(tmpdir(), 'kd-ca-b-')), [], wall)).caPem;
  server = createServer({ cert: served.certPem, key: served.keyPem }, (socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{"ok":true}');
  });
  server.on('connection', () => handshakes++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(agent: CaAgent, host: string, servername?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent, ...(servername ? { servername } : {}) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a certificate the kubeconfig CA issued is trusted on the first handshake, by IP and by name', async () => {
  for (const host of ['127.0.0.1', 'localhost']) {
    handshakes = 0;
    const agent = new CaAgent({ ca: served.caPem });
    assert.equal(await get(agent, host), 200);
    assert.equal(handshakes, 1, host);
    agent.destroy();
  }
});

test('a certificate from another CA is refused by Node on a second connection', async () => {
  handshakes = 0;
  const agent = new CaAgent({ ca: otherCa });
  await assert.rejects(get(agent, '127.0.0.1'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  assert.equal(handshakes, 2);
  agent.destroy();
});

test('a host the certificate does not name is refused', async () => {
  const agent = new CaAgent({ ca: served.caPem });
  await assert.rejects(get(agent, '127.0.0.1', 'evil.example'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  agent.destroy();
});

test('the client words an unknown authority as kubectl does', async () => {
  const client = new KubeClient({ server: `https://127.0.0.1:${port}`, caPem: otherCa, insecureSkipTlsVerify: false, namespace: 'default' });
  await assert.rejects(client.getJson('/api'), {
    message: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority',
  });
  await client.close();
});
