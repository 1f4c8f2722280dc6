import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Discovery, resourcePath, type ApiResource } from '../../../cli/kube/discovery.js';

const r = (group: string, resource: string, singular: string, kind: string, shortNames: string[] = [], categories: string[] = [], namespaced = true): ApiResource => ({
  group, version: 'v1', resource, singular, kind, namespaced, shortNames, categories, verbs: ['get', 'list'],
});
const discovery = new Discovery([
  r('', 'pods', 'pod', 'Pod', ['po'], ['all']),
  r('', 'events', 'event', 'Event', ['ev']),
  r('', 'nodes', 'node', 'Node', ['no'], [], false),
  r('apps', 'deployments', 'deployment', 'Deployment', ['deploy'], ['all']),
  r('events.k8s.io', 'events', 'event', 'Event', ['ev']),
]);

test('plural, singular, short name, kind and resource.group resolve as kubectl does', () => {
  for (const arg of ['pods', 'pod', 'po', 'Pod', 'PODS']) assert.equal(discovery.resolve(arg)[0]!.resource, 'pods', arg);
  assert.equal(discovery.resolve('deploy')[0]!.group, 'apps');
  assert.equal(discovery.resolve('deployments.apps')[0]!.group, 'apps');
  assert.equal(discovery.resolve('deployment.v1.apps')[0]!.group, 'apps');
  // The core group comes first in discovery, so it wins an ambiguous name.
  assert.equal(discovery.resolve('events')[0]!.group, '');
  assert.equal(discovery.resolve('events.events.k8s.io')[0]!.group, 'events.k8s.io');
});

test('a category expands to its members in discovery order; unknown names are kubectl’s error', () => {
  assert.deepEqual(discovery.resolve('all').map((x) => x.resource), ['pods', 'deployments']);
  assert.throws(() => discovery.resolve('foo'), { message: 'the server doesn\'t have a resource type "foo"' });
});

test('paths name the namespace only for namespaced resources', () => {
  assert.equal(resourcePath(discovery.resolve('deploy')[0]!, 'team', 'web'), '/apis/apps/v1/namespaces/team/deployments/web');
  assert.equal(resourcePath(discovery.resolve('no')[0]!, 'team'), '/api/v1/nodes');
  assert.equal(resourcePath(discovery.resolve('po')[0]!, undefined), '/api/v1/pods');
});
