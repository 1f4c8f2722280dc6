/**
 * kubedojo's own endpoints, outside the Kubernetes API paths so no client mistakes them for a
 * resource: the cluster's virtual time for `kd status`, `kd reset`, and the issue-7 admin API
 * (clock control, faults, snapshots, why). They need the bearer token like every API request.
 */
import type { FastifyInstance } from 'fastify';
import { isClockControl, rfc3339, type Clock } from '../../clock.js';
import { registerClockRoutes } from './admin-clock.js';
import { registerFaultRoutes, type FaultRouteDeps } from './admin-faults.js';
import { registerSnapshotRoutes, type SnapshotDeps } from './admin-snapshots.js';
import { registerWhyRoutes, type WhyDeps } from './admin-why.js';

export interface AdminRouteDeps {
  clock: Clock;
  /** Replaces the cluster with a fresh one: no user objects, nodes registered anew. */
  reset(): void;
  /** `/kubedojo/faults` (served when given). */
  faults?: FaultRouteDeps;
  /** `/kubedojo/snapshots` (served when given). */
  snapshots?: SnapshotDeps;
  /** `/kubedojo/why/...` (served when given). */
  why?: WhyDeps;
}

/** Registers `GET /kubedojo/status`, `POST /kubedojo/reset` and the admin API of issue 7. */
export async function adminRoutes(app: FastifyInstance, deps: AdminRouteDeps): Promise<void> {
  app.get('/kubedojo/status', async (_req, reply) => reply.type('application/json').send(JSON.stringify({ time: rfc3339(deps.clock.now()) })));
  app.post('/kubedojo/reset', async (_req, reply) => {
    deps.reset();
    return reply.type('application/json').send(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: 'the cluster was reset' }));
  });
  if (isClockControl(deps.clock)) registerClockRoutes(app, deps.clock);
  if (deps.faults) registerFaultRoutes(app, deps.faults);
  if (deps.snapshots) registerSnapshotRoutes(app, deps.snapshots);
  if (deps.why) registerWhyRoutes(app, deps.why);
}
