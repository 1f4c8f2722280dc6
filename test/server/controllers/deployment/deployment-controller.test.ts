import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDeploymentController } from '../../../../server/controllers/deployment/deployment-controller.js';
import { startReplicaSetController } from '../../../../server/controllers/replicaset-controller.js';
import { startTestCluster } from '../../../support/cluster.js';
import { converge, deployment, eventMessages, markPodsReady } from '../workload-harness.js';

test('a Deployment of 3 creates one RS named after the template hash, with 3 pods', async (t) => {
  const c = startTestCluster(t, [startReplicaSetController, startDeploymentController]);
  c.client.create('deployments.apps', deployment('web', 3));
  await converge(c);
  const rss = c.list('replicasets.apps', 'default');
  assert.equal(rss.length, 1);
  const rs = rss[0]!;
  console.log(JSON.stringify(rs, null, 1));
  console.log(JSON.stringify(c.list('deployments.apps', 'default')[0], null, 1));
  console.log(eventMessages(c, 'web'));
  markPodsReady(c);
  await converge(c);
  console.log(JSON.stringify(c.list('deployments.apps', 'default')[0]!.status, null, 1));
  console.log(JSON.stringify(c.list('replicasets.apps', 'default')[0]!.status, null, 1));
});
