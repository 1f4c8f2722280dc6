/**
 * Aggregated discovery (`/api` and `/apis`, v2) and resource-type resolution as kubectl's REST
 * mapper, short-name expander and category expander do it (client-go restmapper/shortcut.go,
 * category_expansion.go): plural, singular, short name or kind, optionally `.group`, case-insensitive;
 * the first group in discovery order wins an ambiguous name.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DISCOVERY_ACCEPT, type KubeClient } from './client.js';

/** kubectl keeps its disk discovery cache for 6 hours (kubectl-wire.md §4.4). */
const CACHE_TTL_MS = 6 * 60 * 60 * 1000;

/** One served resource of the preferred version of its group. */
export interface ApiResource {
  group: string;
  version: string;
  /** The plural, e.g. `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
}

/** The served resources in discovery order. */
export class Discovery {
  constructor(readonly resources: ApiResource[]) {}

  /**
   * The cached discovery of the client's server when it is younger than kubectl's 6 hours, else a
   * fresh one (then cached). `fresh` tells whether it came from the server just now.
   */
  static async cached(client: KubeClient, cacheFile: string | undefined): Promise<{ discovery: Discovery; fresh: boolean }> {
    if (cacheFile) {
      try {
        if (Date.now() - statSync(cacheFile).mtimeMs < CACHE_TTL_MS) {
          return { discovery: new Discovery(JSON.parse(readFileSync(cacheFile, 'utf8')) as ApiResource[]), fresh: false };
        }
      } catch {
        // No usable cache: fetch below.
      }
    }
    const discovery = await Discovery.load(client);
    if (cacheFile) {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o750 });
        writeFileSync(`${cacheFile}.tmp-${process.pid}`, JSON.stringify(discovery.resources));
        renameSync(`${cacheFile}.tmp-${process.pid}`, cacheFile);
      } catch {
        // A cache that cannot be written only costs the next command two requests.
      }
    }
    return { discovery, fresh: true };
  }

  /** Fetches `/api` and `/apis` (aggregated v2) in parallel. */
  static async load(client: KubeClient): Promise<Discovery> {
    const [core, groups] = await Promise.all([client.getJson('/api?timeout=32s', DISCOVERY_ACCEPT), client.getJson('/apis?timeout=32s', DISCOVERY_ACCEPT)]);
    const resources: ApiResource[] = [];
    for (const item of [...(core.items ?? []), ...(groups.items ?? [])]) {
      // The first listed version is the group's preferred one.
      const version = item.versions?.[0];
      if (!version) continue;
      for (const r of version.resources ?? []) {
        resources.push({
          group: item.metadata?.name ?? '',
          version: version.version,
          resource: r.resource,
          singular: r.singularResource || (r.responseKind?.kind ?? '').toLowerCase(),
          kind: r.responseKind?.kind ?? '',
          namespaced: r.scope === 'Namespaced',
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          verbs: r.verbs ?? [],
        });
      }
    }
    return new Discovery(resources);
  }

  /**
   * Resolves one type argument (`po`, `deployments.apps`, `Pod`) or category (`all`) to resources;
   * throws kubectl's "doesn't have a resource type" error when nothing matches.
   */
  resolve(arg: string): ApiResource[] {
    const lower = arg.toLowerCase();
    const byName = this.match(lower);
    if (byName) return [byName];
    const inCategory = this.resources.filter((r) => r.categories.includes(lower));
    if (inCategory.length > 0) return inCategory;
    throw new Error(`the server doesn't have a resource type "${arg}"`);
  }

  /**
   * The resource serving objects of `apiVersion`/`kind` (the REST mapping kubectl does for `-f`
   * objects), in the object's own version; kubectl's "no matches for kind" error otherwise.
   */
  forKind(apiVersion: string, kind: string): ApiResource {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const r = this.resources.find((x) => x.group === group && x.kind === kind);
    if (!r) throw new Error(`no matches for kind "${kind}" in version "${apiVersion}"`);
    return r.version === version ? r : { ...r, version };
  }

  private match(arg: string): ApiResource | undefined {
    const dot = arg.indexOf('.');
    const name = dot < 0 ? arg : arg.slice(0, dot);
    const group = dot < 0 ? undefined : arg.slice(dot + 1);
    const named = (r: ApiResource) => r.resource === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name);
    const inGroup = (r: ApiResource) => group === undefined || r.group === group || `${r.version}.${r.group}` === group || r.group.startsWith(`${group}.`);
    // Plural and singular names beat short names, which beat kinds, as in the priority mapper.
    return (
      this.resources.find((r) => inGroup(r) && (r.resource === name || r.singular === name)) ??
      this.resources.find((r) => inGroup(r) && r.shortNames.includes(name)) ??
      this.resources.find((r) => inGroup(r) && named(r))
    );
  }
}

/** The API path of a resource collection or object. */
export function resourcePath(r: ApiResource, namespace: string | undefined, name?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
