/**
 * Unit tests of the `create ingress` builder (cli/commands/create-ingress.ts): rules grouped by
 * host, Exact vs Prefix paths, TLS entries per secret, ports as numbers or names, and kubectl's
 * validation messages. The byte-level comparison with kubectl is in the differential test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIngress, validateIngress, type IngressOptions } from '../../../cli/commands/create-ingress.js';

const opts = (o: Partial<IngressOptions>): IngressOptions => ({ rules: [], annotations: [], ...o });

test('rules of one host share its paths; a trailing * makes a Prefix path', () => {
  const ing = buildIngress({ name: 'web' }, opts({ rules: ['foo.com/api*=api:http', 'foo.com/=web:80', '/x=other:8080'] }));
  assert.deepEqual(ing.spec.rules, [
    {
      host: 'foo.com',
      http: {
        paths: [
          { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } },
          { path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } },
        ],
      },
    },
    { http: { paths: [{ path: '/x', pathType: 'Exact', backend: { service: { name: 'other', port: { number: 8080 } } } }] } },
  ]);
  assert.equal(ing.spec.tls, undefined);
  assert.deepEqual(ing.status, { loadBalancer: {} });
});

test('TLS hosts are grouped by secret; a host is taken once; an entry with neither host nor secret is dropped', () => {
  const ing = buildIngress({ name: 'web' }, opts({ rules: ['a.com/=s:80,tls=cert', 'b.com/=s:80,tls=cert', 'a.com/x=s:80,tls=other', '/y=s:80,tls', 'c.com/=s:80,tls'] }));
  assert.deepEqual(ing.spec.tls, [{ hosts: ['a.com', 'b.com'], secretName: 'cert' }, { hosts: ['c.com'] }]);
});

test('ports: int32 numbers, a zero port left empty, anything else a name', () => {
  const port = (p: string) => buildIngress({ name: 'w' }, opts({ defaultBackend: `svc:${p}` })).spec.defaultBackend.service.port;
  assert.deepEqual(port('08'), { number: 8 });
  assert.deepEqual(port('-1'), { number: -1 });
  assert.deepEqual(port('0'), {});
  assert.deepEqual(port('99999999999'), { name: '99999999999' });
  assert.deepEqual(port('http'), { name: 'http' });
});

test('class, annotations (sorted, last value wins) and namespace go where kubectl puts them', () => {
  const ing = buildIngress({ name: 'w', namespace: 'team' }, opts({ defaultBackend: 'd:80', ingressClass: 'nginx', annotations: ['z=1', 'a=x=y', 'a=2'] }));
  assert.deepEqual(Object.keys(ing.spec), ['ingressClassName', 'defaultBackend']);
  assert.deepEqual(ing.metadata, { name: 'w', namespace: 'team', annotations: { a: '2', z: '1' } });
});

test('validation: kubectl messages, in its order', () => {
  assert.throws(() => validateIngress(opts({})), /^Error: not enough information provided: every ingress has to either specify a default-backend/);
  assert.throws(() => validateIngress(opts({ rules: ['foo'] })), { message: 'rule foo is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]' });
  assert.throws(() => validateIngress(opts({ rules: ['a/b=c:d'], annotations: ['k'] })), { message: 'annotation k is invalid and should be in format key=[value]' });
  assert.throws(() => validateIngress(opts({ defaultBackend: 'a:b:c' })), { message: 'default-backend should be in format servicename:serviceport' });
  // Only a prefix of the rule is checked.
  assert.doesNotThrow(() => validateIngress(opts({ rules: ['a/b=c:d,anything after'] })));
});
