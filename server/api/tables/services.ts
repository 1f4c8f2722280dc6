// Service columns. Port of printService in kubernetes pkg/printers/internalversion/printers.go.
import type { LoadBalancerIngress, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { formatLabels } from '../../../schemas/format/labels.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/**
 * The distinct load-balancer ingress IPs (or hostnames when no IP), sorted and comma-joined.
 * The apiserver prints tables as if `-o wide`, so upstream's 16-character clipping never applies.
 */
export function loadBalancerIngressString(ingress: LoadBalancerIngress[] | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

/**
 * The EXTERNAL-IP cell for each service type (`<none>`, `<pending>`, LB addresses, or the external name).
 * @example serviceExternalIP({ spec: { type: 'LoadBalancer' } }) // '<pending>'
 */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (serviceType(svc)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngressString(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/**
 * The PORT(S) cell: `port/proto` or `port:nodePort/proto`, comma-joined; `<none>` when there are no ports.
 * @example servicePorts([{ port: 80, nodePort: 30080, protocol: 'TCP' }]) // '80:30080/TCP'
 */
export function servicePorts(ports: ServicePort[] | undefined): string {
  // protocol is defaulted to TCP by the API server; an object that skipped defaulting still prints sanely.
  const pieces = (ports ?? []).map((p) => {
    const proto = p.protocol ?? 'TCP';
    return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return pieces.length === 0 ? '<none>' : pieces.join(',');
}

// spec.type is defaulted to ClusterIP by the API server.
function serviceType(svc: Service): string {
  return svc.spec?.type ?? 'ClusterIP';
}

// The internal API fills clusterIPs from a lone clusterIP when converting from v1; do the same.
function clusterIP(svc: Service): string {
  return svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
}

/** Service columns: Name, Type, Cluster-IP, External-IP, Port(s), Age, and wide Selector. */
export function serviceColumns(): Column[] {
  const svc = view<Service>;
  return [
    nameColumn(),
    col({ name: 'Type', description: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.' }, (o) => serviceType(svc(o))),
    col({ name: 'Cluster-IP', description: 'clusterIP is the IP address of the service and is usually assigned randomly.' }, (o) => clusterIP(svc(o))),
    col(
      { name: 'External-IP', description: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.' },
      (o) => serviceExternalIP(svc(o)),
    ),
    col({ name: 'Port(s)', description: 'The list of ports that are exposed by this service.' }, (o) => servicePorts(svc(o).spec?.ports)),
    ageColumn(),
    col(
      { name: 'Selector', priority: 1, description: 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.' },
      (o) => formatLabels(svc(o).spec?.selector),
    ),
  ];
}
