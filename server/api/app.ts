import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { loadResourceTable, type ResourceTable } from '../../schemas/index.js';
import { bootstrap } from '../bootstrap.js';
import { isClockControl, type Clock } from '../clock.js';
import { startCluster } from '../cluster.js';
import type { ClusterConfig } from '../config.js';
import { LocalClient } from '../client/api-client.js';
import { startGarbageCollector } from '../controllers/garbage-collector.js';
import { startNamespaceController } from '../controllers/namespace-controller.js';
import { startRootCACertPublisher, startServiceAccountsController } from '../controllers/per-namespace.js';
import { cryptoRandom, type Random } from '../random.js';
import { ContainerLogStore } from '../kubelet/container-logs.js';
import { ContainerRegistry } from '../kubelet/container-registry.js';
import { Registry } from '../registry/rest.js';
import { startCompactor } from '../storage/compactor.js';
import { Store } from '../storage/store.js';
import { SnapshotStore } from '../storage/snapshots.js';
import { FaultState } from '../faults/faults.js';
import { Hub } from '../watch/hub.js';
import { internalError, notFoundPath, StatusError, tooLarge } from './errors.js';
import { DEFAULT_VERSION_INFO, discoveryRoutes } from './routes/discovery.js';
import { openapiRoutes } from './routes/openapi.js';
import { openapiV2Routes } from './routes/openapi-v2.js';
import { resourceRoutes } from './routes/resources.js';
import { adminRoutes } from './routes/admin.js';
import { registerPodStreams } from './routes/exec.js';

/** The apiserver's request body limit (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Without a token (plain-HTTP debugging mode) nothing is secret, and tokens need no real key. */
const INSECURE_SIGNING_KEY = 'kubedojo-insecure-http';

/** Paths the apiserver serves to anyone (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export interface AppOptions {
  dataDir: string;
  clock: Clock;
  /** When set, every request needs `Authorization: Bearer <token>`, else 401. */
  token?: string;
  https?: { key: string; cert: string };
  /** The cluster CA, published in every namespace as ConfigMap kube-root-ca.crt. */
  caPem?: string;
  logger?: boolean;
  random?: Random;
  /** Revisions kept in the watch log before compaction. */
  compactionRetain?: number;
  /** Runs the simulated cluster (nodes, kubelets, scheduler, workload controllers) when set. */
  cluster?: ClusterConfig;
  /** Commits storage batches on a thread of their own (the daemon; see StorageWriter). */
  writerThread?: boolean;
}

function toStatusError(err: FastifyError | StatusError | Error): StatusError {
  if (err instanceof StatusError) return err;
  const code = (err as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(MAX_REQUEST_BODY_BYTES);
  const status = (err as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new StatusError(status, status === 415 ? 'UnsupportedMediaType' : 'BadRequest', err.message);
  return internalError();
}

/**
 * Builds the API server: storage, watch hub, registry, bootstrap objects and the HTTP routes.
 * Never listens; app.close() also stops background work and closes storage.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  mkdirSync(opts.dataDir, { recursive: true });
  const store = new Store(join(opts.dataDir, 'state.db'), { writerThread: opts.writerThread ?? false });
  const hub = new Hub(store);
  const table = loadResourceTable();
  const random = opts.random ?? cryptoRandom;
  const registry = new Registry({ store, clock: opts.clock, random });
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    ...(opts.https ? { https: { key: opts.https.key, cert: opts.https.cert } } : {}),
  }) as unknown as FastifyInstance;

  // Bodies stay raw Buffers: the handlers decode them, so every decoding error becomes a Status.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', async (req) => {
    if (!opts.token || PUBLIC_PATHS.has(req.url.split('?')[0]!)) return;
    if (req.headers.authorization !== `Bearer ${opts.token}`) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
  });
  app.setErrorHandler((err, req, reply) => {
    const se = toStatusError(err as Error);
    if (se.code >= 500) req.log.error({ err }, 'request failed');
    for (const [k, v] of Object.entries(se.headers)) reply.header(k, v);
    return reply.code(se.code).type('application/json').send(JSON.stringify(se.toStatus()));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).type('application/json').send(JSON.stringify(notFoundPath().toStatus())));

  await app.register(discoveryRoutes, { table, version: DEFAULT_VERSION_INFO });
  await app.register(openapiRoutes, { table });
  await app.register(openapiV2Routes);
  // The kubelets write container logs that the pods/log route serves.
  const logs = new ContainerLogStore();
  const watches = new Set<() => void>();
  await app.register(resourceRoutes, { table, registry, hub, clock: opts.clock, signingKey: opts.token ?? INSECURE_SIGNING_KEY, logs, watches });
  // exec and attach reach the kubelets' running containers over WebSocket upgrades.
  const containers = new ContainerRegistry();
  registerPodStreams(app, { registry, table, clock: opts.clock, containers, logs, ...(opts.token ? { token: opts.token } : {}) });

  // Faults (`kd fault`) outlive runtime restarts: reset clears them, a snapshot restore replaces them.
  const faults = new FaultState();
  const startRuntime = () => startControlPlane({ registry, hub, table, clock: opts.clock, random, logs, containers, caPem: opts.caPem, cluster: opts.cluster, faults });
  let stopRuntime = startRuntime();
  const stopCompactor = startCompactor(store, opts.clock, opts.compactionRetain);
  let pendingStart: NodeJS.Immediate | undefined;
  const replaceState = (replace: () => void, opts: { deferStart?: boolean } = {}): void => {
    // Stop every writer before the state goes, so nothing writes into the new state from the old one.
    stopRuntime();
    stopRuntime = () => {};
    if (pendingStart) clearImmediate(pendingStart);
    for (const close of [...watches]) close();
    replace();
    if (!opts.deferStart) {
      stopRuntime = startRuntime();
      return;
    }
    // A restored state is complete for every reader at once (namespaces included); the runtime
    // (controllers, kubelets) boots right after the answer and finds it all as initial adds.
    pendingStart = setImmediate(() => {
      pendingStart = undefined;
      stopRuntime = startRuntime();
    });
  };
  const snapshots = new SnapshotStore(join(opts.dataDir, 'snapshots.db'));
  const admin = new LocalClient(registry, hub, table, 'kubedojo');
  await app.register(adminRoutes, {
    clock: opts.clock,
    reset: () => replaceState(() => {
      store.reset();
      logs.clear();
      faults.clear();
    }),
    faults: { faults, nodes: (opts.cluster?.nodes ?? []).map((n) => n.name), client: admin, containers, logs, clock: opts.clock },
    ...(isClockControl(opts.clock) ? { snapshots: { store, snapshots, logs, faults, clock: opts.clock, replaceState: (replace: () => void) => replaceState(replace, { deferStart: true }) } } : {}),
    why: { client: admin, clock: opts.clock, ...(opts.cluster ? { config: opts.cluster } : {}) },
  });
  app.addHook('onClose', async () => {
    stopCompactor();
    if (pendingStart) clearImmediate(pendingStart);
    stopRuntime();
    store.close();
    snapshots.close();
  });
  return app;
}

interface ControlPlaneDeps {
  registry: Registry;
  hub: Hub;
  table: ResourceTable;
  clock: Clock;
  random: Random;
  logs: ContainerLogStore;
  containers: ContainerRegistry;
  caPem: string | undefined;
  cluster: ClusterConfig | undefined;
  faults: FaultState;
}

/**
 * Writes the bootstrap objects and starts every in-process writer (controllers, the simulated
 * cluster); returns the function that stops them all. The controllers write through the same
 * registry path as kubectl.
 */
function startControlPlane(deps: ControlPlaneDeps): () => void {
  const { registry, hub, table, clock } = deps;
  bootstrap(registry, table);
  const client = new LocalClient(registry, hub, table, 'kube-controller-manager');
  const stops = [startNamespaceController(client, table, clock), startGarbageCollector(client, table), startServiceAccountsController(client)];
  if (deps.caPem) stops.push(startRootCACertPublisher(client, deps.caPem));
  if (deps.cluster) stops.push(startCluster({ registry, hub, table, clock, random: deps.random, config: deps.cluster, logs: deps.logs, containers: deps.containers, faults: deps.faults }));
  return () => {
    for (const stop of stops.reverse()) stop();
  };
}
