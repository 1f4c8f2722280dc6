/**
 * The pod network as a container sees it, for wget and curl: cluster DNS (Service names through the
 * pod's search list, as /etc/resolv.conf sets it), Service virtual IPs balanced to ready endpoints
 * (kube-proxy rejects a Service without endpoints: connection refused) and HTTP answers from the
 * simulated servers (nginx serves the files of its document root).
 */
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { LocalClient } from '../client/api-client.js';
import { CLUSTER_DOMAIN } from './container-fs.js';
import type { ContainerRegistry } from './container-registry.js';
import type { HttpOutcome, ShellNetwork } from './net-utils.js';

/** Where each HTTP server of the catalog serves files from. */
const DOCUMENT_ROOTS: Record<string, string> = { nginx: '/usr/share/nginx/html', 'nginx-debug': '/usr/share/nginx/html' };
const KUBERNETES_SERVICE_IP = '10.96.0.1';

const NOT_FOUND_PAGE = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const isReady = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

// A network holds no state of its own: the containers of a namespace on one node share it.
const networks = new WeakMap<LocalClient, Map<string, { containers: ContainerRegistry; network: ShellNetwork }>>();

/**
 * The network of a container in `namespace`.
 * @example clusterNetwork(client, containers, 'default').resolve('web') // '10.96.12.7'
 */
export function clusterNetwork(client: LocalClient, containers: ContainerRegistry, namespace: string): ShellNetwork {
  let byNamespace = networks.get(client);
  if (!byNamespace) networks.set(client, (byNamespace = new Map()));
  let hit = byNamespace.get(namespace);
  if (hit?.containers !== containers) {
    hit = { containers, network: newClusterNetwork(client, containers, namespace) };
    byNamespace.set(namespace, hit);
  }
  return hit.network;
}

function newClusterNetwork(client: LocalClient, containers: ContainerRegistry, namespace: string): ShellNetwork {
  const services = (ns?: string): Service[] => client.list('services', ns ? { namespace: ns } : {}) as unknown as Service[];
  const pods = (ns?: string): Pod[] => client.list('pods', ns ? { namespace: ns } : {}) as unknown as Pod[];

  const resolve = (host: string): string | undefined => {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
    const name = host.replace(/\.$/, '');
    const candidates = host.endsWith('.') ? [name] : [`${name}.${namespace}.svc.${CLUSTER_DOMAIN}`, `${name}.svc.${CLUSTER_DOMAIN}`, `${name}.${CLUSTER_DOMAIN}`, name];
    for (const fqdn of candidates) {
      const m = new RegExp(`^([^.]+)\\.([^.]+)\\.svc\\.${CLUSTER_DOMAIN.replace('.', '\\.')}$`).exec(fqdn);
      if (!m) continue;
      const svc = services(m[2]).find((s) => s.metadata?.name === m[1]);
      if (!svc) continue;
      if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return svc.spec.clusterIP;
      // A headless Service resolves to its ready pods.
      return endpoints(svc)[0]?.status?.podIP;
    }
    return undefined;
  };

  const endpoints = (svc: Service): Pod[] => {
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return [];
    return pods(svc.metadata?.namespace).filter((p) => isReady(p) && p.status?.podIP && !p.metadata?.deletionTimestamp && Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v))
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  };

  const get = (ip: string, port: number, path: string): HttpOutcome => {
    const svc = ip === KUBERNETES_SERVICE_IP ? undefined : services().find((s) => s.spec?.clusterIP === ip);
    if (svc) {
      const sp = (svc.spec?.ports ?? []).find((p) => p.port === port);
      const backend = sp ? endpoints(svc)[0] : undefined;
      if (!sp || !backend) return { kind: 'refused' };
      return serve(backend, targetPort(backend, sp.targetPort ?? sp.port), path);
    }
    const pod = pods().find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork);
    return pod ? serve(pod, port, path) : { kind: 'refused' };
  };

  const serve = (pod: Pod, port: number, path: string): HttpOutcome => {
    for (const spec of pod.spec?.containers ?? []) {
      const c = containers.get(pod.metadata?.uid ?? '', spec.name);
      const server = c?.state === 'running' ? c.program?.server : undefined;
      if (!server || !server.http || !server.ports.includes(port)) continue;
      if (server.name === 'agnhost') return { kind: 'response', status: 200, reason: 'OK', body: path.startsWith('/hostname') ? (pod.metadata?.name ?? '') : `NOW: ${new Date(c!.program!.startedAt).toISOString()}` };
      const root = DOCUMENT_ROOTS[server.name];
      const file = root ? c!.program!.files.get(`${root}${path.split('?')[0]!.replace(/\/$/, '/index.html')}`) : undefined;
      return file === undefined ? { kind: 'response', status: 404, reason: 'Not Found', body: NOT_FOUND_PAGE } : { kind: 'response', status: 200, reason: 'OK', body: file };
    }
    return { kind: 'refused' };
  };

  return { resolve, get };
}

/** A Service's targetPort as a number: named ports resolve through the backend's container ports. */
function targetPort(pod: Pod, target: number | string): number {
  if (typeof target === 'number') return target;
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return Number(target) || 0;
}
