// Endpoints and EndpointSlice columns. Ports of printEndpoints (formatEndpoints) and printEndpointSlice
// (formatDiscoveryPorts, formatDiscoveryEndpoints) in kubernetes pkg/printers/internalversion/printers.go.
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

// Both kinds show at most this many entries, then ` + <n> more...`.
const MAX_SHOWN = 3;

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The ENDPOINTS cell of an Endpoints object: up to three `ip:port` entries, `<none>` without subsets.
 * @example formatEndpoints(ep) // '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...'
 */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    // Headless services may have no ports: print bare IPs then.
    const hosts = ports.length === 0 ? addresses.map((a) => a.ip) : ports.flatMap((p) => addresses.map((a) => joinHostPort(a.ip, p.port)));
    count += hosts.length;
    for (const h of hosts) if (list.length < MAX_SHOWN) list.push(h);
  }
  const joined = list.join(',');
  return count > MAX_SHOWN ? `${joined} + ${count - MAX_SHOWN} more...` : joined;
}

function listWithMore(items: string[]): string {
  const shown = items.slice(0, MAX_SHOWN).join(',');
  if (items.length > MAX_SHOWN) return `${shown} + ${items.length - MAX_SHOWN} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** Endpoints columns: Name, Endpoints, Age. */
export function endpointsColumns(): Column[] {
  return [
    nameColumn(),
    col(
      { name: 'Endpoints', description: 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.' },
      (o) => formatEndpoints(view<Endpoints>(o)),
    ),
    ageColumn(),
  ];
}

/** EndpointSlice columns: Name, AddressType, Ports, Endpoints, Age. */
export function endpointSliceColumns(): Column[] {
  const es = view<EndpointSlice>;
  return [
    nameColumn(),
    col({ name: 'AddressType', description: 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type.' }, (o) => es(o).addressType ?? ''),
    col(
      { name: 'Ports', description: 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name.' },
      // A port without a number means "all ports": print its name, or `*`.
      (o) => listWithMore((es(o).ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*')))),
    ),
    col(
      { name: 'Endpoints', description: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.' },
      (o) => listWithMore((es(o).endpoints ?? []).flatMap((e) => e.addresses ?? [])),
    ),
    ageColumn(),
  ];
}
