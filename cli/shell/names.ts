/**
 * Where completion gets cluster data. In the shell, object names come from a cache per type and
 * namespace that is filled by one list and then kept current by a watch (started the first time a
 * name of that type is completed, restarted by the next completion after it ends); a one-shot
 * `kd __complete` lists once instead.
 */
import type { KubeClient } from '../kube/client.js';
import type { ClusterAccess } from '../kube/connect.js';
import type { ApiResource, Discovery } from '../kube/discovery.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import type { CompletionSource, NameScope } from './complete.js';


/** Names of one type in one namespace (or all), kept current by a watch. */
interface CacheEntry {
  names: Map<string, number>;
  /** Resolves once the first list is in. */
  ready: Promise<void>;
  /** False once the watch ended: the next lookup lists and watches again. */
  live: boolean;
}

function keyOf(obj: any): string {
  return `${obj?.metadata?.namespace ?? ''}/${obj?.metadata?.name ?? ''}`;
}

/** The collection path of a resource in a namespace (undefined: all namespaces). */
function collectionPath(r: ApiResource, namespace: string | undefined): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}`;
}

/** The watch-fed name cache of the shell. */
export class NameCache {
  private readonly entries = new Map<string, CacheEntry>();

  /** The names of a resource's objects, listing and starting the watch on first use. */
  async names(access: ClusterAccess, r: ApiResource, namespace: string | undefined): Promise<string[]> {
    const key = `${access.client.context.server} ${collectionPath(r, namespace)}`;
    let entry = this.entries.get(key);
    if (!entry || !entry.live) {
      entry = this.start(access.client, collectionPath(r, namespace));
      this.entries.set(key, entry);
    }
    await entry.ready;
    return [...new Set([...entry.names.keys()].map((k) => k.slice(k.indexOf('/') + 1)))];
  }

  private start(client: KubeClient, path: string): CacheEntry {
    const entry: CacheEntry = { names: new Map(), ready: Promise.resolve(), live: true };
    entry.ready = (async () => {
      try {
        const list = await client.getJson(path);
        for (const item of list.items ?? []) entry.names.set(keyOf(item), 1);
        void this.follow(client, `${path}?watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(list.metadata?.resourceVersion ?? '')}`, entry);
      } catch (err) {
        entry.live = false;
        throw err;
      }
    })();
    return entry;
  }

  /** Applies watch events to the entry until the stream ends (then the entry is no longer live). */
  private async follow(client: KubeClient, path: string, entry: CacheEntry): Promise<void> {
    try {
      const res = await client.stream(path);
      let buffered = '';
      for await (const chunk of res) {
        buffered += String(chunk);
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim() !== '') applyEvent(entry, JSON.parse(line));
        }
      }
    } catch {
      // The next completion lists again.
    } finally {
      entry.live = false;
    }
  }
}

function applyEvent(entry: CacheEntry, event: { type?: string; object?: any }): void {
  if (event.type === 'ADDED' || event.type === 'MODIFIED') entry.names.set(keyOf(event.object), 1);
  else if (event.type === 'DELETED') entry.names.delete(keyOf(event.object));
  else if (event.type === 'ERROR') entry.live = false;
}

/** The type names completion offers: plurals, with `.group` where a plural is served by several groups. */
export function resourceTypeNames(discovery: Discovery): string[] {
  const listable = discovery.resources.filter((r) => r.verbs.includes('list') && !r.resource.includes('/'));
  const count = new Map<string, number>();
  for (const r of listable) count.set(r.resource, (count.get(r.resource) ?? 0) + 1);
  return listable.map((r) => (count.get(r.resource)! > 1 && r.group ? `${r.resource}.${r.group}` : r.resource));
}

/**
 * A CompletionSource over cluster access: `lookup` gives the names of one resource in one namespace
 * (the shell's cache, or a list request).
 */
export function clusterSource(
  access: () => Promise<ClusterAccess>,
  lookup: (access: ClusterAccess, r: ApiResource, namespace: string | undefined) => Promise<string[]>,
  flags: KubeFlags,
): CompletionSource {
  return {
    async resourceTypes() {
      return resourceTypeNames(await (await access()).discovery());
    },
    async names(type: string, scope: NameScope) {
      const a = await access();
      const resources = (await a.discovery()).resolve(type);
      const namespace = scope.allNamespaces ? undefined : (scope.namespace ?? a.namespace);
      const lists = await Promise.all(resources.map((r) => lookup(a, r, r.namespaced ? namespace : undefined)));
      return lists.flat();
    },
    async contexts() {
      const { loadKubeconfig } = await import('../kube/kubeconfig.js');
      return (loadKubeconfig(flags).contexts ?? []).map((c) => String(c.name ?? ''));
    },
  };
}

/** One list request's names (for a one-shot `kd __complete`). */
export async function listNames(access: ClusterAccess, r: ApiResource, namespace: string | undefined): Promise<string[]> {
  const list = await access.client.getJson(collectionPath(r, namespace));
  return [...new Set((list.items ?? []).map((i: any) => String(i?.metadata?.name ?? '')))] as string[];
}
