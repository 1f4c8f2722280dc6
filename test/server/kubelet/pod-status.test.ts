import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { generatePodStatus, sameStatusInputs, statusInputs, type ContainerView, type PodView, type TerminatedState } from '../../../server/kubelet/pod-status.js';

const T0 = Date.UTC(2026, 0, 1);

const terminated = (exitCode: number): Required<TerminatedState> => ({ exitCode, reason: 'Error', message: 'boom', startedAt: T0, finishedAt: T0 + 5_000, containerID: `containerd://${exitCode}` });

/** Every field set (Required: a field added to ContainerView or PodView must be added here). */
function fullView(): { view: Required<PodView>; container: Required<ContainerView> } {
  const container: Required<ContainerView> = {
    spec: { name: 'app', image: 'nginx:1.27' },
    kind: 'regular',
    state: 'running',
    waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' },
    containerID: 'containerd://abc',
    imageRef: 'docker.io/library/nginx:1.27',
    imageID: 'docker.io/library/nginx@sha256:0',
    startedAt: T0 + 1_000,
    terminated: terminated(1),
    lastTerminated: terminated(2),
    restartCount: 1,
    started: true,
    ready: true,
  };
  const pod: Pod = { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [container.spec] } };
  const view: Required<PodView> = { pod, containers: [container], sandboxReady: true, hostIP: '192.168.0.2', podIP: '10.244.1.5', startTime: T0, terminal: false };
  return { view, container };
}

/** Another value of the same kind: a string or number changed, a boolean flipped, an object copied. */
function other(value: unknown): unknown {
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  return { ...(value as object) };
}

test('statusInputs changes with every field generatePodStatus can read', () => {
  const status: PodStatus = { phase: 'Running' };
  const { view, container } = fullView();
  const before = statusInputs(view, status);
  assert.ok(sameStatusInputs(before, statusInputs(fullView().view, status)) === false, 'the pod and spec are compared by identity');
  assert.ok(sameStatusInputs(before, statusInputs(view, status)));
  assert.ok(!sameStatusInputs(before, statusInputs(view, { ...status })), 'the current status');
  const changes: Array<[string, () => void, () => void]> = [];
  for (const key of Object.keys(view) as Array<keyof PodView>) {
    if (key === 'containers') continue;
    const was = view[key];
    changes.push([`view.${key}`, () => void ((view as Record<string, unknown>)[key] = other(was)), () => void ((view as Record<string, unknown>)[key] = was)]);
  }
  for (const key of Object.keys(container) as Array<keyof ContainerView>) {
    const was = container[key];
    const target = container as Record<string, unknown>;
    if (key === 'kind') changes.push(['container.kind', () => void (target.kind = 'sidecar'), () => void (target.kind = was)]);
    else if (key === 'state') changes.push(['container.state', () => void (target.state = 'waiting'), () => void (target.state = was)]);
    else if (key === 'spec') changes.push(['container.spec', () => void (target.spec = other(was)), () => void (target.spec = was)]);
    else if (typeof was === 'object') {
      // waiting and the terminated states are read by value: changed in place, each field counts.
      for (const inner of Object.keys(was as object)) {
        const obj = was as Record<string, unknown>;
        const v = obj[inner];
        changes.push([`container.${key}.${inner}`, () => void (obj[inner] = other(v)), () => void (obj[inner] = v)]);
      }
    } else changes.push([`container.${key}`, () => void (target[key] = other(was)), () => void (target[key] = was)]);
  }
  for (const [name, change, undo] of changes) {
    change();
    assert.ok(!sameStatusInputs(before, statusInputs(view, status)), `${name} is an input`);
    undo();
    assert.ok(sameStatusInputs(before, statusInputs(view, status)), `${name} undone`);
  }
  assert.ok(changes.length >= 28, `${changes.length} fields tried`);
  view.containers = [];
  assert.ok(!sameStatusInputs(before, statusInputs(view, status)), 'a container less');
});

test('equal inputs make equal statuses: a status regenerated from itself is unchanged later', () => {
  const { view, container } = fullView();
  const started = { ...container, state: 'running' as const, terminated: undefined, waiting: undefined, lastTerminated: undefined, restartCount: 0 };
  const v: PodView = { ...view, containers: [started] };
  const first = generatePodStatus(v, {}, T0 + 2_000);
  const settled = generatePodStatus(v, first, T0 + 3_000);
  assert.deepEqual(settled, first);
  assert.ok(sameStatusInputs(statusInputs(v, first), statusInputs(v, first)));
  // An hour later, the same inputs give the same status: time alone changes nothing.
  assert.deepEqual(generatePodStatus(v, first, T0 + 3_600_000), first);
});
