import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { buildContainerFilesystem, hostsFile, lazyContainerFilesystem, resolvConf } from '../../../server/kubelet/container-fs.js';
import { resolveEnv } from '../../../server/kubelet/container-env.js';
import type { VolumeStore } from '../../../server/kubelet/mounted-files.js';
import { startTestCluster } from '../../support/cluster.js';

const NOW = Date.UTC(2026, 0, 1);

function pod(spec: Pod['spec']): Pod {
  return { metadata: { name: 'web', namespace: 'default', uid: 'u-1', labels: { tier: 'front', app: 'web' } }, spec } as Pod;
}

test('kubelet-managed files: /etc/hosts with the pod IP, /etc/hostname, ClusterFirst resolv.conf', () => {
  const p = pod({ containers: [{ name: 'a', image: 'nginx:1.27' }] });
  assert.equal(hostsFile(p, '10.244.1.7'), [
    '# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters', '10.244.1.7\tweb', '',
  ].join('\n'));
  assert.equal(resolvConf('shop'), 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
});

test('volumes: configMap (items), secret (decoded), downwardAPI, projected token, emptyDir shared between containers', (t) => {
  const c = startTestCluster(t, []);
  c.client.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.conf': 'port=80\n', other: 'x' } });
  c.client.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { password: Buffer.from('s3cret').toString('base64') } });
  const p = pod({
    containers: [
      { name: 'a', image: 'busybox:1.36', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'db', mountPath: '/etc/db/' }, { name: 'info', mountPath: '/etc/podinfo' }, { name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/single.conf', subPath: 'renamed.conf' }] },
      { name: 'b', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/usr/share/nginx/html' }] },
    ],
    volumes: [
      { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'renamed.conf' }] } },
      { name: 'db', secret: { secretName: 'db' } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
      { name: 'data', emptyDir: {} },
    ],
  });
  const volumes = new Map<string, VolumeStore>();
  const deps = { client: c.client, podIP: '10.244.1.7', volumes, now: NOW };
  const a = buildContainerFilesystem(p, p.spec!.containers[0]!, deps);
  const b = buildContainerFilesystem(p, p.spec!.containers[1]!, deps);
  assert.equal(a.files.get('/etc/app/renamed.conf'), 'port=80\n');
  assert.equal(a.files.has('/etc/app/other'), false, 'items select keys');
  assert.equal(a.files.get('/etc/single.conf'), 'port=80\n', 'subPath mounts one file');
  assert.equal(a.files.get('/etc/db/password'), 's3cret');
  assert.equal(a.files.get('/etc/podinfo/labels'), 'app="web"\ntier="front"');
  assert.equal(a.files.get('/etc/podinfo/ns'), 'default');
  assert.equal(a.files.get('/etc/hostname'), 'web\n');
  assert.ok(a.dirs.has('/data'));
  assert.equal(a.files.has('/data/index.html'), false, "nginx's own page stays hidden under b's mount, out of the volume");
  a.files.set('/data/index.html', 'from a');
  a.files.set('/tmp/private', 'a only');
  assert.equal(b.files.get('/usr/share/nginx/html/index.html'), 'from a', 'the emptyDir hides the image file and is shared');
  assert.equal(b.files.has('/tmp/private'), false);
  assert.ok([...b.files.keys()].includes('/usr/share/nginx/html/index.html'));
  assert.equal(b.files.get('/etc/os-release')?.split('\n')[0], 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
});

test('a container filesystem is built on first read, from the volume sources of its creation', (t) => {
  const c = startTestCluster(t, []);
  c.client.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.conf': 'port=80\n' } });
  const p = pod({
    containers: [{ name: 'a', image: 'busybox:1.36', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'data', mountPath: '/data' }] }],
    volumes: [
      { name: 'cfg', configMap: { name: 'cfg' } },
      { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'ca.crt' }] } }] } },
      { name: 'data', emptyDir: {} },
    ],
  });
  const volumes = new Map<string, VolumeStore>();
  const fs = lazyContainerFilesystem(p, p.spec!.containers[0]!, { client: c.client, podIP: '10.244.1.7', volumes, now: NOW });
  assert.equal(volumes.size, 0, 'nothing is built before a read: the emptyDir store does not exist yet');
  c.client.mutate('configmaps', { namespace: 'default', name: 'cfg' }, (cm) => ({ ...cm, data: { 'app.conf': 'port=8080\n' } }));
  c.client.delete('configmaps', { namespace: 'default', name: 'cfg' });
  assert.equal(fs.files.get('/etc/app/app.conf'), 'port=80\n', 'the ConfigMap as it was when the container was created');
  assert.equal(fs.files.get('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'), 'port=80\n');
  const claims = JSON.parse(Buffer.from(fs.files.get('/var/run/secrets/kubernetes.io/serviceaccount/token')!.split('.')[1]!, 'base64url').toString('utf8'));
  assert.equal(claims.iat, NOW / 1000, 'the token is issued at creation, not at the first read');
  assert.deepEqual([...volumes.keys()], ['data']);
  fs.files.set('/data/x', 'kept');
  assert.equal(fs.files.get('/data/x'), 'kept', 'one tree, built once');
  assert.ok(fs.dirs.has('/etc/app'));
});

test('containers created before and after a ConfigMap changes each show their own version', (t) => {
  const c = startTestCluster(t, []);
  c.client.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { k: 'one' } });
  const p = pod({ containers: [{ name: 'a', image: 'busybox:1.36', volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }], volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }] });
  const deps = () => ({ client: c.client, podIP: '10.244.1.7', volumes: new Map<string, VolumeStore>(), now: NOW });
  const [first, twin] = [lazyContainerFilesystem(p, p.spec!.containers[0]!, deps()), lazyContainerFilesystem(p, p.spec!.containers[0]!, deps())];
  c.client.mutate('configmaps', { namespace: 'default', name: 'cfg' }, (cm) => ({ ...cm, data: { k: 'two' } }));
  const later = lazyContainerFilesystem(p, p.spec!.containers[0]!, deps());
  c.client.delete('configmaps', { namespace: 'default', name: 'cfg' });
  const gone = lazyContainerFilesystem(p, p.spec!.containers[0]!, deps());
  assert.deepEqual([first, twin, later].map((fs) => fs.files.get('/cfg/k')), ['one', 'one', 'two']);
  assert.equal(gone.files.get('/cfg/k'), undefined);
});

test('resolveEnv: PATH and HOSTNAME first, Service variables, resourceFieldRef, HOME last', (t) => {
  const c = startTestCluster(t, []);
  c.client.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-db', namespace: 'default' }, spec: { ports: [{ name: 'pg', port: 5432 }] } });
  const svc = c.client.get('services', { namespace: 'default', name: 'my-db' }) as unknown as { spec: { clusterIP: string } };
  const p = pod({ containers: [{ name: 'a', image: 'busybox', env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }], resources: { limits: { memory: '64Mi' } } }] });
  const env = resolveEnv(p, p.spec!.containers[0]!, c.client, '10.244.1.7');
  const ip = svc.spec.clusterIP;
  assert.deepEqual(env.map((e) => `${e.name}=${e.value}`), [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=web',
    'KUBERNETES_SERVICE_HOST=10.96.0.1', 'KUBERNETES_SERVICE_PORT=443', 'KUBERNETES_SERVICE_PORT_HTTPS=443', 'KUBERNETES_PORT=tcp://10.96.0.1:443',
    'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443', 'KUBERNETES_PORT_443_TCP_PROTO=tcp', 'KUBERNETES_PORT_443_TCP_PORT=443', 'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
    `MY_DB_SERVICE_HOST=${ip}`, 'MY_DB_SERVICE_PORT=5432', 'MY_DB_SERVICE_PORT_PG=5432', `MY_DB_PORT=tcp://${ip}:5432`,
    `MY_DB_PORT_5432_TCP=tcp://${ip}:5432`, 'MY_DB_PORT_5432_TCP_PROTO=tcp', 'MY_DB_PORT_5432_TCP_PORT=5432', `MY_DB_PORT_5432_TCP_ADDR=${ip}`,
    'MEM=64', 'HOME=/root',
  ]);
});

test('image files: nginx pages in Debian and Alpine variants, os-release per userland, busybox has none', (t) => {
  const c = startTestCluster(t, []);
  const deps = { client: c.client, podIP: undefined, volumes: new Map<string, VolumeStore>(), now: NOW };
  const fsOf = (image: string) => buildContainerFilesystem(pod({ containers: [{ name: 'a', image }] }), { name: 'a', image }, deps);
  const alpine = fsOf('nginx:1.27-alpine');
  assert.match(alpine.files.get('/usr/share/nginx/html/index.html') ?? '', /<h1>Welcome to nginx!<\/h1>/);
  assert.equal(alpine.files.get('/etc/os-release')?.split('\n')[0], 'NAME="Alpine Linux"');
  assert.ok(alpine.dirs.has('/etc/nginx/conf.d'));
  const busybox = fsOf('busybox:1.37');
  assert.equal(busybox.files.has('/etc/os-release'), false);
  assert.deepEqual([...busybox.dirs].filter((d) => d.split('/').length === 2).sort(), ['/bin', '/dev', '/etc', '/home', '/lib', '/lib64', '/proc', '/root', '/sys', '/tmp', '/usr', '/var']);
  assert.equal(busybox.files.get('/etc/hosts')?.split('\n').length, 8, 'no pod IP line before the sandbox has an IP');
});

test('image files are copy-on-write: a container changes or removes its own copy, never its neighbour\'s', (t) => {
  const c = startTestCluster(t, []);
  const deps = { client: c.client, podIP: undefined, volumes: new Map<string, VolumeStore>(), now: NOW };
  const fsOf = () => buildContainerFilesystem(pod({ containers: [{ name: 'a', image: 'nginx:1.27' }] }), { name: 'a', image: 'nginx:1.27' }, deps);
  const [a, b] = [fsOf(), fsOf()];
  const index = '/usr/share/nginx/html/index.html';
  const page = b.files.get(index);
  assert.equal(a.files.delete(index), true);
  assert.equal(a.files.delete(index), false, 'already gone');
  a.files.set('/usr/share/nginx/html/50x.html', 'changed');
  assert.equal(a.dirs.delete('/var/log/nginx'), true);
  a.dirs.add('/srv/www');
  assert.equal(a.files.has(index), false);
  assert.ok(![...a.files.keys()].includes(index));
  assert.equal(a.files.get('/usr/share/nginx/html/50x.html'), 'changed');
  assert.equal([...a.files.keys()].filter((k) => k === '/usr/share/nginx/html/50x.html').length, 1);
  assert.equal(a.dirs.has('/var/log/nginx'), false);
  assert.ok(a.dirs.has('/srv/www'));
  assert.equal(b.files.get(index), page);
  assert.match(b.files.get('/usr/share/nginx/html/50x.html') ?? '', /error/);
  assert.ok(b.dirs.has('/var/log/nginx'));
  assert.ok(!b.dirs.has('/srv/www'));
  // Writing a removed image file back makes it the container's own again.
  a.files.set(index, 'mine');
  assert.equal(a.files.get(index), 'mine');
  a.dirs.add('/var/log/nginx');
  assert.equal([...a.dirs].filter((d) => d === '/var/log/nginx').length, 1);
});
