/**
 * StatefulSet ControllerRevisions as `kubectl rollout history/undo` read them: each revision carries
 * the set's annotations (so CHANGE-CAUSE shows), and a rollback reuses the old revision with the next
 * number while keeping the annotations it was created with.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { startStatefulSetController } from '../../../../server/controllers/statefulset/statefulset-controller.js';
import { startTestCluster, type TestCluster } from '../../../support/cluster.js';
import { createLabNodes } from '../workload-fixtures.js';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

function statefulSet(annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'nginx:1.25' }] } },
    },
  };
}

/** Changes the image and the change-cause annotation in one write, as `kubectl set image` + `annotate` would over two. */
function setImage(c: TestCluster, image: string, cause: string): void {
  c.client.mutate('statefulsets.apps', { namespace: 'default', name: 'db' }, (o) => {
    const next = structuredClone(o) as KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    next.spec.template.spec.containers[0]!.image = image;
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [CHANGE_CAUSE]: cause };
    return next;
  });
}

/** `revision: change-cause` per ControllerRevision, sorted by revision like `rollout history`. */
function history(c: TestCluster): string[] {
  return c.client
    .list('controllerrevisions.apps', { namespace: 'default' })
    .map((r) => r as KubeObject & { revision: number })
    .sort((a, b) => a.revision - b.revision)
    .map((r) => `${r.revision}: ${r.metadata.annotations?.[CHANGE_CAUSE] ?? '<none>'}`);
}

test('a StatefulSet revision copies the set annotations; a set without annotations gives a revision without them', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  createLabNodes(c);
  c.client.create('statefulsets.apps', statefulSet());
  await c.settle();
  const [first] = c.client.list('controllerrevisions.apps', { namespace: 'default' });
  assert.equal(first!.metadata.annotations, undefined);

  setImage(c, 'nginx:1.26', 'upgrade to 1.26');
  await c.settle();
  assert.deepEqual(history(c), ['1: <none>', '2: upgrade to 1.26']);
  const second = c.client.list('controllerrevisions.apps', { namespace: 'default' }).find((r) => (r as { revision?: number }).revision === 2)!;
  assert.deepEqual(second.metadata.annotations, { [CHANGE_CAUSE]: 'upgrade to 1.26' });
});

test('rolling back to an earlier template renumbers that revision and keeps its own change-cause', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  createLabNodes(c);
  c.client.create('statefulsets.apps', statefulSet({ [CHANGE_CAUSE]: 'create db' }));
  await c.settle();
  setImage(c, 'nginx:1.26', 'upgrade to 1.26');
  await c.settle();
  // What `kubectl rollout undo` patches: the template of revision 1 (annotations stay as they are).
  c.client.mutate('statefulsets.apps', { namespace: 'default', name: 'db' }, (o) => {
    const next = structuredClone(o) as KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    next.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    return next;
  });
  await c.settle();
  assert.deepEqual(history(c), ['2: upgrade to 1.26', '3: create db']);
  const status = c.client.get('statefulsets.apps', { namespace: 'default', name: 'db' })!.status as { updateRevision: string };
  const rev3 = c.client.list('controllerrevisions.apps', { namespace: 'default' }).find((r) => (r as { revision?: number }).revision === 3)!;
  assert.equal(status.updateRevision, rev3.metadata.name);
});
