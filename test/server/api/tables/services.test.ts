import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function cells(obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: '', plural: 'services', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const svc = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ metadata: { name }, spec, status });

// From upstream TestPrintService and TestPrintServiceList, plus headless and long LB cases.
describe('service cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    [
      'cluster IP with selector',
      svc('test1', { type: 'ClusterIP', ports: [{ protocol: 'tcp', port: 2233 }], clusterIPs: ['10.9.8.7'], selector: { foo: 'bar' } }),
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>', 'foo=bar'],
    ],
    ['node port', svc('test2', { type: 'NodePort', ports: [{ protocol: 'tcp', port: 8888, nodePort: 9999 }], clusterIPs: ['10.9.8.7'] }), ['test2', 'NodePort', '10.9.8.7', '<none>', '8888:9999/tcp', '<unknown>', '<none>']],
    ['pending load balancer', svc('test3', { type: 'LoadBalancer', ports: [{ protocol: 'tcp', port: 8888 }], clusterIPs: ['10.9.8.7'] }), ['test3', 'LoadBalancer', '10.9.8.7', '<pending>', '8888/tcp', '<unknown>', '<none>']],
    [
      'load balancer with an external IP and no status',
      svc('test4', { type: 'LoadBalancer', ports: [{ protocol: 'tcp', port: 8888 }], clusterIPs: ['10.9.8.7'], externalIPs: ['80.11.12.10'] }),
      ['test4', 'LoadBalancer', '10.9.8.7', '80.11.12.10', '8888/tcp', '<unknown>', '<none>'],
    ],
    [
      'load balancer ingress IP before external IPs',
      svc('test5', { type: 'LoadBalancer', ports: [{ protocol: 'tcp', port: 8888 }], clusterIPs: ['10.9.8.7'], externalIPs: ['80.11.12.10'] }, { loadBalancer: { ingress: [{ ip: '3.4.5.6', hostname: 'test.cluster.com' }] } }),
      ['test5', 'LoadBalancer', '10.9.8.7', '3.4.5.6,80.11.12.10', '8888/tcp', '<unknown>', '<none>'],
    ],
    [
      'several ingress points and external IPs',
      svc(
        'test6',
        { type: 'LoadBalancer', ports: [{ protocol: 'tcp', port: 8888 }], clusterIPs: ['10.9.8.7'], externalIPs: ['80.11.12.10', '80.11.12.11'] },
        { loadBalancer: { ingress: [{ ip: '3.4.5.6', hostname: 'test.cluster.com' }, { ip: '2.3.4.5', hostname: 'test.cluster.local' }] } },
      ),
      ['test6', 'LoadBalancer', '10.9.8.7', '2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11', '8888/tcp', '<unknown>', '<none>'],
    ],
    [
      'long load balancer hostnames are not clipped (the apiserver prints wide)',
      svc('lb', { type: 'LoadBalancer', ports: [{ protocol: 'TCP', port: 80 }], clusterIPs: ['10.0.0.1'] }, { loadBalancer: { ingress: [{ hostname: 'a-very-long-hostname.example.com' }] } }),
      ['lb', 'LoadBalancer', '10.0.0.1', 'a-very-long-hostname.example.com', '80/TCP', '<unknown>', '<none>'],
    ],
    ['external name', svc('test7', { type: 'ExternalName', externalName: 'my.database.example.com' }), ['test7', 'ExternalName', '<none>', 'my.database.example.com', '<none>', '<unknown>', '<none>']],
    ['headless', svc('db', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] }), ['db', 'ClusterIP', 'None', '<none>', '5432/TCP', '<unknown>', '<none>']],
    ['clusterIP without clusterIPs', svc('a', { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ port: 443, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }), ['a', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP,53/UDP', '<unknown>', '<none>']],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(cells(obj), want));
});
