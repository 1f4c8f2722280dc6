import type { KubeObject } from '../../schemas/types/meta.js';
import { nextClusterIP, nextNodePort } from '../admission/cluster-ip.js';
import type { Random } from '../random.js';

interface ServicePort { nodePort?: number; port?: number }
interface ServiceSpec { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: ServicePort[] }

/**
 * The Service REST allocators: a cluster IP from the service CIDR unless the service is headless
 * or an ExternalName, and node ports for NodePort and LoadBalancer services. On update, addresses
 * the client left out are kept from the stored object, as the apiserver does.
 */
export function allocateServiceAddresses(svc: KubeObject, old: KubeObject | undefined, used: { ips: Set<string>; ports: Set<number> }, random: Random): void {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  svc.spec = spec;
  const oldSpec = (old?.spec ?? {}) as ServiceSpec;
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return;
  if (!spec.clusterIP && oldSpec.clusterIP) {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = oldSpec.clusterIPs;
  }
  if (!spec.clusterIP) spec.clusterIP = nextClusterIP(used.ips, random.float);
  if (!spec.clusterIPs || spec.clusterIPs.length === 0) spec.clusterIPs = [spec.clusterIP];
  if (type !== 'NodePort' && type !== 'LoadBalancer') return;
  const oldPorts = oldSpec.ports ?? [];
  for (const p of spec.ports ?? []) {
    if (p.nodePort) continue;
    const kept = oldPorts.find((o) => o.port === p.port && o.nodePort);
    p.nodePort = kept?.nodePort ?? nextNodePort(used.ports, random.float);
    used.ports.add(p.nodePort);
  }
}
