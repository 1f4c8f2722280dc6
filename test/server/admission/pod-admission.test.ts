import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { admitPodCreate } from '../../../server/admission/pod-admission.js';
import { seededRandom } from '../../../server/random.js';
import { Store } from '../../../server/storage/store.js';

test('every pod gets its own API access volume name but shares the constant parts admission adds', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-admission-'));
  const store = new Store(join(dir, 'state.db'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const random = seededRandom(7);
  const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
  const [a, b] = [pod('a'), pod('b')];
  admitPodCreate(a, store, random);
  admitPodCreate(b, store, random);
  type Spec = { volumes: Array<{ name: string; projected: { sources: unknown[] } }>; tolerations: unknown[]; containers: Array<{ volumeMounts: Array<{ name: string }> }> };
  const [sa, sb] = [a.spec as Spec, b.spec as Spec];
  assert.notEqual(sa.volumes[0]!.name, sb.volumes[0]!.name);
  assert.equal(sa.containers[0]!.volumeMounts[0]!.name, sa.volumes[0]!.name);
  assert.equal(sa.volumes[0]!.projected.sources, sb.volumes[0]!.projected.sources);
  assert.ok(Object.isFrozen(sa.volumes[0]!.projected.sources));
  assert.deepEqual(sa.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  assert.equal(sa.tolerations, sb.tolerations, 'pods without tolerations of their own share the list');
  const own = pod('c');
  (own.spec as { tolerations?: unknown[] }).tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
  admitPodCreate(own, store, random);
  const sc = own.spec as Spec;
  assert.deepEqual(sc.tolerations.map((x) => (x as { key: string }).key), ['dedicated', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
  assert.equal(sc.tolerations[1], sa.tolerations[0]);
  assert.equal(sa.tolerations.length, 2, 'the shared list is left as it was');
});
