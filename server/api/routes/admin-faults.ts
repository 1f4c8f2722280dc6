/**
 * `/kubedojo/faults`: list, add, remove and clear the injected faults (`kd fault`). A
 * CrashContainer body is a one-shot action: answered 201 like the others, never kept in the list.
 */
import type { FastifyInstance } from 'fastify';
import { crashContainer, type CrashDeps } from '../../faults/fault-injection.js';
import { FaultError, parseFault, type FaultState } from '../../faults/faults.js';
import { badRequest, StatusError } from '../errors.js';
import { jsonObjectBody, sendJson } from './admin-body.js';

/** What the fault routes work on. */
export interface FaultRouteDeps extends CrashDeps {
  faults: FaultState;
  /** The cluster's node names, for validation. */
  nodes: readonly string[];
}

/** Registers `GET|POST|DELETE /kubedojo/faults` and `DELETE /kubedojo/faults/{id}`. */
export function registerFaultRoutes(app: FastifyInstance, deps: FaultRouteDeps): void {
  app.get('/kubedojo/faults', async (_req, reply) => sendJson(reply, { items: deps.faults.list() }));
  app.post('/kubedojo/faults', async (req, reply) => {
    let fault;
    try {
      fault = parseFault(jsonObjectBody(req.body), deps.nodes);
    } catch (err) {
      if (err instanceof FaultError) throw badRequest(err.message);
      throw err;
    }
    if (fault.type === 'CrashContainer') {
      const { container } = crashContainer(deps, fault);
      return sendJson(reply, { ...fault, container }, 201);
    }
    return sendJson(reply, deps.faults.add(fault), 201);
  });
  app.delete('/kubedojo/faults', async (_req, reply) => {
    deps.faults.clear();
    return sendJson(reply, { items: [] });
  });
  app.delete<{ Params: { id: string } }>('/kubedojo/faults/:id', async (req, reply) => {
    const removed = deps.faults.list().find((f) => f.id === req.params.id);
    if (!removed || !deps.faults.remove(req.params.id)) throw new StatusError(404, 'NotFound', `fault "${req.params.id}" not found`);
    return sendJson(reply, removed);
  });
}
