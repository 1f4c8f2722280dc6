import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { errorString } from '../../../server/validation/field-errors.js';
import { validateStatusUpdate } from '../../../server/validation/status.js';

const object = (kind: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind, metadata: { name: 'x', namespace: 'default', uid: 'u' }, spec, status }) as KubeObject;

function errors(group: string, kind: string, status: Record<string, unknown>, oldStatus: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): string[] {
  return validateStatusUpdate(group, kind, object(kind, status, spec), object(kind, oldStatus, spec)).map(errorString);
}

test('ReplicaSet status: counters are non-negative and bounded by replicas and readyReplicas', () => {
  assert.deepEqual(errors('apps', 'ReplicaSet', { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 }), []);
  assert.deepEqual(errors('apps', 'ReplicaSet', { replicas: 2, fullyLabeledReplicas: 3, readyReplicas: 1, availableReplicas: 2, observedGeneration: -1 }), [
    'status.observedGeneration: Invalid value: -1: must be greater than or equal to 0',
    'status.fullyLabeledReplicas: Invalid value: 3: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas',
  ]);
});

test('StatefulSet and DaemonSet status: collisionCount never goes down, counters stay non-negative', () => {
  assert.deepEqual(errors('apps', 'StatefulSet', { replicas: 1, currentReplicas: 2, collisionCount: 0 }, { collisionCount: 1 }), [
    'status.currentReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.collisionCount: Invalid value: 0: cannot be decremented',
  ]);
  assert.deepEqual(errors('apps', 'DaemonSet', { numberReady: -1 }, { collisionCount: 2 }), [
    'status.numberReady: Invalid value: -1: must be greater than or equal to 0',
    'status.collisionCount: Invalid value: 0: cannot be decremented',
  ]);
  assert.deepEqual(errors('apps', 'DaemonSet', { numberReady: 1, collisionCount: 3 }, { collisionCount: 2 }), []);
});

test('Pod status: a terminated container stays terminated unless the pod or the container restarts it', () => {
  const terminated = (name: string, exitCode = 0) => ({ name, state: { terminated: { exitCode } } });
  const running = (name: string) => ({ name, state: { running: {} } });
  const spec = { restartPolicy: 'Never', initContainers: [{ name: 'init' }, { name: 'sidecar', restartPolicy: 'Always' }], containers: [{ name: 'app' }] };
  const pod = (containers: unknown[], inits: unknown[]) => ({ containerStatuses: containers, initContainerStatuses: inits });
  assert.deepEqual(
    errors('', 'Pod', pod([running('app')], [running('init'), running('sidecar')]), pod([terminated('app')], [terminated('init'), terminated('sidecar')]), spec),
    [
      'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
      'status.initContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    ],
  );
  assert.deepEqual(errors('', 'Pod', { nominatedNodeName: 'Node_1' }, {}, spec), [
    "status.nominatedNodeName: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
});

test('a status write checks metadata as an update does', () => {
  const obj = object('Deployment', {});
  const old = object('Deployment', {});
  obj.metadata.uid = 'other';
  assert.deepEqual(validateStatusUpdate('apps', 'Deployment', obj, old).map(errorString), ['metadata.uid: Invalid value: "other": field is immutable']);
});
