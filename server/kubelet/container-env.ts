/**
 * A container's environment as the kubelet builds it before creating the container: env values,
 * fieldRef, configMapKeyRef / secretKeyRef and envFrom. A missing ConfigMap or Secret is a
 * CreateContainerConfigError with the kubelet's message. Port of the behaviour of kubernetes
 * pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables).
 */
import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';
import type { LocalClient } from '../client/api-client.js';

/** Thrown when the environment cannot be built; the message is the waiting message. */
export class CreateContainerConfigError extends Error {
  override name = 'CreateContainerConfigError';
}

type DataObject = { data?: Record<string, string> } | undefined;

/**
 * Resolves the container's environment (HOSTNAME first, as the runtime sets it).
 * @throws {CreateContainerConfigError} e.g. `configmap "app-config" not found`
 */
export function resolveEnv(pod: Pod, container: Container, client: LocalClient, podIP: string | undefined): Array<{ name: string; value: string }> {
  const ns = pod.metadata?.namespace ?? 'default';
  const out = new Map<string, string>([['HOSTNAME', pod.metadata?.name ?? '']]);
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    const data = source(client, kind, ns, ref?.name ?? '', ref?.optional === true);
    for (const [k, v] of Object.entries(data ?? {})) out.set(`${from.prefix ?? ''}${k}`, v);
  }
  for (const e of container.env ?? []) {
    const value = envValue(e, { pod, client, ns, podIP });
    if (value !== undefined) out.set(e.name, value);
  }
  return [...out].map(([name, value]) => ({ name, value }));
}

interface EnvCtx {
  pod: Pod;
  client: LocalClient;
  ns: string;
  podIP: string | undefined;
}

function envValue(e: EnvVar, ctx: EnvCtx): string | undefined {
  if (e.value !== undefined) return e.value;
  const from = e.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return fieldValue(ctx.pod, from.fieldRef.fieldPath, ctx.podIP);
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

function fieldValue(pod: Pod, path: string, podIP: string | undefined): string {
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
