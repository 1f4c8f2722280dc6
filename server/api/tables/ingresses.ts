// Ingress and IngressClass columns. Ports of printIngress (formatHosts, formatPorts) and printIngressClass
// in kubernetes pkg/printers/internalversion/printers.go.
import type { Ingress, IngressClass, IngressRule } from 'kubernetes-types/networking/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';
import { loadBalancerIngressString } from './services.js';

const MAX_HOSTS = 3;

/**
 * The HOSTS cell: up to three rule hosts, `*` when no rule names a host.
 * @example formatIngressHosts([{ host: 'a.example' }, {}]) // 'a.example'
 */
export function formatIngressHosts(rules: IngressRule[] | undefined): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === MAX_HOSTS) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  // Upstream counts the surplus over all rules, hostless ones included.
  return more ? `${list.join(',')} + ${(rules ?? []).length - MAX_HOSTS} more...` : list.join(',');
}

/** Ingress columns: Name, Class, Hosts, Address, Ports, Age. */
export function ingressColumns(): Column[] {
  const ing = view<Ingress>;
  return [
    nameColumn(),
    col({ name: 'Class', description: 'The name of the IngressClass resource that should be used for additional configuration' }, (o) => ing(o).spec?.ingressClassName ?? '<none>'),
    col({ name: 'Hosts', description: 'Hosts that incoming requests are matched against before the ingress rule' }, (o) => formatIngressHosts(ing(o).spec?.rules)),
    col(
      { name: 'Address', description: 'Address is a list containing ingress points for the load-balancer' },
      (o) => loadBalancerIngressString(ing(o).status?.loadBalancer?.ingress),
    ),
    col({ name: 'Ports', description: 'Ports of TLS configurations that open' }, (o) => ((ing(o).spec?.tls ?? []).length > 0 ? '80, 443' : '80')),
    ageColumn(),
  ];
}

/** IngressClass columns: Name, Controller, Parameters, Age. */
export function ingressClassColumns(): Column[] {
  const ic = view<IngressClass>;
  return [
    nameColumn(),
    col({ name: 'Controller', description: 'Controller that is responsible for handling this class' }, (o) => ic(o).spec?.controller ?? ''),
    col({ name: 'Parameters', description: 'A reference to a resource with additional parameters' }, (o) => {
      const p = ic(o).spec?.parameters;
      if (!p) return '<none>';
      // A set apiGroup is printed even when empty, as upstream dereferences the pointer.
      const group = p.apiGroup === undefined || p.apiGroup === null ? '' : `.${p.apiGroup}`;
      return `${p.kind}${group}/${p.name}`;
    }),
    ageColumn(),
  ];
}
