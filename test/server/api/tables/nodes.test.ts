import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function cells(obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: '', plural: 'nodes', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const ready = (status: string) => ({ conditions: [{ type: 'Ready', status }] });

// From upstream TestPrintNodeStatus, TestPrintNodeRole, TestPrintNodeOSImage, TestPrintNodeExternalIP and friends.
describe('node status and roles', () => {
  const cases: Array<[name: string, node: Record<string, unknown>, want: [status: string, roles: string]]> = [
    ['ready', { status: ready('True') }, ['Ready', '<none>']],
    ['ready and cordoned', { spec: { unschedulable: true }, status: ready('True') }, ['Ready,SchedulingDisabled', '<none>']],
    ['duplicate ready conditions', { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'True' }] } }, ['Ready', '<none>']],
    ['not ready', { status: ready('False') }, ['NotReady', '<none>']],
    ['unknown ready condition is NotReady', { status: ready('Unknown') }, ['NotReady', '<none>']],
    ['not ready and cordoned', { spec: { unschedulable: true }, status: ready('False') }, ['NotReady,SchedulingDisabled', '<none>']],
    ['only other conditions', { status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }, ['Unknown', '<none>']],
    ['empty condition', { status: { conditions: [{}] } }, ['Unknown', '<none>']],
    ['unknown and cordoned', { spec: { unschedulable: true }, status: { conditions: [{}] } }, ['Unknown,SchedulingDisabled', '<none>']],
    [
      'roles from both label styles, sorted',
      { metadata: { name: 'n', labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/proxy': '', 'kubernetes.io/role': 'node' } } },
      ['Unknown', 'control-plane,master,node,proxy'],
    ],
    ['kubernetes.io/role only', { metadata: { name: 'n', labels: { 'kubernetes.io/role': 'node' } } }, ['Unknown', 'node']],
    ['empty role names are ignored', { metadata: { name: 'n', labels: { 'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': '' } } }, ['Unknown', '<none>']],
  ];
  for (const [name, node, want] of cases) {
    it(name, () => assert.deepEqual(cells({ metadata: { name: 'n' }, ...node }).slice(1, 3), want));
  }
});

describe('node row', () => {
  it('default and wide cells', () => {
    const node = {
      metadata: { name: 'node1', creationTimestamp: '2024-05-30T12:00:00Z' },
      status: {
        ...ready('True'),
        nodeInfo: { kubeletVersion: 'v1.35.2', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://2.0.0' },
        addresses: [{ type: 'Hostname', address: 'node1' }, { type: 'InternalIP', address: '172.18.0.2' }],
      },
    };
    assert.deepEqual(cells(node), ['node1', 'Ready', '<none>', '2d', 'v1.35.2', '172.18.0.2', '<none>', 'Ubuntu 24.04 LTS', '6.8.0', 'containerd://2.0.0']);
  });

  const wide: Array<[name: string, status: Record<string, unknown>, want: unknown[]]> = [
    ['os image only', { nodeInfo: { osImage: 'fake-os-image' }, addresses: [{ type: 'ExternalIP', address: '1.1.1.1' }] }, ['<none>', '1.1.1.1', 'fake-os-image', '<unknown>', '<unknown>']],
    ['kernel only', { nodeInfo: { kernelVersion: 'fake-kernel-version' }, addresses: [{ type: 'ExternalIP', address: '1.1.1.1' }] }, ['<none>', '1.1.1.1', '<unknown>', 'fake-kernel-version', '<unknown>']],
    ['runtime only', { nodeInfo: { containerRuntimeVersion: 'foo://1.2.3' } }, ['<none>', '<none>', '<unknown>', '<unknown>', 'foo://1.2.3']],
    ['first of each address type', { addresses: [{ type: 'ExternalIP', address: '2.2.2.2' }, { type: 'InternalIP', address: '3.3.3.3' }, { type: 'ExternalIP', address: '4.4.4.4' }] }, ['3.3.3.3', '2.2.2.2', '<unknown>', '<unknown>', '<unknown>']],
  ];
  for (const [name, status, want] of wide) {
    it(name, () => assert.deepEqual(cells({ metadata: { name: 'foo' }, status }).slice(5), want));
  }

  it('prints an empty version when the kubelet has not reported', () => {
    assert.deepEqual(cells({ metadata: { name: '127.0.0.1' } }).slice(0, 5), ['127.0.0.1', 'Unknown', '<none>', '<unknown>', '']);
  });
});
