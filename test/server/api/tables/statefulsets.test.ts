import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintStatefulSet.
describe('statefulset cells', () => {
  it('ready/desired, age and wide containers', () => {
    const sts = {
      metadata: { name: 'test1', creationTimestamp: soon },
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'fake-container1', image: 'fake-image1' }, { name: 'fake-container2', image: 'fake-image2' }] } } },
      status: { replicas: 5, readyReplicas: 2 },
    };
    const table = toTable([sts as KubeObject], { group: 'apps', plural: 'statefulsets', includeObject: 'None', now: NOW });
    assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, ['test1', '2/5', '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2']);
  });
});
