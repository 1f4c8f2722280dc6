import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerArgv, containerUsage } from '../../../server/metrics/usage.js';

const MI = 1024 * 1024;

test('containerArgv resolves command/args against the image ENTRYPOINT and CMD like the kubelet', () => {
  assert.deepEqual(containerArgv({ image: 'nginx:1.27' }), ['nginx', '-g', 'daemon off;']);
  assert.deepEqual(containerArgv({ image: 'polinux/stress', args: ['--cpu', '1'] }), ['stress', '--cpu', '1']);
  assert.deepEqual(containerArgv({ image: 'busybox', command: ['sleep', '3600'] }), ['sleep', '3600']);
  assert.deepEqual(containerArgv({ image: 'redis:7' }), ['redis-server']);
});

test('an idle nginx shows about 1m and 7Mi; sleep shows 0m and under 1Mi', () => {
  const nginx = containerUsage('default/web-1', { name: 'nginx', image: 'nginx:1.27' });
  assert.ok(nginx.cpuNanocores > 0 && nginx.cpuNanocores <= 1_000_000, `${nginx.cpuNanocores}`);
  assert.equal(Math.floor(nginx.memoryBytes / MI), 7);
  const sleep = containerUsage('default/s', { name: 's', image: 'busybox', command: ['sleep', '3600'] });
  assert.equal(sleep.cpuNanocores, 0);
  assert.ok(sleep.memoryBytes < MI);
});

test('kubeadm\'s kube-system components use what they use on a real idle cluster', () => {
  const apiserver = containerUsage('kube-system/kube-apiserver-controlplane', { name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.35.2', command: ['kube-apiserver', '--secure-port=6443'] });
  assert.equal(Math.floor(apiserver.cpuNanocores / 1_000_000), 35);
  assert.equal(Math.floor(apiserver.memoryBytes / MI), 260);
  const proxy = containerUsage('kube-system/kube-proxy-abcde', { name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.35.2', command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'] });
  assert.equal(Math.floor(proxy.memoryBytes / MI), 18);
  // CoreDNS runs its image's ENTRYPOINT (/coredns) with kubeadm's args.
  const dns = containerUsage('kube-system/coredns-1-a', { name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.13.1', args: ['-conf', '/etc/coredns/Corefile'] });
  assert.deepEqual([Math.floor(dns.cpuNanocores / 1_000_000), Math.floor(dns.memoryBytes / MI)], [2, 14]);
});

test('replicas differ slightly but stably: same key, same numbers', () => {
  const a = containerUsage('default/web-a', { name: 'nginx', image: 'nginx:1.27' });
  const b = containerUsage('default/web-b', { name: 'nginx', image: 'nginx:1.27' });
  assert.notDeepEqual(a, b);
  assert.deepEqual(a, containerUsage('default/web-a', { name: 'nginx', image: 'nginx:1.27' }));
  assert.equal(a.memoryBytes % 4096, 0, 'working set is whole pages');
});

test('stress workers take a core each, --vm-bytes is resident, --vm-hang stops the vm spinning', () => {
  const cpu = containerUsage('d/p', { name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--cpu', '2'] });
  assert.ok(cpu.cpuNanocores >= 2_000_000_000 && cpu.cpuNanocores < 2_001_000_000);
  const vm = containerUsage('d/p', { name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] });
  assert.equal(vm.cpuNanocores, 0);
  assert.equal(Math.floor(vm.memoryBytes / MI), 151);
});

test('busy shell loops use a whole core, capped by the CPU limit; loops that sleep use nothing', () => {
  const busy = { name: 'c', image: 'busybox', command: ['sh', '-c', 'while true; do :; done'] };
  assert.ok(containerUsage('d/p', busy).cpuNanocores >= 1_000_000_000);
  assert.equal(containerUsage('d/p', { ...busy, resources: { limits: { cpu: '300m' } } }).cpuNanocores, 300_000_000);
  const idle = { name: 'c', image: 'busybox', command: ['sh', '-c', 'while true; do echo hi; sleep 5; done'] };
  assert.equal(containerUsage('d/p', idle).cpuNanocores, 0);
  assert.ok(containerUsage('d/p', { name: 'c', image: 'busybox', command: ['sh', '-c', 'yes > /dev/null'] }).cpuNanocores >= 1_000_000_000);
});
