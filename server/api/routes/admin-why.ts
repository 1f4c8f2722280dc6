/**
 * `/kubedojo/why/...`: JSON explanations of why a pod is where it is and what a drain would do.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.js';
import type { LocalClient } from '../../client/api-client.js';
import type { ClusterConfig } from '../../config.js';
import { explainDrain } from '../../faults/why-drain.js';
import { explainPod } from '../../faults/why-pod.js';
import { notFound } from '../errors.js';
import { sendJson } from './admin-body.js';

/** What the explanations read: the API objects (through a client) and the clock. */
export interface WhyDeps {
  client: LocalClient;
  clock: Clock;
  config?: ClusterConfig;
}

/** Registers `GET /kubedojo/why/pods/{namespace}/{name}` and `GET /kubedojo/why/nodes/{name}/drain`. */
export function registerWhyRoutes(app: FastifyInstance, deps: WhyDeps): void {
  app.get<{ Params: { namespace: string; name: string } }>('/kubedojo/why/pods/:namespace/:name', async (req, reply) => {
    const { namespace, name } = req.params;
    const pod = deps.client.get('pods', { namespace, name });
    if (!pod) throw notFound({ group: '', resource: 'pods', name });
    return sendJson(reply, explainPod(deps, pod));
  });
  app.get<{ Params: { name: string } }>('/kubedojo/why/nodes/:name/drain', async (req, reply) => {
    const node = deps.client.get('nodes', { name: req.params.name });
    if (!node) throw notFound({ group: '', resource: 'nodes', name: req.params.name });
    return sendJson(reply, explainDrain(deps, node));
  });
}
