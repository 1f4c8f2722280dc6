import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A subresource entry of the resource table (`deployments/scale`, `pods/eviction`). */
export interface SubresourceInfo {
  name: string;
  kind?: string;
  verbs: string[];
  /** Set only when the subresource's kind lives in another group-version (Scale, Eviction). */
  group?: string;
  version?: string;
}

/** One served resource: the row of schemas/resources.json that discovery, routing and storage share. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  categories: string[];
  subresources: SubresourceInfo[];
}

/** The resource table with the lookups every layer needs. */
export interface ResourceTable {
  /** Group names in the order discovery advertises them ("" is the core group). */
  groupOrder: string[];
  resources: ResourceInfo[];
  /** Finds a resource by group, version and plural. */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined;
  /** Finds a resource by group and kind (any served version). */
  byKind(group: string, kind: string): ResourceInfo | undefined;
}

/** Directory that holds resources.json, valid both from sources and from dist/. */
export function schemasDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/schemas/index.js → ../../schemas ; schemas/index.ts (tsx) → .
  const candidates = [here, join(here, '..', '..', 'schemas')];
  for (const c of candidates) {
    try {
      readFileSync(join(c, 'resources.json'));
      return c;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(`Cannot find schemas/resources.json from ${here}`);
}

let cached: ResourceTable | undefined;

/** Loads schemas/resources.json once and indexes it. */
export function loadResourceTable(): ResourceTable {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(join(schemasDir(), 'resources.json'), 'utf8')) as {
    groupOrder: string[];
    resources: ResourceInfo[];
  };
  const byGvr = new Map<string, ResourceInfo>();
  const byGk = new Map<string, ResourceInfo>();
  for (const r of raw.resources) {
    byGvr.set(`${r.group}/${r.version}/${r.plural}`, r);
    if (!byGk.has(`${r.group}/${r.kind}`)) byGk.set(`${r.group}/${r.kind}`, r);
  }
  cached = {
    groupOrder: raw.groupOrder,
    resources: raw.resources,
    lookup: (g, v, p) => byGvr.get(`${g}/${v}/${p}`),
    byKind: (g, k) => byGk.get(`${g}/${k}`),
  };
  return cached;
}

/** The apiVersion string of a resource: `v1` for core, `apps/v1` otherwise. */
export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** The group-resource as Kubernetes prints it in messages: `deployments.apps`, `pods`. */
export function groupResource(r: { group: string; plural: string }): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}
