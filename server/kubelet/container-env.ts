/**
 * A container's environment as the kubelet builds it before creating the container: env values,
 * fieldRef, configMapKeyRef / secretKeyRef and envFrom. A missing ConfigMap or Secret is a
 * CreateContainerConfigError with the kubelet's message. Port of the behaviour of kubernetes
 * pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables).
 */
import type { Container, EnvVar, Pod, Service } from 'kubernetes-types/core/v1.js';
import { quantityMilliValue } from '../../schemas/format/quantity.js';
import type { LocalClient } from '../client/api-client.js';

/** The image PATH of the catalog's Linux images, which the runtime puts first. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Thrown when the environment cannot be built; the message is the waiting message. */
export class CreateContainerConfigError extends Error {
  override name = 'CreateContainerConfigError';
}

type DataObject = { data?: Record<string, string> } | undefined;

/**
 * Resolves the container's environment: PATH and HOSTNAME first, Service variables, envFrom, env, HOME.
 * @throws {CreateContainerConfigError} e.g. `configmap "app-config" not found`
 */
export function resolveEnv(pod: Pod, container: Container, client: LocalClient, podIP: string | undefined): Array<{ name: string; value: string }> {
  const ns = pod.metadata?.namespace ?? 'default';
  // The image's PATH comes first and HOSTNAME next, as containerd assembles them.
  const out = new Map<string, string>([['PATH', DEFAULT_PATH], ['HOSTNAME', pod.metadata?.name ?? '']]);
  if (pod.spec?.enableServiceLinks !== false) for (const [k, v] of serviceEnv(client, ns)) out.set(k, v);
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    const data = source(client, kind, ns, ref?.name ?? '', ref?.optional === true);
    for (const [k, v] of Object.entries(data ?? {})) out.set(`${from.prefix ?? ''}${k}`, v);
  }
  for (const e of container.env ?? []) {
    const value = envValue(e, { pod, container, client, ns, podIP });
    if (value !== undefined) out.set(e.name, value);
  }
  // runc sets HOME from /etc/passwd when the process environment has none.
  if (!out.has('HOME')) out.set('HOME', '/root');
  return [...out].map(([name, value]) => ({ name, value }));
}

interface EnvCtx {
  pod: Pod;
  container: Container;
  client: LocalClient;
  ns: string;
  podIP: string | undefined;
}

function envValue(e: EnvVar, ctx: EnvCtx): string | undefined {
  if (e.value !== undefined) return e.value;
  const from = e.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return fieldValue(ctx.pod, from.fieldRef.fieldPath, ctx.podIP);
  if (from.resourceFieldRef) {
    const ref = from.resourceFieldRef;
    const c = (ctx.pod.spec?.containers ?? []).find((x) => x.name === ref.containerName) ?? ctx.container;
    return resourceValue(c, ref);
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return '';
  const kind = from.configMapKeyRef ? 'configmap' : 'secret';
  const data = source(ctx.client, kind, ctx.ns, ref.name ?? '', ref.optional === true);
  if (data === undefined) return undefined;
  const value = data[ref.key];
  if (value === undefined) {
    if (ref.optional) return undefined;
    throw new CreateContainerConfigError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${ctx.ns}/${ref.name ?? ''}`);
  }
  return value;
}

/** Data of a ConfigMap or Secret (decoded); undefined when optional and missing. */
function source(client: LocalClient, kind: 'configmap' | 'secret', ns: string, name: string, optional: boolean): Record<string, string> | undefined {
  const obj = client.get(kind === 'configmap' ? 'configmaps' : 'secrets', { namespace: ns, name }) as DataObject;
  if (!obj) {
    if (optional) return undefined;
    throw new CreateContainerConfigError(`${kind} "${name}" not found`);
  }
  const data = obj.data ?? {};
  if (kind === 'configmap') return data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** The value of a downward API fieldRef (env var or volume file). */
export function fieldValue(pod: Pod, path: string, podIP: string | undefined): string {
  const meta = pod.metadata ?? {};
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return podIP ?? '';
    case 'status.hostIP': case 'status.hostIPs': return pod.status?.hostIP ?? '';
    default: return '';
  }
}

/**
 * A downward API resourceFieldRef: the limit (or request) divided by the divisor, rounded up. An
 * unset value reads as 0 (the kubelet would use the node's allocatable for a limit).
 * @example resourceValue({ name: 'a', resources: { limits: { memory: '64Mi' } } }, { resource: 'limits.memory', divisor: '1Mi' }) // '64'
 */
export function resourceValue(container: Container, ref: { resource: string; divisor?: string | number }): string {
  const [kind, name] = ref.resource.split('.') as ['limits' | 'requests', string];
  const raw = (container.resources?.[kind] as Record<string, string | number> | undefined)?.[name] ?? container.resources?.requests?.[name];
  const milli = raw === undefined ? 0 : quantityMilliValue(raw);
  const divisor = quantityMilliValue(ref.divisor ?? 1) || 1000;
  return String(Math.ceil(milli / divisor));
}

/**
 * Docker-link style variables of one Service, as the kubelet's envvars.FromServices makes them;
 * worked out once per stored (frozen) version, so every container shares the same strings.
 */
function serviceVars(svc: Service): ReadonlyArray<readonly [string, string]> {
  let vars = serviceVarsMemo.get(svc);
  if (!vars) serviceVarsMemo.set(svc, (vars = computeServiceVars(svc)));
  return vars;
}

const serviceVarsMemo = new WeakMap<Service, ReadonlyArray<readonly [string, string]>>();

function computeServiceVars(svc: Service): Array<[string, string]> {
  const name = (svc.metadata?.name ?? '').toUpperCase().replace(/-/g, '_');
  const ip = svc.spec?.clusterIP ?? '';
  const ports = svc.spec?.ports ?? [];
  const first = ports[0];
  if (!first) return [];
  const out: Array<[string, string]> = [[`${name}_SERVICE_HOST`, ip], [`${name}_SERVICE_PORT`, String(first.port)]];
  for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
  const proto = (first.protocol ?? 'TCP').toLowerCase();
  out.push([`${name}_PORT`, `${proto}://${ip}:${first.port}`]);
  for (const p of ports) {
    const pr = (p.protocol ?? 'TCP').toLowerCase();
    const prefix = `${name}_PORT_${p.port}_${pr.toUpperCase()}`;
    out.push([prefix, `${pr}://${ip}:${p.port}`], [`${prefix}_PROTO`, pr], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
  }
  return out;
}

/** Service variables of the namespace's Services with a cluster IP, plus the `kubernetes` Service. */
function serviceEnv(client: LocalClient, namespace: string): Array<readonly [string, string]> {
  const services = [...client.list('services', { namespace })] as unknown as Service[];
  if (namespace !== 'default') {
    const master = client.get('services', { namespace: 'default', name: 'kubernetes' }) as Service | undefined;
    if (master) services.push(master);
  }
  const usable = services.filter((s) => s.spec?.clusterIP && s.spec.clusterIP !== 'None');
  usable.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return usable.flatMap(serviceVars);
}
