/**
 * `/kubedojo/snapshots`: save the whole cluster state under a name, list, delete, and restore it
 * in place the way reset works (runtime stopped, watches ended, state replaced, runtime started).
 */
import type { FastifyInstance } from 'fastify';
import { rfc3339, type ClockControl } from '../../clock.js';
import type { StoredFault } from '../../faults/faults.js';
import type { FaultState } from '../../faults/faults.js';
import type { ContainerLogStore } from '../../kubelet/container-logs.js';
import { SNAPSHOT_NAME_RE, type SnapshotStore } from '../../storage/snapshots.js';
import type { Store } from '../../storage/store.js';
import { badRequest, StatusError } from '../errors.js';
import { jsonObjectBody, sendJson } from './admin-body.js';

/** What a snapshot captures and restores. */
export interface SnapshotDeps {
  store: Store;
  snapshots: SnapshotStore;
  logs: ContainerLogStore;
  faults: FaultState;
  clock: ClockControl;
  /** Stops the runtime and ends watches, runs `replace`, starts the runtime again. */
  replaceState(replace: () => void): void;
}

interface SnapshotExtra {
  faults: StoredFault[];
  logs: ReturnType<ContainerLogStore['exportLogs']>;
}

function notFoundSnapshot(name: string): StatusError {
  return new StatusError(404, 'NotFound', `snapshot "${name}" not found`, { name, kind: 'snapshots' });
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !SNAPSHOT_NAME_RE.test(name)) {
    throw badRequest(`Cannot save the snapshot as 'name' must be lower-case letters, digits, '-', '_' or '.', at most 63 characters, starting and ending with a letter or digit: current value is ${JSON.stringify(name)}`);
  }
  return name;
}

/** Saves the cluster's state now under `name` (replacing a snapshot of that name). */
export function saveSnapshot(deps: SnapshotDeps, name: string): { name: string; time: string } {
  // Commit the open group write first: the rows come from memory, the revision must match them.
  deps.store.flush();
  const extra: SnapshotExtra = { faults: deps.faults.list(), logs: deps.logs.exportLogs() };
  const clockMs = deps.clock.now();
  deps.snapshots.save({ name, clockMs, revision: deps.store.revision, rows: deps.store.snapshotRows(), extra });
  return { name, time: rfc3339(clockMs) };
}

/** Restores a snapshot in place; returns undefined when there is none of that name. */
export function restoreSnapshot(deps: SnapshotDeps, name: string): { name: string; time: string } | undefined {
  const snap = deps.snapshots.load(name);
  if (!snap) return undefined;
  const extra = snap.extra as Partial<SnapshotExtra>;
  deps.replaceState(() => {
    deps.store.restoreSnapshot(snap.rows);
    deps.logs.importLogs(extra.logs ?? []);
    deps.faults.replace(extra.faults ?? []);
    deps.clock.setTime(snap.clockMs);
  });
  return { name, time: rfc3339(snap.clockMs) };
}

/** Registers the snapshot routes. */
export function registerSnapshotRoutes(app: FastifyInstance, deps: SnapshotDeps): void {
  app.get('/kubedojo/snapshots', async (_req, reply) => sendJson(reply, { items: deps.snapshots.list().map((s) => ({ name: s.name, time: rfc3339(s.clockMs) })) }));
  app.post('/kubedojo/snapshots', async (req, reply) => sendJson(reply, saveSnapshot(deps, checkName(jsonObjectBody(req.body)['name'])), 201));
  app.post<{ Params: { name: string } }>('/kubedojo/snapshots/:name/restore', async (req, reply) => {
    const restored = restoreSnapshot(deps, req.params.name);
    if (!restored) throw notFoundSnapshot(req.params.name);
    return sendJson(reply, restored);
  });
  app.delete<{ Params: { name: string } }>('/kubedojo/snapshots/:name', async (req, reply) => {
    if (!deps.snapshots.delete(req.params.name)) throw notFoundSnapshot(req.params.name);
    return sendJson(reply, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: `snapshot "${req.params.name}" deleted` });
  });
}
