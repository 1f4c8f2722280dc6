import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Code, EMPTY_HANDLE, newCycleState, newStatus, type Handle, type NodeInfo, type NodeScore } from '../../../../server/scheduler/framework.js';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  newPodTopologySpreadPlugin,
} from '../../../../server/scheduler/plugins/pod-topology-spread.js';
import { SchedulerCache } from '../../../../server/scheduler/cache.js';
import { makeNode, makePod, nodeInfoOf } from '../fixtures.js';

function labelled(name: string, labels: Record<string, string>, nodeName?: string): Pod {
  const p = makePod({ name, nodeName });
  p.metadata!.labels = labels;
  return p;
}

function zoneNode(name: string, zone?: string): ReturnType<typeof makeNode> {
  return makeNode({ name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { zone } : {}) }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } });
}

function spreadPod(maxSkew: number, topologyKey: string, extra: Record<string, unknown> = {}): Pod {
  const p = labelled('incoming', { foo: '' });
  p.spec!.topologySpreadConstraints = [{ maxSkew, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }, ...extra }];
  return p;
}

describe('PodTopologySpread Filter', () => {
  // Cases after upstream podtopologyspread/filtering_test.go (TestSingleConstraint).
  const nodes = [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2'), zoneNode('node-y', 'zone2')];
  const infos = (placement: Record<string, number>): NodeInfo[] =>
    nodes.map((n) => nodeInfoOf(n, Array.from({ length: placement[n.metadata!.name!] ?? 0 }, (_, i) => labelled(`p-${n.metadata!.name}-${i}`, { foo: '' }, n.metadata!.name))));
  const cases: Array<[name: string, pod: Pod, placement: Record<string, number>, want: Record<string, string | null>]> = [
    ['no existing pods: every node fits', spreadPod(1, 'zone'), {}, { 'node-a': null, 'node-b': null, 'node-x': null, 'node-y': null }],
    ['zone1 has 3, zone2 has 1: zone1 exceeds maxSkew 1', spreadPod(1, 'zone'), { 'node-a': 2, 'node-b': 1, 'node-x': 1 }, { 'node-a': 'skew', 'node-b': 'skew', 'node-x': null, 'node-y': null }],
    ['hostname maxSkew 1 with 1/0/0/0', spreadPod(1, 'kubernetes.io/hostname'), { 'node-a': 1 }, { 'node-a': 'skew', 'node-b': null, 'node-x': null, 'node-y': null }],
    ['hostname maxSkew 2 with 1/0/0/0', spreadPod(2, 'kubernetes.io/hostname'), { 'node-a': 1 }, { 'node-a': null, 'node-b': null, 'node-x': null, 'node-y': null }],
    ['minDomains above the domain count makes the minimum 0', spreadPod(1, 'zone', { minDomains: 3 }), { 'node-a': 1, 'node-x': 1 }, { 'node-a': 'skew', 'node-b': 'skew', 'node-x': 'skew', 'node-y': 'skew' }],
  ];
  for (const [name, pod, placement, want] of cases) {
    it(name, () => {
      const plugin = newPodTopologySpreadPlugin();
      const state = newCycleState();
      const all = infos(placement);
      assert.equal(plugin.preFilter(state, pod, all).status, null);
      const got = Object.fromEntries(all.map((ni) => [ni.node.metadata!.name!, plugin.filter(state, pod, ni) ? 'skew' : null]));
      assert.deepEqual(got, want);
    });
  }

  it('rejects a node without the topology key as unresolvable', () => {
    const plugin = newPodTopologySpreadPlugin();
    const state = newCycleState();
    const all = [nodeInfoOf(zoneNode('node-a', 'zone1')), nodeInfoOf(zoneNode('node-n'))];
    const pod = spreadPod(1, 'zone');
    plugin.preFilter(state, pod, all);
    assert.deepEqual(plugin.filter(state, pod, all[1]!), newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_LABEL_NOT_MATCH));
    assert.equal(plugin.filter(state, pod, all[0]!), null);
  });

  it('reports the skew reason as Unschedulable', () => {
    const plugin = newPodTopologySpreadPlugin();
    const state = newCycleState();
    const all = [nodeInfoOf(zoneNode('node-a'), [labelled('x', { foo: '' }, 'node-a')]), nodeInfoOf(zoneNode('node-b'))];
    const pod = spreadPod(1, 'kubernetes.io/hostname');
    plugin.preFilter(state, pod, all);
    assert.deepEqual(plugin.filter(state, pod, all[0]!), newStatus(Code.Unschedulable, ERR_REASON_CONSTRAINTS_NOT_MATCH));
  });

  it('counts kept across cycles follow pods placed, removed and relabelled in the scheduler cache', () => {
    const cache = new SchedulerCache();
    for (const name of ['node-a', 'node-b']) cache.addNode(zoneNode(name));
    const kept = newPodTopologySpreadPlugin();
    const pod = spreadPod(1, 'kubernetes.io/hostname');
    const verdicts = (plugin: ReturnType<typeof newPodTopologySpreadPlugin>) => {
      const state = newCycleState();
      plugin.preFilter(state, pod, cache.nodeInfos());
      return cache.nodeInfos().map((ni) => (plugin.filter(state, pod, ni) ? 'skew' : 'fits'));
    };
    const bound = (name: string, node: string, labels: Record<string, string> = { foo: '' }) => ({ ...labelled(name, labels, node), metadata: { name, namespace: 'default', uid: name, labels } });
    const steps: Array<[string, () => void, string[]]> = [
      ['one on a', () => cache.addPod(bound('p1', 'node-a')), ['skew', 'fits']],
      ['a second on a', () => cache.addPod(bound('p2', 'node-a')), ['skew', 'fits']],
      ['one on b', () => cache.addPod(bound('p3', 'node-b')), ['skew', 'fits']],
      ['one leaves a', () => cache.removePod(bound('p1', 'node-a')), ['fits', 'fits']],
      ['one that does not match on b', () => cache.addPod(bound('p4', 'node-b', { other: '' })), ['fits', 'fits']],
      ['it is relabelled to match', () => cache.updatePod(bound('p4', 'node-b')), ['fits', 'skew']],
    ];
    kept.preFilter(newCycleState(), pod, cache.nodeInfos());
    for (const [step, change, want] of steps) {
      change();
      assert.deepEqual(verdicts(kept), want, step);
      assert.deepEqual(verdicts(newPodTopologySpreadPlugin()), want, step);
    }
  });

  it('a selector with an equality counts the pods carrying its label as the cache places, relabels and removes them, many on a node or none', () => {
    const cache = new SchedulerCache();
    for (const name of ['node-a', 'node-b']) cache.addNode(zoneNode(name));
    const pod = labelled('incoming', { app: 'web' });
    pod.spec!.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
    const verdicts = (plugin: ReturnType<typeof newPodTopologySpreadPlugin>) => {
      const state = newCycleState();
      plugin.preFilter(state, pod, cache.nodeInfos());
      return cache.nodeInfos().map((ni) => (plugin.filter(state, pod, ni) ? 'skew' : 'fits'));
    };
    const bound = (name: string, node: string, labels: Record<string, string>, extra: { namespace?: string; deletionTimestamp?: string } = {}) =>
      ({ ...labelled(name, labels, node), metadata: { name, namespace: extra.namespace ?? 'default', uid: name, labels, ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}) } });
    const place = (node: string, from: number, n: number) => { for (let i = from; i < from + n; i++) cache.addPod(bound(`${node}-${i}`, node, { app: 'web' })); };
    const remove = (node: string, from: number, n: number) => { for (let i = from; i < from + n; i++) cache.removePod(bound(`${node}-${i}`, node, { app: 'web' })); };
    const kept = newPodTopologySpreadPlugin();
    const steps: Array<[string, () => void, string[]]> = [
      ['one on a', () => cache.addPod(bound('p1', 'node-a', { app: 'web' })), ['skew', 'fits']],
      ['one of another namespace on b', () => cache.addPod(bound('p2', 'node-b', { app: 'web' }, { namespace: 'other' })), ['skew', 'fits']],
      ['a terminating one on b', () => cache.addPod(bound('p3', 'node-b', { app: 'web' }, { deletionTimestamp: '2026-01-01T00:00:00Z' })), ['skew', 'fits']],
      ['one on b', () => cache.addPod(bound('p4', 'node-b', { app: 'web', tier: 'x' })), ['fits', 'fits']],
      ['the one on a relabelled away', () => cache.updatePod(bound('p1', 'node-a', { app: 'api' })), ['fits', 'skew']],
      ['the one on b leaves', () => cache.removePod(bound('p4', 'node-b', { app: 'web', tier: 'x' })), ['fits', 'fits']],
      ['the one on a relabelled back', () => cache.updatePod(bound('p1', 'node-a', { app: 'web' })), ['skew', 'fits']],
      // Nodes with many carriers (counts kept and extended) and with none at all (no count kept).
      ['nine more on a', () => place('node-a', 0, 9), ['skew', 'fits']],
      ['ten on b', () => place('node-b', 0, 10), ['fits', 'fits']],
      ['one more on b', () => place('node-b', 10, 1), ['fits', 'skew']],
      ['three leave b', () => remove('node-b', 0, 3), ['skew', 'fits']],
      ['three come back to b', () => place('node-b', 0, 3), ['fits', 'skew']],
      ['every carrier leaves b', () => {
        remove('node-b', 0, 11);
        for (const name of ['p2', 'p3']) cache.removePod(bound(name, 'node-b', { app: 'web' }));
      }, ['skew', 'fits']],
      ['two come back to b', () => place('node-b', 0, 2), ['skew', 'fits']],
    ];
    kept.preFilter(newCycleState(), pod, cache.nodeInfos());
    for (const [step, change, want] of steps) {
      change();
      assert.deepEqual(verdicts(kept), want, step);
      assert.deepEqual(verdicts(newPodTopologySpreadPlugin()), want, step);
    }
  });

  it('skips pods without DoNotSchedule constraints', () => {
    const { status } = newPodTopologySpreadPlugin().preFilter(newCycleState(), makePod(), [nodeInfoOf(zoneNode('a'))]);
    assert.equal(status?.code, Code.Skip);
  });
});

describe('PodTopologySpread Score', () => {
  const handle: Handle = { ...EMPTY_HANDLE, defaultSelector: () => ({ matchLabels: { app: 'web' } }) };
  const score = (plugin: ReturnType<typeof newPodTopologySpreadPlugin>, pod: Pod, all: NodeInfo[]): NodeScore[] => {
    const state = newCycleState();
    assert.equal(plugin.preScore(state, pod, all, all), null);
    const scores = all.map((ni) => ({ name: ni.node.metadata!.name!, score: plugin.score(state, pod, ni) }));
    plugin.normalizeScore(state, pod, scores);
    return scores;
  };

  it('system defaults prefer the node with fewer replicas of the same workload', () => {
    const plugin = newPodTopologySpreadPlugin(handle);
    const web = (n: string, i: number) => labelled(`w${i}`, { app: 'web' }, n);
    const all = [nodeInfoOf(zoneNode('node-a'), [web('node-a', 0), web('node-a', 1)]), nodeInfoOf(zoneNode('node-b'), [web('node-b', 2)]), nodeInfoOf(zoneNode('node-c'))];
    // raw = count × ln(3 + 2) + (3 − 1): a=5.2→5, b=3.6→4, c=2; normalised 100 × (max + min − s) / max.
    assert.deepEqual(score(plugin, labelled('incoming', { app: 'web' }), all), [
      { name: 'node-a', score: 40 },
      { name: 'node-b', score: 60 },
      { name: 'node-c', score: 100 },
    ]);
  });

  it('skips scoring when nothing selects the pod', () => {
    const status = newPodTopologySpreadPlugin().preScore(newCycleState(), makePod(), [nodeInfoOf(zoneNode('a'))], [nodeInfoOf(zoneNode('a'))]);
    assert.equal(status?.code, Code.Skip);
  });

  it('soft zone constraint ignores nodes without the key', () => {
    const plugin = newPodTopologySpreadPlugin();
    const pod = labelled('incoming', { foo: '' });
    pod.spec!.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { foo: '' } } }];
    const all = [
      nodeInfoOf(zoneNode('node-a', 'zone1'), [labelled('x', { foo: '' }, 'node-a')]),
      nodeInfoOf(zoneNode('node-x', 'zone2')),
      nodeInfoOf(zoneNode('node-n')),
    ];
    assert.deepEqual(score(plugin, pod, all), [
      { name: 'node-a', score: 0 },
      { name: 'node-x', score: 100 },
      { name: 'node-n', score: 0 },
    ]);
  });
});
