/**
 * The simulated root filesystem of a container, built when the kubelet creates it: the image's
 * well-known files (nginx's index page, /etc/os-release), the files the kubelet manages
 * (/etc/hosts, /etc/hostname, /etc/resolv.conf) and the pod's volumes at their mount points.
 * Port of the behaviour of kubernetes pkg/kubelet/kubelet_pods.go (managedHostsFileContent),
 * pkg/kubelet/network/dns/dns.go (ClusterFirst resolv.conf) and pkg/volume/util
 * (configMap/secret/downwardAPI/projected payloads). Nothing here touches the host.
 */
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { LocalClient } from '../client/api-client.js';
import { GenerationMap } from '../generation-map.js';
import { imageLayer } from './image-files.js';
import { MountedDirs, MountedFiles, newVolumeStore, type Mount, type VolumeStore } from './mounted-files.js';
import { fieldValue, resourceValue } from './container-env.js';

/** The cluster DNS Service IP kubeadm configures (10th address of the service range). */
export const CLUSTER_DNS_IP = '10.96.0.10';
/** The cluster's DNS domain (kubelet --cluster-domain). */
export const CLUSTER_DOMAIN = 'cluster.local';

/** A container's files and directories, volumes included. */
export interface ContainerFilesystem {
  files: Map<string, string>;
  dirs: Set<string>;
}

/** Where volume sources (ConfigMaps, Secrets) are read: the API, or what was read of it before. */
export type SourceReader = Pick<LocalClient, 'get'>;

/** What building a filesystem reads: the API (volume sources), the pod IP, the pod's emptyDirs. */
export interface FilesystemDeps {
  client: SourceReader;
  podIP: string | undefined;
  /** emptyDir stores of the pod, by volume name; created on first use and shared by its containers. */
  volumes: Map<string, VolumeStore>;
  /** Issue time of the projected service account token. */
  now: number;
}

const HOSTS_HEADER = [
  '# Kubernetes-managed hosts file.',
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

/** The pod's hostname: spec.hostname, else the pod name. */
export function podHostname(pod: Pod): string {
  return pod.spec?.hostname || pod.metadata?.name || '';
}

/** /etc/hosts as the kubelet writes it for a pod on the pod network. */
export function hostsFile(pod: Pod, podIP: string | undefined): string {
  const lines = [...HOSTS_HEADER];
  const host = podHostname(pod);
  const sub = pod.spec?.subdomain;
  if (podIP) lines.push(sub ? `${podIP}\t${host}.${sub}.${pod.metadata?.namespace ?? 'default'}.svc.${CLUSTER_DOMAIN}\t${host}` : `${podIP}\t${host}`);
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length > 0) lines.push('', '# Entries added by HostAliases.', ...aliases.map((a) => `${a.ip ?? ''}\t${(a.hostnames ?? []).join('\t')}`));
  return `${lines.join('\n')}\n`;
}

const resolvConfs = new Map<string, string>();

/** /etc/resolv.conf for dnsPolicy ClusterFirst; one string per namespace, shared by its containers. */
export function resolvConf(namespace: string): string {
  let text = resolvConfs.get(namespace);
  if (text === undefined) {
    if (resolvConfs.size >= 1024) resolvConfs.clear();
    text = `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${CLUSTER_DNS_IP}\noptions ndots:5\n`;
    resolvConfs.set(namespace, text);
  }
  return text;
}

/**
 * The container's filesystem as the kubelet creates it, built when something first reads it (its
 * shell, an exec, an exec probe, a request for a page). Most containers of a large Deployment are
 * never read, and building every tree (a Map per volume, the service account token, /etc/hosts)
 * was 2% of the main thread's time at 10,000 pods. The ConfigMaps and Secrets its volumes show are
 * fetched now, so the files are those of the container's creation all the same (the stored objects
 * are shared, never copied).
 */
export function lazyContainerFilesystem(pod: Pod, container: Container, deps: FilesystemDeps): ContainerFilesystem {
  // Only what the files are made of: the whole pod version would outlive the kubelet's later ones.
  // The spec is shared with them; metadata and status are copied anew by every write.
  const { name, namespace, uid, labels, annotations } = pod.metadata ?? {};
  const source: Pod = { metadata: { name, namespace, uid, labels, annotations }, spec: pod.spec, status: { hostIP: pod.status?.hostIP } };
  return new LazyFilesystem(source, container, { ...deps, client: snapshotSources(pod, container, deps.client) });
}

/** Classes rather than closures over getters: one of each per running container. */
class LazyFilesystem implements ContainerFilesystem {
  private built: ContainerFilesystem | undefined;

  constructor(private readonly source: Pod, private readonly container: Container, private readonly deps: FilesystemDeps) {}

  get files(): Map<string, string> {
    return this.build().files;
  }

  get dirs(): Set<string> {
    return this.build().dirs;
  }

  private build(): ContainerFilesystem {
    return (this.built ??= buildContainerFilesystem(this.source, this.container, this.deps));
  }
}

type SourceEntry = [resource: string, name: string, obj: ReturnType<SourceReader['get']>];

class SourceSnapshot implements SourceReader {
  constructor(private readonly read: SourceEntry[]) {}

  get(resource: string, key: { name: string }): ReturnType<SourceReader['get']> {
    return this.read.find(([r, n]) => r === resource && n === key.name)?.[2];
  }
}

/** The ConfigMaps and Secrets the container's volumes read, as they are now. */
function snapshotSources(pod: Pod, container: Container, client: SourceReader): SourceReader {
  const ns = pod.metadata?.namespace ?? 'default';
  const read: SourceEntry[] = [];
  const take = (resource: string, name: string | undefined): void => {
    if (!read.some(([r, n]) => r === resource && n === (name ?? ''))) read.push([resource, name ?? '', client.get(resource, { namespace: ns, name: name ?? '' })]);
  };
  for (const vm of container.volumeMounts ?? []) {
    const volume = (pod.spec?.volumes ?? []).find((v) => v.name === vm.name);
    if (volume?.configMap) take('configmaps', volume.configMap.name);
    if (volume?.secret) take('secrets', volume.secret.secretName);
    for (const src of volume?.projected?.sources ?? []) {
      if (src.configMap) take('configmaps', src.configMap.name);
      if (src.secret) take('secrets', src.secret.name);
    }
  }
  // Most pods read one object, their namespace's kube-root-ca.crt, and the same version of it: one
  // snapshot serves them all. A stored version is one object, never changed, so it is the key; a
  // missing one (a daemon without TLS publishes no CA) is keyed by its name.
  if (read.length !== 1) return new SourceSnapshot(read);
  const [resource, name, obj] = read[0]!;
  if (!obj) return missingSnapshots.intern(`${ns}/${resource}/${name}`, new SourceSnapshot(read));
  let shared = snapshotOf.get(obj);
  if (!shared) snapshotOf.set(obj, (shared = new SourceSnapshot(read)));
  return shared;
}

const snapshotOf = new WeakMap<object, SourceSnapshot>();
const missingSnapshots = new GenerationMap<string, SourceSnapshot>(256);

/**
 * Builds the container's filesystem from its volume sources as `deps.client` has them.
 * @example buildContainerFilesystem(pod, pod.spec.containers[0], deps).files.get('/etc/hostname') // 'web\n'
 */
export function buildContainerFilesystem(pod: Pod, container: Container, deps: FilesystemDeps): ContainerFilesystem {
  const mounts: Mount[] = [];
  const singles: Array<[string, string]> = [];
  for (const vm of container.volumeMounts ?? []) {
    const volume = (pod.spec?.volumes ?? []).find((v) => v.name === vm.name);
    if (!volume) continue;
    const store = volumeStore(pod, volume, deps);
    const path = vm.mountPath.replace(/\/+$/, '') || '/';
    if (!vm.subPath) {
      mounts.push({ path, store });
      continue;
    }
    // A subPath mount shows one file or directory of the volume at the mount path.
    const sub = `/${vm.subPath.replace(/^\/+|\/+$/g, '')}`;
    const file = store.files.get(sub);
    if (file !== undefined) singles.push([path, file]);
    else mounts.push({ path, store: subtree(store, sub) });
  }
  const layer = imageLayer(container.image ?? '');
  const files = new MountedFiles(mounts, layer.files);
  for (const [path, content] of singles) files.set(path, content);
  const ns = pod.metadata?.namespace ?? 'default';
  files.set('/etc/hostname', `${podHostname(pod)}\n`);
  files.set('/etc/hosts', hostsFile(pod, deps.podIP));
  files.set('/etc/resolv.conf', resolvConf(ns));
  const dirs = new MountedDirs(mounts, layer.dirs);
  return { files, dirs };
}

/** The part of a store under the directory `sub`, as a store of its own (a copy). */
function subtree(store: VolumeStore, sub: string): VolumeStore {
  const out = newVolumeStore();
  for (const [rel, content] of store.files) if (rel.startsWith(`${sub}/`)) out.files.set(rel.slice(sub.length), content);
  for (const d of store.dirs) if (d.startsWith(`${sub}/`)) out.dirs.add(d.slice(sub.length));
  return out;
}

function volumeStore(pod: Pod, volume: Volume, deps: FilesystemDeps): VolumeStore {
  if (volume.configMap || volume.secret || volume.downwardAPI || volume.projected) {
    const store = newVolumeStore();
    for (const [rel, content] of Object.entries(projectedPayload(pod, volume, deps))) addFile(store, rel, content);
    return store;
  }
  // emptyDir, and (approximated) every other kind: a pod-lifetime store shared by its containers.
  let store = deps.volumes.get(volume.name);
  if (!store) deps.volumes.set(volume.name, (store = newVolumeStore()));
  return store;
}

function addFile(store: VolumeStore, rel: string, content: string): void {
  const path = `/${rel.replace(/^\/+/, '')}`;
  store.files.set(path, content);
  const parts = path.split('/').slice(1, -1);
  for (let i = 1; i <= parts.length; i++) store.dirs.add(`/${parts.slice(0, i).join('/')}`);
}

type Items = Array<{ key: string; path: string }> | undefined;

/** key → content of a configMap/secret/downwardAPI/projected volume. */
function projectedPayload(pod: Pod, volume: Volume, deps: FilesystemDeps): Record<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  if (volume.configMap) return keyed(readData(deps.client, 'configmaps', ns, volume.configMap.name ?? ''), volume.configMap.items);
  if (volume.secret) return keyed(readData(deps.client, 'secrets', ns, volume.secret.secretName ?? ''), volume.secret.items);
  if (volume.downwardAPI) return downward(pod, volume.downwardAPI.items, deps);
  const out: Record<string, string> = {};
  for (const src of volume.projected?.sources ?? []) {
    if (src.configMap) Object.assign(out, keyed(readData(deps.client, 'configmaps', ns, src.configMap.name ?? ''), src.configMap.items));
    if (src.secret) Object.assign(out, keyed(readData(deps.client, 'secrets', ns, src.secret.name ?? ''), src.secret.items));
    if (src.downwardAPI) Object.assign(out, downward(pod, src.downwardAPI.items, deps));
    if (src.serviceAccountToken) out[src.serviceAccountToken.path] = serviceAccountToken(pod, src.serviceAccountToken.expirationSeconds ?? 3607, deps.now);
  }
  return out;
}

function keyed(data: Record<string, string> | undefined, items: Items): Record<string, string> {
  if (!data) return {};
  if (!items || items.length === 0) return { ...data };
  const out: Record<string, string> = {};
  for (const it of items) if (data[it.key] !== undefined) out[it.path] = data[it.key]!;
  return out;
}

function readData(client: SourceReader, resource: 'configmaps' | 'secrets', namespace: string, name: string): Record<string, string> | undefined {
  const obj = client.get(resource, { namespace, name }) as { data?: Record<string, string> } | undefined;
  if (!obj) return undefined;
  const data = obj.data ?? {};
  if (resource === 'configmaps') return { ...data };
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

type DownwardItems = Array<{ path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number } }> | undefined;

/** Downward API files: no trailing newline; label and annotation maps as sorted `k="v"` lines. */
function downward(pod: Pod, items: DownwardItems, deps: FilesystemDeps): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items ?? []) {
    if (it.fieldRef) {
      const path = it.fieldRef.fieldPath;
      const map = path === 'metadata.labels' ? pod.metadata?.labels : path === 'metadata.annotations' ? pod.metadata?.annotations : undefined;
      out[it.path] = map ? Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n') : fieldValue(pod, path, deps.podIP);
    } else if (it.resourceFieldRef) {
      const c = (pod.spec?.containers ?? []).find((x) => x.name === it.resourceFieldRef!.containerName) ?? pod.spec?.containers?.[0];
      out[it.path] = c ? resourceValue(c, it.resourceFieldRef) : '';
    }
  }
  return out;
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A service account JWT shaped like the kubelet's projected token (not valid against this API server). */
function serviceAccountToken(pod: Pod, expirationSeconds: number, now: number): string {
  const iat = Math.floor(now / 1000);
  const ns = pod.metadata?.namespace ?? 'default';
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const claims = {
    aud: ['https://kubernetes.default.svc.cluster.local'], exp: iat + expirationSeconds, iat, iss: 'https://kubernetes.default.svc.cluster.local',
    'kubernetes.io': { namespace: ns, node: { name: pod.spec?.nodeName ?? '' }, pod: { name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' }, serviceaccount: { name: sa } },
    nbf: iat, sub: `system:serviceaccount:${ns}:${sa}`,
  };
  const unsigned = `${b64url({ alg: 'RS256', kid: 'kubedojo' })}.${b64url(claims)}`;
  return `${unsigned}.${Buffer.from(`${pod.metadata?.uid ?? ''}/${iat}`).toString('base64url')}`;
}
