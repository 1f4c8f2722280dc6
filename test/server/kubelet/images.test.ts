import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IMAGE_CATALOG,
  alreadyPresentMessage,
  backOffPullingMessage,
  crashLoopBackOffEventMessage,
  crashLoopBackOffMessage,
  crashLoopBackOffMs,
  failedToPullMessage,
  imagePullBackOffMs,
  lookupImage,
  parseImageRef,
  pullResult,
  pulledMessage,
  pullingMessage,
} from '../../../server/kubelet/images.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('parseImageRef normalises references like containerd', () => {
  const cases: Array<[string, { registry: string; repository: string; tag: string; digest?: string; fullName: string }]> = [
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', fullName: 'docker.io/library/nginx:latest' }],
    ['nginx:1.25', { registry: 'docker.io', repository: 'library/nginx', tag: '1.25', fullName: 'docker.io/library/nginx:1.25' }],
    ['kicbase/echo-server:1.0', { registry: 'docker.io', repository: 'kicbase/echo-server', tag: '1.0', fullName: 'docker.io/kicbase/echo-server:1.0' }],
    ['docker.io/library/redis:7', { registry: 'docker.io', repository: 'library/redis', tag: '7', fullName: 'docker.io/library/redis:7' }],
    ['index.docker.io/library/redis', { registry: 'docker.io', repository: 'library/redis', tag: 'latest', fullName: 'docker.io/library/redis:latest' }],
    ['registry.k8s.io/pause:3.10', { registry: 'registry.k8s.io', repository: 'pause', tag: '3.10', fullName: 'registry.k8s.io/pause:3.10' }],
    ['localhost:5000/team/app', { registry: 'localhost:5000', repository: 'team/app', tag: 'latest', fullName: 'localhost:5000/team/app:latest' }],
    [`busybox@${DIGEST}`, { registry: 'docker.io', repository: 'library/busybox', tag: '', digest: DIGEST, fullName: `docker.io/library/busybox@${DIGEST}` }],
    [`busybox:1.36@${DIGEST}`, { registry: 'docker.io', repository: 'library/busybox', tag: '1.36', digest: DIGEST, fullName: `docker.io/library/busybox:1.36@${DIGEST}` }],
  ];
  for (const [ref, want] of cases) assert.deepEqual(parseImageRef(ref), want, ref);
});

test('parseImageRef rejects invalid references', () => {
  const cases: Array<[string, string]> = [
    ['Nginx', `couldn't parse image name "Nginx": invalid reference format: repository name (Nginx) must be lowercase`],
    ['nginx:', `couldn't parse image name "nginx:": invalid reference format`],
    ['nginx@sha256:xyz', `couldn't parse image name "nginx@sha256:xyz": invalid reference format`],
    ['-nginx', `couldn't parse image name "-nginx": invalid reference format`],
  ];
  for (const [ref, message] of cases) assert.throws(() => parseImageRef(ref), { name: 'InvalidImageNameError', message }, ref);
});

test('lookupImage finds known tags and resolves versions, sizes and digests', () => {
  const cases: Array<[string, { tag: string; version: string; sizeBytes: number } | undefined]> = [
    ['nginx', { tag: 'latest', version: '1.27.3', sizeBytes: 72_938_216 }],
    ['nginx:1.25', { tag: '1.25', version: '1.25.5', sizeBytes: 72_938_216 }],
    ['nginx:1.27-alpine', { tag: '1.27-alpine', version: '1.27.3', sizeBytes: 20_507_362 }],
    ['docker.io/library/busybox:1.28', { tag: '1.28', version: '1.28.0', sizeBytes: 2_156_518 }],
    ['registry.k8s.io/e2e-test-images/agnhost:2.53', { tag: '2.53', version: '2.53', sizeBytes: 51_084_960 }],
    ['nginx:1.99', undefined],
    ['registry.k8s.io/e2e-test-images/agnhost:latest', undefined],
    ['nosuchimage', undefined],
    ['Nginx', undefined],
  ];
  for (const [ref, want] of cases) {
    const hit = lookupImage(ref);
    assert.deepEqual(hit && { tag: hit.tag, version: hit.version, sizeBytes: hit.sizeBytes }, want, ref);
  }
  const latest = lookupImage('nginx:latest')!;
  const newest = lookupImage('nginx:1.27.3')!;
  assert.equal(latest.imageID, newest.imageID, 'latest shares the digest of the newest tag');
  assert.match(latest.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.notEqual(lookupImage('nginx:1.25')!.imageID, latest.imageID);
  const digest = latest.imageID.split('@')[1]!;
  assert.equal(lookupImage(`nginx@${digest}`)?.tag, '1.27.3');
  assert.equal(lookupImage(`nginx@${DIGEST}`), undefined);
});

test('every catalog image has real tags, a size and a default program', () => {
  assert.ok(IMAGE_CATALOG.size >= 16);
  for (const image of IMAGE_CATALOG.values()) {
    assert.ok(image.tags.length >= 2, image.repository);
    assert.ok(image.sizeBytes > 100_000, image.repository);
    assert.ok(image.entrypoint.length + image.cmd.length > 0, image.repository);
  }
});

test('pullResult succeeds for known tags and fails like containerd otherwise', () => {
  assert.deepEqual(pullResult('nginx:1.25'), { ok: true, sizeBytes: 72_938_216, imageID: lookupImage('nginx:1.25')!.imageID, pullMs: 3318 });
  assert.deepEqual(pullResult('registry.k8s.io/pause:3.10'), { ok: true, sizeBytes: 320_368, imageID: lookupImage('registry.k8s.io/pause:3.10')!.imageID, pullMs: 413 });
  const failures: Array<[string, string, string]> = [
    ['nginx:1.99', 'ErrImagePull',
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found'],
    ['nosuchimage', 'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nosuchimage:latest": failed to resolve reference "docker.io/library/nosuchimage:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'],
    ['registry.k8s.io/e2e-test-images/agnhost:latest', 'ErrImagePull',
      'rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/e2e-test-images/agnhost:latest": failed to resolve reference "registry.k8s.io/e2e-test-images/agnhost:latest": registry.k8s.io/e2e-test-images/agnhost:latest: not found'],
    ['registry.example.com/app:1.0', 'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/app:1.0": failed to resolve reference "registry.example.com/app:1.0": failed to do request: Head "https://registry.example.com/v2/app/manifests/1.0": dial tcp: lookup registry.example.com: no such host'],
    ['Nginx:1.25', 'InvalidImageName',
      `Failed to apply default image tag "Nginx:1.25": couldn't parse image name "Nginx:1.25": invalid reference format: repository name (Nginx) must be lowercase`],
  ];
  for (const [ref, reason, message] of failures) assert.deepEqual(pullResult(ref), { ok: false, reason, message }, ref);
});

test('kubelet pull event messages', () => {
  const err = (pullResult('nginx:1.99') as { message: string }).message;
  assert.equal(pullingMessage('nginx:1.99'), 'Pulling image "nginx:1.99"');
  assert.equal(failedToPullMessage('nginx:1.99', err),
    'Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found');
  assert.equal(backOffPullingMessage('nginx:1.99'), 'Back-off pulling image "nginx:1.99"');
  assert.equal(backOffPullingMessage('nginx:1.99', err), `Back-off pulling image "nginx:1.99": ErrImagePull: ${err}`);
  assert.equal(pulledMessage('nginx:1.25', { pullMs: 3800, totalMs: 3800, sizeBytes: 72938216 }),
    'Successfully pulled image "nginx:1.25" in 3.8s (3.8s including waiting). Image size: 72938216 bytes.');
  assert.equal(pulledMessage('busybox', { pullMs: 850, totalMs: 1520, sizeBytes: 2156518 }),
    'Successfully pulled image "busybox" in 850ms (1.52s including waiting). Image size: 2156518 bytes.');
  assert.equal(alreadyPresentMessage('nginx:1.25'), 'Container image "nginx:1.25" already present on machine');
});

test('imagePullBackOffMs: 10s doubling to a 300s cap', () => {
  const got = [1, 2, 3, 4, 5, 6, 7, 8, 50].map(imagePullBackOffMs);
  assert.deepEqual(got, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
});

test('crashLoopBackOffMs follows the doBackOff restart table', () => {
  const got = [0, 1, 2, 3, 4, 5, 6, 7, 100].map(crashLoopBackOffMs);
  assert.deepEqual(got, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('CrashLoopBackOff messages use Go durations', () => {
  const target = { container: 'app', pod: 'web-1', namespace: 'default', uid: 'f3b1c2d4' };
  const cases: Array<[number, string]> = [
    [10_000, 'back-off 10s restarting failed container=app pod=web-1_default(f3b1c2d4)'],
    [80_000, 'back-off 1m20s restarting failed container=app pod=web-1_default(f3b1c2d4)'],
    [160_000, 'back-off 2m40s restarting failed container=app pod=web-1_default(f3b1c2d4)'],
    [300_000, 'back-off 5m0s restarting failed container=app pod=web-1_default(f3b1c2d4)'],
  ];
  for (const [ms, want] of cases) assert.equal(crashLoopBackOffMessage(ms, target), want);
  assert.equal(crashLoopBackOffEventMessage(target), 'Back-off restarting failed container app in pod web-1_default(f3b1c2d4)');
});
