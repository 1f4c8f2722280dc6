/**
 * kubedojo's own endpoints, outside the Kubernetes API paths so no client mistakes them for a
 * resource: the cluster's virtual time for `kd status`, and `kd reset`. They need the bearer token
 * like every API request.
 */
import type { FastifyInstance } from 'fastify';
import { rfc3339, type Clock } from '../../clock.js';

export interface AdminRouteDeps {
  clock: Clock;
  /** Replaces the cluster with a fresh one: no user objects, nodes registered anew. */
  reset(): void;
}

/** Registers `GET /kubedojo/status` and `POST /kubedojo/reset`. */
export async function adminRoutes(app: FastifyInstance, deps: AdminRouteDeps): Promise<void> {
  app.get('/kubedojo/status', async (_req, reply) => reply.type('application/json').send(JSON.stringify({ time: rfc3339(deps.clock.now()) })));
  app.post('/kubedojo/reset', async (_req, reply) => {
    deps.reset();
    return reply.type('application/json').send(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: 'the cluster was reset' }));
  });
}
