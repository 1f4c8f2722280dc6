/**
 * Resolves the context of a kubectl-style command and opens its client and discovery: the one step
 * every verb does before its own work.
 */
import { rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from './client.js';
import { Discovery, type ApiResource } from './discovery.js';
import { resolveContext, type KubeFlags } from './kubeconfig.js';

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

/** Opens the client for the flags' context and loads discovery (from the disk cache when young). */
export async function connect(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const context = resolveContext(flags, env);
  const client = new KubeClient(context);
  const file = cacheFile(context.server, env);
  try {
    let { discovery, fresh } = await Discovery.cached(client, file);
    const withRefetch =
      <A extends unknown[], R>(fn: (d: Discovery, ...args: A) => R) =>
      async (...args: A): Promise<R> => {
        try {
          return fn(discovery, ...args);
        } catch (err) {
          if (fresh) throw err;
          rmSync(file, { force: true });
          ({ discovery, fresh } = await Discovery.cached(client, file));
          return fn(discovery, ...args);
        }
      };
    return {
      client,
      namespace: context.namespace,
      resolve: withRefetch((d, arg: string) => d.resolve(arg)),
      resourceFor: withRefetch((d, apiVersion: string, kind: string) => d.forKind(apiVersion, kind)),
    };
  } catch (err) {
    await client.close();
    throw err;
  }
}
