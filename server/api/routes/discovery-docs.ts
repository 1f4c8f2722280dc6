import { createHash } from 'node:crypto';
import type { ResourceInfo, ResourceTable, SubresourceInfo } from '../../../schemas/index.js';

// Pure builders for the discovery documents, derived from the resource table.
// Shapes follow k8s.io/api/apidiscovery/v2/types.go (aggregated) and
// k8s.io/apimachinery/pkg/apis/meta/v1/types.go (APIResourceList, APIGroup, APIVersions).

/** metav1.GroupVersionKind as discovery serialises it (group "" is kept for the core group). */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** apidiscovery APISubresourceDiscovery. */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: GroupVersionKind;
  verbs: string[];
}

/** apidiscovery APIResourceDiscovery. */
export interface APIResourceDiscovery {
  resource: string;
  responseKind?: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** apidiscovery APIVersionDiscovery; a `Stale` freshness makes clients treat the version as failed. */
export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

/** apidiscovery APIGroupDiscovery; the core group has no metadata.name. */
export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

/** The served versions of the aggregated discovery type. */
export type AggregatedVersion = 'v2' | 'v2beta1';

/** apidiscovery APIGroupDiscoveryList, the body of aggregated `/api` and `/apis`. */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/** metav1.APIResource: one entry of a legacy APIResourceList (resources and `res/sub` entries). */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  /** Only when the entry's group differs from the list's (pods/eviction → policy). */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** metav1.APIResourceList, the body of `/api/v1` and `/apis/G/V`. */
export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/** metav1.GroupVersionForDiscovery. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** metav1.APIGroup; kind/apiVersion are set only when it is the top-level object (`/apis/G`). */
export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** metav1.APIGroupList, the legacy `/apis` body. */
export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

/** metav1.APIVersions, the legacy `/api` body. */
export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

/** One served group with its versions, most preferred first. */
export interface ServedGroup {
  name: string;
  versions: string[];
}

// Kinds whose storage version lives in another group-version: the hash names the stored form.
const STORAGE_VERSION_OVERRIDES: Record<string, GroupVersionKind> = {
  'events.k8s.io/events': { group: '', version: 'v1', kind: 'Event' },
};

const KUBE_VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kube-aware version order: GA before beta before alpha, higher numbers first, then anything else
 * lexically. Port of apimachinery `version.CompareKubeAwareVersionStrings` (as a sort comparator).
 */
function compareVersionPriority(a: string, b: string): number {
  const ma = KUBE_VERSION_RE.exec(a);
  const mb = KUBE_VERSION_RE.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = (m: RegExpExecArray): number => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  const bySta = stability(mb) - stability(ma);
  if (bySta !== 0) return bySta;
  const byMajor = Number(mb[1]) - Number(ma[1]);
  if (byMajor !== 0) return byMajor;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** Groups in advertised order (groupOrder first, unlisted groups after, alphabetically) with versions by priority. */
export function servedGroups(table: Pick<ResourceTable, 'groupOrder' | 'resources'>): ServedGroup[] {
  const versions = new Map<string, Set<string>>();
  for (const r of table.resources) {
    const set = versions.get(r.group) ?? new Set<string>();
    set.add(r.version);
    versions.set(r.group, set);
  }
  const unlisted = [...versions.keys()].filter((g) => !table.groupOrder.includes(g)).sort();
  const order = [...table.groupOrder.filter((g) => versions.has(g)), ...unlisted];
  return order.map((name) => ({ name, versions: [...versions.get(name)!].sort(compareVersionPriority) }));
}

/** The apiserver's storage version hash: base64 of the first 8 bytes of sha256("group/version/kind"). */
export function storageVersionHash(gvk: GroupVersionKind): string {
  return createHash('sha256').update(`${gvk.group}/${gvk.version}/${gvk.kind}`).digest().subarray(0, 8).toString('base64');
}

function byName<T>(key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function resourcesOf(table: Pick<ResourceTable, 'resources'>, group: string, version: string): ResourceInfo[] {
  return table.resources.filter((r) => r.group === group && r.version === version).sort(byName((r) => r.plural));
}

function subresourceKind(parent: ResourceInfo, s: SubresourceInfo): GroupVersionKind {
  return { group: s.group ?? parent.group, version: s.version ?? parent.version, kind: s.kind ?? parent.kind };
}

function toResourceDiscovery(r: ResourceInfo): APIResourceDiscovery {
  const out: APIResourceDiscovery = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length > 0) out.shortNames = [...r.shortNames];
  if (r.categories.length > 0) out.categories = [...r.categories];
  const subs = [...r.subresources].sort(byName((s) => s.name));
  if (subs.length > 0) {
    out.subresources = subs.map((s) => ({ subresource: s.name, responseKind: subresourceKind(r, s), verbs: [...s.verbs] }));
  }
  return out;
}

/**
 * The aggregated discovery document: `core: true` → the `/api` list (one nameless item),
 * `core: false` → the `/apis` list (every named group, in groupOrder).
 * @example aggregatedDiscovery(loadResourceTable(), { core: false }).items[0].metadata.name // 'apps'
 */
export function aggregatedDiscovery(
  table: Pick<ResourceTable, 'groupOrder' | 'resources'>,
  opts: { core: boolean; version?: AggregatedVersion },
): APIGroupDiscoveryList {
  const groups = servedGroups(table).filter((g) => (g.name === '') === opts.core);
  const items = groups.map((g): APIGroupDiscovery => ({
    metadata: g.name === '' ? { creationTimestamp: null } : { name: g.name, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: resourcesOf(table, g.name, v).map(toResourceDiscovery),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${opts.version ?? 'v2'}`, metadata: {}, items };
}

function toLegacyResource(r: ResourceInfo): APIResource {
  const out: APIResource = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
  if (r.shortNames.length > 0) out.shortNames = [...r.shortNames];
  if (r.categories.length > 0) out.categories = [...r.categories];
  // Only persisted (watchable) resources carry a hash: the apiserver leaves create-only ones like
  // bindings empty, and aggregated APIs such as metrics.k8s.io publish none.
  if (r.verbs.includes('watch')) {
    const stored = STORAGE_VERSION_OVERRIDES[`${r.group}/${r.plural}`] ?? { group: r.group, version: r.version, kind: r.kind };
    out.storageVersionHash = storageVersionHash(stored);
  }
  return out;
}

function toLegacySubresource(parent: ResourceInfo, s: SubresourceInfo): APIResource {
  const gvk = subresourceKind(parent, s);
  const base = { name: `${parent.plural}/${s.name}`, singularName: '', namespaced: parent.namespaced };
  if (gvk.group === parent.group && gvk.version === parent.version) return { ...base, kind: gvk.kind, verbs: [...s.verbs] };
  // drain's CheckEvictionSupport needs group and version on pods/eviction; the apiserver sets them
  // whenever the subresource's kind lives in another group-version (key order as upstream).
  return { ...base, group: gvk.group, version: gvk.version, kind: gvk.kind, verbs: [...s.verbs] };
}

/**
 * The legacy APIResourceList of one group-version, subresources as `plural/sub` entries,
 * sorted by name like the apiserver; undefined when the group-version is not served.
 */
export function legacyResourceList(table: Pick<ResourceTable, 'resources'>, group: string, version: string): APIResourceList | undefined {
  const rs = resourcesOf(table, group, version);
  if (rs.length === 0) return undefined;
  const entries: APIResource[] = [];
  for (const r of rs) {
    entries.push(toLegacyResource(r));
    for (const s of r.subresources) entries.push(toLegacySubresource(r, s));
  }
  entries.sort(byName((e) => e.name));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources: entries };
}

function toAPIGroup(g: ServedGroup): APIGroup {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0]! };
}

/** The legacy `/apis` APIGroupList: named groups in groupOrder, preferred version first. */
export function legacyGroupList(table: Pick<ResourceTable, 'groupOrder' | 'resources'>): APIGroupList {
  const groups = servedGroups(table).filter((g) => g.name !== '').map(toAPIGroup);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** The legacy `/apis/G` APIGroup; undefined for an unknown (or the core) group. */
export function legacyGroup(table: Pick<ResourceTable, 'groupOrder' | 'resources'>, group: string): APIGroup | undefined {
  const g = group === '' ? undefined : servedGroups(table).find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...toAPIGroup(g) } : undefined;
}

/** The legacy `/api` APIVersions; serverAddress is `host:port` as the client reached us. */
export function legacyAPIVersions(table: Pick<ResourceTable, 'groupOrder' | 'resources'>, serverAddress: string): APIVersions {
  const core = servedGroups(table).find((g) => g.name === '');
  return {
    kind: 'APIVersions',
    versions: core ? core.versions : [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}
