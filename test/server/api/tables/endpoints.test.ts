import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

function cells(group: string, plural: string, obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group, plural, includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

// From upstream TestPrintEndpoint.
describe('endpoints cells', () => {
  const cases: Array<[name: string, subsets: unknown, want: string]> = [
    ['no subsets', undefined, '<none>'],
    ['no ports', [{ addresses: addrs('1.2.3.4', '5.6.7.8') }], '1.2.3.4,5.6.7.8'],
    ['two IPs, one port', [{ addresses: addrs('1.2.3.4', '5.6.7.8'), ports: [{ port: 8001, protocol: 'TCP' }] }], '1.2.3.4:8001,5.6.7.8:8001'],
    ['more than three', [{ addresses: addrs('1.2.3.4', '5.6.7.8', '9.8.7.6', '6.6.6.6'), ports: [{ port: 8001, protocol: 'TCP' }] }], '1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...'],
    ['IPv6 is bracketed', [{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
    ['not-ready addresses are not shown', [{ notReadyAddresses: addrs('1.2.3.4'), ports: [{ port: 80 }] }], ''],
    ['counts across subsets and ports', [{ addresses: addrs('1.1.1.1', '2.2.2.2'), ports: [{ port: 80 }, { port: 443 }] }, { addresses: addrs('3.3.3.3') }], '1.1.1.1:80,2.2.2.2:80,1.1.1.1:443 + 2 more...'],
  ];
  for (const [name, subsets, want] of cases) {
    it(name, () => assert.deepEqual(cells('', 'endpoints', { metadata: { name: 'ep', creationTimestamp: at(-300) }, subsets }), ['ep', want, '5m']));
  }
});

// From upstream TestPrintEndpointSlice.
describe('endpointslice cells', () => {
  const cases: Array<[name: string, slice: Record<string, unknown>, want: unknown[]]> = [
    [
      'one port, two addresses',
      { metadata: { name: 'abcslice.123', creationTimestamp: at(1.9) }, addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }] },
      ['abcslice.123', 'IPv4', '80', '10.1.2.3,2001:db8::1234:5678', '0s'],
    ],
    [
      'more addresses than shown',
      {
        metadata: { name: 'longerslicename.123', creationTimestamp: at(-300) },
        addressType: 'IPv6',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }, { addresses: ['10.2.3.4', '2001:db8::2345:6789'] }],
      },
      ['longerslicename.123', 'IPv6', '80,443', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
    [
      'more ports than shown',
      {
        metadata: { name: 'multiportslice.123', creationTimestamp: at(-300) },
        addressType: 'IPv4',
        ports: [{ port: 80 }, { port: 443 }, { port: 3000 }, { port: 3001 }],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }, { addresses: ['10.2.3.4', '2001:db8::2345:6789'] }],
      },
      ['multiportslice.123', 'IPv4', '80,443,3000 + 1 more...', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
    ['empty slice', { metadata: { name: 'e' }, addressType: 'IPv4' }, ['e', 'IPv4', '<unset>', '<unset>', '<unknown>']],
    ['port without number', { metadata: { name: 'e' }, addressType: 'IPv4', ports: [{ name: 'dns' }, {}] }, ['e', 'IPv4', 'dns,*', '<unset>', '<unknown>']],
  ];
  for (const [name, slice, want] of cases) it(name, () => assert.deepEqual(cells('discovery.k8s.io', 'endpointslices', slice), want));
});
