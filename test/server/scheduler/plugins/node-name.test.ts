import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, newCycleState, newStatus } from '../../../../server/scheduler/framework.js';
import { ERR_REASON_NODE_NAME, fitsNodeName, newNodeNamePlugin } from '../../../../server/scheduler/plugins/node-name.js';
import { makeNode, makePod, nodeInfoOf } from '../fixtures.js';

describe('NodeName', () => {
  // Cases of upstream nodename/node_name_test.go.
  const cases: Array<[name: string, podNodeName: string | undefined, nodeName: string, fits: boolean]> = [
    ['no host specified', undefined, 'foo', true],
    ['empty host', '', 'foo', true],
    ['host matches', 'foo', 'foo', true],
    ['host does not match', 'bar', 'foo', false],
  ];
  const plugin = newNodeNamePlugin();
  for (const [name, podNodeName, nodeName, fits] of cases) {
    it(name, () => {
      const pod = makePod({ nodeName: podNodeName });
      const node = makeNode({ name: nodeName });
      assert.equal(fitsNodeName(pod, node), fits);
      const want = fits ? null : newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_NAME);
      assert.deepEqual(plugin.filter(newCycleState(), pod, nodeInfoOf(node)), want);
    });
  }

  it('is named NodeName', () => assert.equal(plugin.name, 'NodeName'));
});
