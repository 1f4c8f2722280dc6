import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { Code, newCycleState, newStatus, type NodeInfo } from '../../../../server/scheduler/framework.js';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  newInterPodAffinityPlugin,
} from '../../../../server/scheduler/plugins/inter-pod-affinity.js';
import { makeNode, makePod, nodeInfoOf } from '../fixtures.js';

function pod(name: string, labels: Record<string, string>, affinity?: NonNullable<Pod['spec']>['affinity'], nodeName?: string): Pod {
  const p = makePod({ name, affinity, nodeName });
  p.metadata!.labels = labels;
  return p;
}

const term = (labels: Record<string, string>, topologyKey: string): PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey });
const node = (name: string, region: string) => makeNode({ name, labels: { 'kubernetes.io/hostname': name, region } });

function filterAll(p: Pod, all: NodeInfo[]): Record<string, unknown> {
  const plugin = newInterPodAffinityPlugin();
  const state = newCycleState();
  const { status } = plugin.preFilter(state, p, all);
  if (status?.code === Code.Skip) return Object.fromEntries(all.map((ni) => [ni.node.metadata!.name!, null]));
  return Object.fromEntries(all.map((ni) => [ni.node.metadata!.name!, plugin.filter(state, p, ni)]));
}

describe('InterPodAffinity Filter', () => {
  // Cases after upstream interpodaffinity/filtering_test.go.
  const n1 = node('node1', 'r1');
  const n2 = node('node2', 'r1');
  const n3 = node('node3', 'r2');

  it('required affinity: only nodes in the domain of a matching pod fit', () => {
    const existing = pod('db', { app: 'db' }, undefined, 'node1');
    const all = [nodeInfoOf(n1, [existing]), nodeInfoOf(n2), nodeInfoOf(n3)];
    const incoming = pod('web', {}, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, 'region')] } });
    assert.deepEqual(filterAll(incoming, all), {
      node1: null,
      node2: null,
      node3: newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY_RULES_NOT_MATCH),
    });
  });

  it('required affinity to itself lets the first pod go anywhere', () => {
    const all = [nodeInfoOf(n1), nodeInfoOf(n3)];
    const incoming = pod('web', { app: 'web' }, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'region')] } });
    assert.deepEqual(filterAll(incoming, all), { node1: null, node3: null });
  });

  it('required anti-affinity rejects the whole topology domain', () => {
    const all = [nodeInfoOf(n1, [pod('db', { app: 'db' }, undefined, 'node1')]), nodeInfoOf(n2), nodeInfoOf(n3)];
    const incoming = pod('db2', { app: 'db' }, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, 'region')] } });
    const rejected = newStatus(Code.Unschedulable, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    assert.deepEqual(filterAll(incoming, all), { node1: rejected, node2: rejected, node3: null });
  });

  it("existing pods' anti-affinity is symmetric", () => {
    const guard = pod('guard', {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'kubernetes.io/hostname')] } }, 'node1');
    const all = [nodeInfoOf(n1, [guard]), nodeInfoOf(n2)];
    assert.deepEqual(filterAll(pod('web', { app: 'web' }), all), {
      node1: newStatus(Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH),
      node2: null,
    });
  });

  it('terms only see pods of the same namespace by default', () => {
    const other = pod('db', { app: 'db' }, undefined, 'node1');
    other.metadata!.namespace = 'other';
    const all = [nodeInfoOf(n1, [other]), nodeInfoOf(n3)];
    const incoming = pod('db2', { app: 'db' }, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, 'region')] } });
    assert.deepEqual(filterAll(incoming, all), { node1: null, node3: null });
  });
});

describe('InterPodAffinity Score', () => {
  it('preferred affinity and anti-affinity map onto 0..100', () => {
    const plugin = newInterPodAffinityPlugin();
    const all = [nodeInfoOf(node('node1', 'r1'), [pod('cache', { app: 'cache' }, undefined, 'node1')]), nodeInfoOf(node('node2', 'r2'), [pod('noisy', { app: 'noisy' }, undefined, 'node2')]), nodeInfoOf(node('node3', 'r3'))];
    const incoming = pod('web', {}, {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ app: 'cache' }, 'region') }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ app: 'noisy' }, 'region') }] },
    });
    const state = newCycleState();
    assert.equal(plugin.preScore(state, incoming, all, all), null);
    const scores = all.map((ni) => ({ name: ni.node.metadata!.name!, score: plugin.score(state, incoming, ni) }));
    assert.deepEqual(scores.map((s) => s.score), [5, -5, 0]);
    plugin.normalizeScore(state, incoming, scores);
    assert.deepEqual(scores.map((s) => s.score), [100, 0, 50]);
  });

  it('skips pods without affinity when no existing pod has any', () => {
    const all = [nodeInfoOf(node('node1', 'r1'), [pod('x', {}, undefined, 'node1')])];
    assert.equal(newInterPodAffinityPlugin().preScore(newCycleState(), pod('web', {}), all, all)?.code, Code.Skip);
  });
});
