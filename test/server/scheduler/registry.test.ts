import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_HANDLE } from '../../../server/scheduler/framework.js';
import { DEFAULT_PLUGIN_ORDER, inTreeRegistry, newDefaultProfile } from '../../../server/scheduler/registry.js';

describe('newDefaultProfile', () => {
  const profile = newDefaultProfile();

  it('runs Filter in the upstream default order', () => {
    assert.deepEqual(
      profile.filterPlugins.map((p) => p.name),
      ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity'],
    );
  });

  it('weights Score plugins as upstream', () => {
    assert.deepEqual(
      profile.scorePlugins.map((s) => [s.plugin.name, s.weight]),
      [
        ['TaintToleration', 3],
        ['NodeAffinity', 2],
        ['NodeResourcesFit', 1],
        ['PodTopologySpread', 2],
        ['InterPodAffinity', 2],
        ['NodeResourcesBalancedAllocation', 1],
        ['ImageLocality', 1],
      ],
    );
  });

  it('lists PreFilter and PreScore plugins', () => {
    assert.deepEqual(profile.preFilterPlugins.map((p) => p.name), ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
    assert.deepEqual(profile.preScorePlugins.map((p) => p.name), [
      'TaintToleration',
      'PodTopologySpread',
      'InterPodAffinity',
      'NodeResourcesBalancedAllocation',
      'ImageLocality',
    ]);
    assert.equal(profile.schedulerName, 'default-scheduler');
  });

  it('registers every plugin of the default order under its own name', () => {
    for (const name of DEFAULT_PLUGIN_ORDER) assert.equal(inTreeRegistry.get(name)?.(EMPTY_HANDLE).name, name);
  });
});
