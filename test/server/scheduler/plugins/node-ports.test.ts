import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1.js';
import { Code, newCycleState, newStatus } from '../../../../server/scheduler/framework.js';
import { ERR_REASON_NODE_PORTS, fitsNodePorts, newNodePortsPlugin, podHostPorts } from '../../../../server/scheduler/plugins/node-ports.js';
import { container, makeNode, makePod, nodeInfoOf } from '../fixtures.js';

/** A pod using host ports written as `proto/ip/port`, like upstream's newPod helper. */
function podWithPorts(...specs: string[]): Pod {
  const ports: ContainerPort[] = specs.map((s) => {
    const [protocol, hostIP, port] = s.split('/');
    return { containerPort: Number(port), hostPort: Number(port), protocol, hostIP };
  });
  return makePod({ containers: [container(undefined, { ports })] });
}

describe('NodePorts', () => {
  // Cases of upstream nodeports/node_ports_test.go (TestNodePorts).
  const cases: Array<[name: string, pod: Pod, existing: Pod[], fits: boolean]> = [
    ['nothing running', podWithPorts('UDP/127.0.0.1/8080'), [], true],
    ['other port', podWithPorts('UDP/127.0.0.1/8080'), [podWithPorts('UDP/127.0.0.1/9090')], true],
    ['same udp port', podWithPorts('UDP/127.0.0.1/8080'), [podWithPorts('UDP/127.0.0.1/8080')], false],
    ['same tcp port', podWithPorts('TCP/127.0.0.1/8080'), [podWithPorts('TCP/127.0.0.1/8080')], false],
    ['different host ip', podWithPorts('TCP/127.0.0.1/8080'), [podWithPorts('TCP/127.0.0.2/8080')], true],
    ['different protocol', podWithPorts('UDP/127.0.0.1/8080'), [podWithPorts('TCP/127.0.0.1/8080')], true],
    ['second udp port conflict', podWithPorts('UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'), [podWithPorts('UDP/127.0.0.1/8080')], false],
    ['first tcp port conflict', podWithPorts('TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'), [podWithPorts('TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')], false],
    ['first tcp port conflict due to 0.0.0.0 hostIP', podWithPorts('TCP/0.0.0.0/8001'), [podWithPorts('TCP/127.0.0.1/8001')], false],
    ['TCP hostPort conflict due to 0.0.0.0 hostIP', podWithPorts('TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'), [podWithPorts('TCP/127.0.0.1/8001')], false],
    ['second tcp port conflict to 0.0.0.0 hostIP', podWithPorts('TCP/127.0.0.1/8001'), [podWithPorts('TCP/0.0.0.0/8001')], false],
    ['second different protocol', podWithPorts('UDP/127.0.0.1/8001'), [podWithPorts('TCP/0.0.0.0/8001')], true],
    ['UDP hostPort conflict due to 0.0.0.0 hostIP', podWithPorts('UDP/127.0.0.1/8001'), [podWithPorts('TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')], false],
    ['pod without host ports always fits', makePod(), [podWithPorts('TCP/0.0.0.0/8001')], true],
  ];
  const plugin = newNodePortsPlugin();
  for (const [name, pod, existing, fits] of cases) {
    it(name, () => {
      const info = nodeInfoOf(makeNode(), existing);
      assert.equal(fitsNodePorts(pod, info), fits);
      const want = fits ? null : newStatus(Code.Unschedulable, ERR_REASON_NODE_PORTS);
      assert.deepEqual(plugin.filter(newCycleState(), pod, info), want);
    });
  }

  it('defaults hostIP to 0.0.0.0 and protocol to TCP, skipping ports without hostPort', () => {
    const pod = makePod({ containers: [container(undefined, { ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }] })] });
    assert.deepEqual(podHostPorts(pod), [{ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }]);
  });

  it('counts sidecar (restartable init container) ports', () => {
    const sidecar = makePod({ initContainers: [container(undefined, { restartPolicy: 'Always', ports: [{ containerPort: 1, hostPort: 9000 }] })] });
    assert.deepEqual(podHostPorts(sidecar), [{ ip: '0.0.0.0', protocol: 'TCP', port: 9000 }]);
  });
});
