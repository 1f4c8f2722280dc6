/**
 * Resolves the context of a kubectl-style command and opens its client and discovery: the one step
 * every verb does before its own work. A one-shot `kd` opens a fresh client each time; inside
 * `kd shell` a ConnectionPool is installed and every command is handed the pool's long-lived client
 * and in-memory discovery instead, so a command costs its requests and nothing else.
 */
import { rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from './client.js';
import { Discovery, type ApiResource } from './discovery.js';
import { loadKubeconfig, resolveContext, type KubeContext, type KubeFlags } from './kubeconfig.js';

/** The client, discovery and effective namespace of one invocation. */
export interface Connection {
  client: KubeClient;
  namespace: string;
  /**
   * Resolves a type argument; a name the cached discovery does not know refetches discovery once
   * before failing, as kubectl does when it meets an unknown type.
   */
  resolve(arg: string): Promise<ApiResource[]>;
  /** The resource of an object's apiVersion and kind, refetching discovery once like resolve. */
  resourceFor(apiVersion: string, kind: string): Promise<ApiResource>;
}

/** Where discovery is cached: `$KUBECACHEDIR` (kubectl's variable) else ~/.kube/cache, per server. */
function cacheFile(server: string, env: NodeJS.ProcessEnv): string {
  const root = env['KUBECACHEDIR'] || join(env['HOME'] || homedir(), '.kube', 'cache');
  return join(root, 'kd-discovery', `${new URL(server).host.replace(/[^\w.-]/g, '_')}.json`);
}

/** The pool installed by `kd shell`; undefined in a one-shot run. */
let activePool: ConnectionPool | undefined;

/**
 * Installs (or, with undefined, removes) the pool that connect() hands connections out of.
 *
 * @example
 * const pool = new ConnectionPool();
 * useConnectionPool(pool); // every later connect() reuses pool's clients
 */
export function useConnectionPool(pool: ConnectionPool | undefined): void {
  activePool = pool;
}

/** Opens the client for the flags' context and loads discovery (from the disk cache when young). */
export async function connect(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  if (activePool) return activePool.connect(flags, env);
  const context = resolveContext(flags, env);
  const client = new KubeClient(context);
  const file = cacheFile(context.server, env);
  try {
    const source = new DiscoverySource(client, file);
    await source.load();
    return connectionOf(client, context.namespace, source);
  } catch (err) {
    await client.close();
    throw err;
  }
}

/** A client, the context's namespace and its discovery, without resolving anything yet (completion's view). */
export interface ClusterAccess {
  client: KubeClient;
  namespace: string;
  discovery(): Promise<Discovery>;
}

/**
 * The client and discovery of the flags' context for completion: the pool's when the shell runs,
 * else a new client (the caller closes it).
 */
export function openAccess(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  if (activePool) return activePool.peek(flags, env);
  const context = resolveContext(flags, env);
  const client = new KubeClient(context);
  const source = new DiscoverySource(client, cacheFile(context.server, env));
  return { client, namespace: context.namespace, discovery: () => source.load() };
}

/**
 * Discovery of one server, with kubectl's one refetch when a name is not found: allowed only when
 * what is held was not fetched from the server during the current command.
 */
class DiscoverySource {
  private discovery: Discovery | undefined;
  /** The command generation in which discovery last came from the server (-1: from disk). */
  private fetchedIn = -1;

  constructor(
    /** Replaced by the pool when a cancelled command's client is aborted. */
    public client: KubeClient,
    private readonly file: string,
  ) {}

  /** Loads discovery unless held; `generation` numbers the command that asks. */
  async load(generation = 0): Promise<Discovery> {
    if (this.discovery) return this.discovery;
    const { discovery, fresh } = await Discovery.cached(this.client, this.file);
    this.discovery = discovery;
    this.fetchedIn = fresh ? generation : -1;
    return discovery;
  }

  /** Runs fn on discovery; on failure refetches once (if not fetched in this generation) and retries. */
  async with<R>(generation: number, fn: (d: Discovery) => R): Promise<R> {
    const discovery = await this.load(generation);
    try {
      return fn(discovery);
    } catch (err) {
      if (this.fetchedIn === generation) throw err;
      rmSync(this.file, { force: true });
      this.discovery = undefined;
      return fn(await this.load(generation));
    }
  }

  /** The discovery held right now, if any (for completion, which must not block on the server). */
  get current(): Discovery | undefined {
    return this.discovery;
  }
}

function connectionOf(client: KubeClient, namespace: string, source: DiscoverySource, generation = 0): Connection {
  return {
    client,
    namespace,
    resolve: (arg) => source.with(generation, (d) => d.resolve(arg)),
    resourceFor: (apiVersion, kind) => source.with(generation, (d) => d.forKind(apiVersion, kind)),
  };
}

/** Raised by the requests of a command that the shell cancelled (Ctrl-C). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/**
 * A client that outlives the commands using it: their `close()` in `finally` keeps it open (it only
 * forgets the warnings printed, since kubectl prints each warning once per invocation), and
 * `abort()` ends every request in flight when the shell cancels a command.
 */
class PooledClient extends KubeClient {
  private aborted = false;

  override async request(method: string, path: string, opts?: Parameters<KubeClient['request']>[2]): Promise<any> {
    if (this.aborted) throw new CancelledError();
    return super.request(method, path, opts);
  }

  override async stream(path: string, accept?: string): ReturnType<KubeClient['stream']> {
    if (this.aborted) throw new CancelledError();
    return super.stream(path, accept);
  }

  override async close(): Promise<void> {
    // The warning set is private to KubeClient; clearing it makes the next command warn afresh.
    (this as unknown as { warned: Set<string> }).warned.clear();
  }

  /** Fails every request in flight and every later one. */
  async abort(): Promise<void> {
    this.aborted = true;
    await super.close();
  }
}

/** One server's pooled client and discovery. */
interface PoolEntry {
  context: KubeContext;
  client: PooledClient;
  source: DiscoverySource;
  file: string;
}

/**
 * The connections of `kd shell`: one client and one discovery per server and credentials, shared by
 * every command; the kubeconfig is re-read only when one of its files changed.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly contexts = new Map<string, { stamp: string; context: KubeContext }>();
  private generation = 0;

  /** Marks the start of a command: discovery may be refetched once per command. */
  beginCommand(): void {
    this.generation++;
  }

  /** The Connection for the flags, reusing the pooled client of their server. */
  async connect(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
    const entry = this.entryFor(flags, env);
    await entry.source.load(this.generation);
    return connectionOf(entry.client, this.contextFor(flags, env).namespace, entry.source, this.generation);
  }

  /** The pooled client and held discovery for the flags (no request is made). */
  peek(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
    const entry = this.entryFor(flags, env);
    return { client: entry.client, namespace: this.contextFor(flags, env).namespace, discovery: () => entry.source.load(this.generation) };
  }

  /** The current context's name and namespace, for the shell's prompt. */
  currentContext(env: NodeJS.ProcessEnv = process.env): { context?: string; namespace: string } {
    const config = loadKubeconfig({}, env);
    const name = config['current-context'];
    const entry = config.contexts?.find((c) => c.name === name)?.['context'] as Record<string, string> | undefined;
    return { ...(name ? { context: name } : {}), namespace: entry?.['namespace'] || 'default' };
  }

  /** Ends the requests of a cancelled command; the next command gets new clients (discovery is kept). */
  async abort(): Promise<void> {
    for (const entry of this.entries.values()) {
      const old = entry.client;
      entry.client = new PooledClient(entry.context);
      entry.source.client = entry.client;
      await old.abort();
    }
  }

  /** Closes every client for good. */
  async close(): Promise<void> {
    for (const entry of this.entries.values()) await entry.client.abort();
    this.entries.clear();
  }

  private entryFor(flags: KubeFlags, env: NodeJS.ProcessEnv): PoolEntry {
    const context = this.contextFor(flags, env);
    const key = JSON.stringify([context.server, context.token ?? '', context.caPem ?? '', context.insecureSkipTlsVerify]);
    let entry = this.entries.get(key);
    if (!entry) {
      const client = new PooledClient(context);
      const file = cacheFile(context.server, env);
      entry = { context, client, source: new DiscoverySource(client, file), file };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** resolveContext, cached until a kubeconfig file changes (size and mtime). */
  private contextFor(flags: KubeFlags, env: NodeJS.ProcessEnv): KubeContext {
    const files = flags.kubeconfig ? [flags.kubeconfig] : (env['KUBECONFIG'] || join(env['HOME'] || homedir(), '.kube', 'config')).split(':');
    const stamp = files.map((f) => stampOf(f)).join('|');
    const key = JSON.stringify([flags.kubeconfig ?? '', flags.context ?? '', flags.namespace ?? '', env['KUBECONFIG'] ?? '', env['HOME'] ?? '']);
    const cached = this.contexts.get(key);
    if (cached && cached.stamp === stamp) return cached.context;
    const context = resolveContext(flags, env);
    this.contexts.set(key, { stamp, context });
    return context;
  }
}

function stampOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '-';
  }
}
