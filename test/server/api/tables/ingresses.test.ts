import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function cells(plural: string, obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: 'networking.k8s.io', plural, includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

describe('ingress cells', () => {
  const cases: Array<[name: string, spec: Record<string, unknown>, status: unknown, want: unknown[]]> = [
    ['no class, no hosts, no address', {}, undefined, ['ing', '<none>', '*', '', '80', '<unknown>']],
    ['class, hosts and TLS', { ingressClassName: 'nginx', rules: [{ host: 'a.example' }, { host: 'b.example' }], tls: [{ hosts: ['a.example'] }] }, undefined, ['ing', 'nginx', 'a.example,b.example', '', '80, 443', '<unknown>']],
    ['hostless rule', { rules: [{ http: {} }] }, undefined, ['ing', '<none>', '*', '', '80', '<unknown>']],
    [
      'more than three hosts',
      { rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }] },
      undefined,
      ['ing', '<none>', 'a,b,c + 2 more...', '', '80', '<unknown>'],
    ],
    ['load-balancer address, sorted', {}, { loadBalancer: { ingress: [{ ip: '10.0.0.9' }, { hostname: 'lb.example' }, { ip: '10.0.0.1' }] } }, ['ing', '<none>', '*', '10.0.0.1,10.0.0.9,lb.example', '80', '<unknown>']],
  ];
  for (const [name, spec, status, want] of cases) it(name, () => assert.deepEqual(cells('ingresses', { metadata: { name: 'ing' }, spec, status }), want));
});

describe('ingressclass cells', () => {
  const cases: Array<[name: string, spec: Record<string, unknown>, want: string]> = [
    ['no parameters', { controller: 'example.com/ingress' }, '<none>'],
    ['parameters with group', { controller: 'c', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } }, 'IngressParameters.k8s.example.com/external-lb'],
    ['parameters without group', { controller: 'c', parameters: { kind: 'ConfigMap', name: 'cfg' } }, 'ConfigMap/cfg'],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.deepEqual(cells('ingressclasses', { metadata: { name: 'ic' }, spec }), ['ic', spec.controller, want, '<unknown>']));
  }
});
