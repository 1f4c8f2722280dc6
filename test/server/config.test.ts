import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, defaultClusterConfig, validateClusterConfig } from '../../server/config.js';

test('the default cluster is a kubeadm lab: a tainted control plane and two workers', () => {
  const c = defaultClusterConfig();
  assert.deepEqual(c.nodes.map((n) => n.name), ['controlplane', 'node01', 'node02']);
  const [cp, w1] = c.nodes;
  assert.deepEqual(cp!.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  assert.deepEqual(cp!.labels, { 'node-role.kubernetes.io/control-plane': '' });
  assert.deepEqual(w1!.taints, []);
  assert.equal(w1!.pods, '110');
  assert.deepEqual(c.nodes.map((n) => n.podCIDR), ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
  assert.deepEqual(c.nodes.map((n) => n.address), ['172.30.1.2', '172.30.1.3', '172.30.1.4']);
});

test('workers: N adds numbered nodes with the defaults, named with enough digits', () => {
  const c = validateClusterConfig({ workers: 100 });
  assert.equal(c.nodes.length, 100);
  assert.equal(c.nodes[0]!.name, 'node001');
  assert.equal(c.nodes[99]!.name, 'node100');
});

test('node fields are checked and worded with the offending value', () => {
  assert.throws(() => validateClusterConfig({ nodes: [{ name: 'Node_1' }] }), new ConfigError("Cannot use the cluster config as 'nodes[0].name' must be a DNS-1123 subdomain: current value is Node_1"));
  assert.throws(() => validateClusterConfig({ nodes: [{ name: 'a', cpu: 'lots' }] }), new ConfigError("Cannot use the cluster config as 'nodes[0].cpu' must be a quantity: current value is lots"));
  assert.throws(() => validateClusterConfig({ nodes: [{ name: 'a' }, { name: 'a' }] }), /node name "a" appears twice/);
  assert.throws(() => validateClusterConfig({ nodes: [{ name: 'a', taints: [{ key: 'k', effect: 'Sometimes' }] }] }), /taints\[0\]' needs a key and an effect/);
  assert.throws(() => validateClusterConfig({ workers: -1 }), /'workers' must be a non-negative integer/);
});

test('custom nodes keep their labels and taints; numbers are accepted as quantities', () => {
  const c = validateClusterConfig({ nodes: [{ name: 'big', cpu: 16, memory: '64Gi', labels: { disktype: 'ssd' }, taints: [{ key: 'gpu', value: 'true', effect: 'NoExecute' }] }] });
  assert.equal(c.nodes[0]!.cpu, '16');
  assert.deepEqual(c.nodes[0]!.labels, { disktype: 'ssd' });
  assert.deepEqual(c.nodes[0]!.taints, [{ key: 'gpu', value: 'true', effect: 'NoExecute' }]);
});
