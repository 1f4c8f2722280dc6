/**
 * The pure parts of `kd rollout` and `kd wait`: status viewers, Go durations and the pod template
 * printer, on hand-made objects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonSetStatus, deploymentStatus, statefulSetStatus } from '../../../cli/rollout/status.js';
import { describePodTemplate } from '../../../cli/rollout/template.js';
import { formatGoDuration, parseGoDuration } from '../../../cli/rollout/watch.js';

const deployment = (status: object, extra: object = {}) => ({ metadata: { name: 'web', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } }, spec: { replicas: 3 }, status: { observedGeneration: 2, ...status }, ...extra });

test('deployment status follows kubectl decision order', () => {
  assert.equal(deploymentStatus({ ...deployment({}), status: { observedGeneration: 1 } }, 0).text, 'Waiting for deployment spec update to be observed...');
  assert.equal(deploymentStatus(deployment({ updatedReplicas: 1, replicas: 4 }), 0).text, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
  assert.equal(deploymentStatus(deployment({ updatedReplicas: 3, replicas: 4 }), 0).text, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
  assert.equal(deploymentStatus(deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 }), 0).text, 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
  const done = deploymentStatus(deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), 2);
  assert.deepEqual(done, { text: 'deployment "web" successfully rolled out', done: true });
  assert.throws(() => deploymentStatus(deployment({}), 5), /desired revision \(5\) is different from the running revision \(2\)/);
  assert.throws(() => deploymentStatus(deployment({ conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }), 0), /deployment "web" exceeded its progress deadline/);
});

test('daemonset and statefulset status', () => {
  const ds = { metadata: { name: 'agent', generation: 1 }, spec: { updateStrategy: { type: 'RollingUpdate' } }, status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 1 } };
  assert.equal(daemonSetStatus(ds).text, 'Waiting for daemon set "agent" rollout to finish: 1 out of 2 new pods have been updated...');
  assert.throws(() => daemonSetStatus({ ...ds, spec: { updateStrategy: { type: 'OnDelete' } } }), /only available for RollingUpdate strategy type/);
  const sts = { metadata: { name: 'db', generation: 1 }, spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, status: { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1 } };
  assert.equal(statefulSetStatus(sts).text, 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...');
  assert.deepEqual(statefulSetStatus({ ...sts, status: { ...sts.status, updatedReplicas: 2 } }), { text: 'partitioned roll out complete: 2 new pods have been updated...', done: true });
});

test('Go durations parse and print as time.Duration does', () => {
  assert.equal(parseGoDuration('1m30s', '--timeout', 'kubectl wait'), 90_000);
  assert.equal(parseGoDuration('0', '--timeout', 'kubectl wait'), 0);
  assert.equal(parseGoDuration('-1s', '--timeout', 'kubectl wait'), -1000);
  assert.throws(() => parseGoDuration('abc', '--timeout', 'kubectl wait'), /invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"\nSee 'kubectl wait --help' for usage\./);
  assert.equal(formatGoDuration(7000), '7s');
  assert.equal(formatGoDuration(60_000), '1m0s');
  assert.equal(formatGoDuration(3_723_000), '1h2m3s');
});

test('pod template as describe prints it, raw tabs and all', () => {
  const text = describePodTemplate({
    metadata: { labels: { app: 'web', tier: 'front' } },
    spec: {
      containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: 'b' }] }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
    },
  });
  assert.equal(
    text,
    'Pod Template:\n  Labels:\tapp=web\n\ttier=front\n  Containers:\n   nginx:\n    Image:\tnginx:1.27\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n' +
      '    Environment:\n      A:\tb\n    Mounts:\t<none>\n  Volumes:\n   tmp:\n    Type:\tEmptyDir (a temporary directory that shares a pod\'s lifetime)\n' +
      '    Medium:\t\n    SizeLimit:\t<unset>\n  Node-Selectors:\t<none>\n  Tolerations:\tk:NoSchedule op=Exists for 30s\n',
  );
});
