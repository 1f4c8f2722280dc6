/**
 * Resolves the context of a kubectl-style command and opens its client and discovery: the one step
 * every verb does before its own work.
 */
import { KubeClient } from './client.js';
import { Discovery } from './discovery.js';
import { resolveContext, type KubeFlags } from './kubeconfig.js';

/** The client, discovery and effective namespace of one invocation. */
export interface Connection {
  client: KubeClient;
  discovery: Discovery;
  namespace: string;
}

/** Opens the client for the flags' context and loads discovery. */
export async function connect(flags: KubeFlags): Promise<Connection> {
  const context = resolveContext(flags);
  const client = new KubeClient(context);
  try {
    return { client, discovery: await Discovery.load(client), namespace: context.namespace };
  } catch (err) {
    await client.close();
    throw err;
  }
}
