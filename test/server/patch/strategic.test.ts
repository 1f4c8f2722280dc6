// Expected results were produced by kubectl v1.35.2 itself (`kubectl patch --local --type
// strategic -o json`), which runs the same apimachinery code as the apiserver.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergePatch } from '../../../server/patch/merge-patch.js';
import { childDefinition, fieldMeta } from '../../../server/patch/patch-meta.js';
import { StrategicMergePatchError, strategicMergePatch } from '../../../server/patch/strategic.js';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const POD = 'io.k8s.api.core.v1.Pod';
const CORE = 'io.k8s.api.core.v1.';

type Obj = Record<string, any>;

/** A realistic Deployment as the daemon stores it, freshly built for each test. */
function deployment(): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: 'web', namespace: 'default', uid: '4f1c1c6e-0000-4000-8000-000000000001', resourceVersion: '42', generation: 3,
      finalizers: ['a.example.com/f1', 'b.example.com/f2'],
      labels: { app: 'web', 'remove-me': 'yes' },
      annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'a', image: 'busybox:1', args: ['x', 'y'],
              env: [{ name: 'E1', value: 'one' }, { name: 'E2', value: 'two' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'TCP' }],
              resources: {}, terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent',
            },
            { name: 'b', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { observedGeneration: 3, replicas: 2 },
  };
}

/** A Pod with one app container carrying three env vars, a sidecar and three finalizers. */
function pod(): Obj {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['f1', 'f2', 'f3'] },
    spec: { containers: [{ name: 'a', env: [{ name: 'E1', value: '1' }, { name: 'E2', value: '2' }, { name: 'E3', value: '3' }] }, { name: 'sidecar', image: 's' }] },
  };
}

function patchDeployment(patch: unknown, original: Obj = deployment()): Obj {
  return strategicMergePatch(original, patch, DEPLOYMENT) as Obj;
}

function patchPod(patch: unknown, original: Obj = pod()): Obj {
  return strategicMergePatch(original, patch, POD) as Obj;
}

const names = (list: Obj[]): string[] => list.map((c) => c.name);

/** Asserts that applying `patch` fails with exactly `message` (and `code` when given). */
function assertFails(run: () => unknown, message: string, code?: number): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof StrategicMergePatchError);
    assert.equal(err.message, message);
    if (code !== undefined) assert.equal(err.code, code);
    return true;
  });
}

describe('strategicMergePatch: kubectl-wire §13.1 client-side apply example', () => {
  test('applies every directive of the example to a realistic Deployment', () => {
    const patch = {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['b.example.com/f2'], '$setElementOrder/finalizers': ['a.example.com/f1'],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '…' }, labels: { 'remove-me': null } },
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }], volumes: null,
            containers: [
              {
                '$setElementOrder/env': [{ name: 'E2' }, { name: 'E1' }], '$setElementOrder/ports': [{ containerPort: 80 }],
                args: ['x', 'z'], image: 'busybox:2', name: 'a', ports: [{ $patch: 'delete', containerPort: 81 }],
              },
              { $patch: 'delete', name: 'b' },
            ],
          },
        },
      },
    };
    const expected = deployment();
    expected.metadata.finalizers = ['a.example.com/f1'];
    expected.metadata.labels = { app: 'web' };
    expected.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '…';
    expected.spec.strategy = { type: 'Recreate' };
    expected.spec.template.spec.containers = [{
      name: 'a', image: 'busybox:2', args: ['x', 'z'],
      env: [{ name: 'E2', value: 'two' }, { name: 'E1', value: 'one' }],
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: {}, terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent',
    }];
    delete expected.spec.template.spec.volumes;
    const result = patchDeployment(patch);
    assert.deepEqual(result, expected);
    assert.doesNotMatch(JSON.stringify(result), /\$(patch|retainKeys|setElementOrder|deleteFromPrimitiveList)/);
  });
});

describe('strategicMergePatch: the other patches kubectl sends', () => {
  test('set image updates one container and keeps the others in place', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }], containers: [{ image: 'nginx:1.28', name: 'b' }] } } } };
    const expected = deployment();
    expected.spec.template.spec.containers[1].image = 'nginx:1.28';
    assert.deepEqual(patchDeployment(patch), expected);
  });

  test('cordon sets spec.unschedulable and uncordon removes it', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24' } };
    const cordoned = strategicMergePatch(node, { spec: { unschedulable: true } }, `${CORE}Node`) as Obj;
    assert.deepEqual(cordoned.spec, { podCIDR: '10.244.1.0/24', unschedulable: true });
    assert.deepEqual(strategicMergePatch(cordoned, { spec: { unschedulable: null } }, `${CORE}Node`), node);
  });

  test('pause sets spec.paused and resume removes it', () => {
    const paused = patchDeployment({ spec: { paused: true } });
    assert.equal(paused.spec.paused, true);
    assert.deepEqual(patchDeployment({ spec: { paused: null } }, paused), deployment());
  });

  test('rollout restart adds the restartedAt annotation to the pod template', () => {
    const at = '2025-01-02T03:04:05Z';
    const result = patchDeployment({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });
    assert.deepEqual(result.spec.template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': at } });
    assert.deepEqual(result.spec.template.spec, deployment().spec.template.spec);
  });

  test('kubectl taint replaces the atomic taints list whole', () => {
    const node = { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] } };
    const result = strategicMergePatch(node, { spec: { taints: [{ key: 'c', value: 'v', effect: 'NoSchedule' }] } }, `${CORE}Node`) as Obj;
    assert.deepEqual(result.spec.taints, [{ key: 'c', value: 'v', effect: 'NoSchedule' }]);
  });
});

describe('strategicMergePatch: lists merged by key', () => {
  test('containers merge by name: the patched one changes, the others stay', () => {
    assert.deepEqual(patchPod({ spec: { containers: [{ name: 'sidecar', image: 's:2' }] } }).spec.containers, [pod().spec.containers[0], { name: 'sidecar', image: 's:2' }]);
  });

  test('a new element goes before the server-only ones, as upstream orders it', () => {
    assert.deepEqual(names(patchPod({ spec: { containers: [{ name: 'c', image: 'n' }] } }).spec.containers), ['c', 'a', 'sidecar']);
  });

  test('$setElementOrder/env reorders env; an unlisted element keeps its place relative to the listed', () => {
    const reordered = patchPod({ spec: { containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'E3' }, { name: 'E1' }] }] } });
    assert.deepEqual(reordered.spec.containers[0].env, [{ name: 'E2', value: '2' }, { name: 'E3', value: '3' }, { name: 'E1', value: '1' }]);
    const order = [{ name: 'E1' }, { name: 'E0' }, { name: 'E2' }, { name: 'E3' }];
    const inserted = patchPod({ spec: { containers: [{ name: 'a', env: [{ name: 'E0', value: '0' }], '$setElementOrder/env': order }] } });
    assert.deepEqual(inserted.spec.containers[0].env.map((e: Obj) => e.name), ['E1', 'E0', 'E2', 'E3']);
  });

  test('null inside a merged element deletes that field only', () => {
    const env = patchPod({ spec: { containers: [{ name: 'a', env: [{ name: 'E2', value: null }] }] } }).spec.containers[0].env;
    assert.deepEqual(env, [{ name: 'E1', value: '1' }, { name: 'E2' }, { name: 'E3', value: '3' }]);
  });

  test('$patch: delete removes a port by containerPort', () => {
    const result = patchDeployment({ spec: { template: { spec: { containers: [{ name: 'a', ports: [{ $patch: 'delete', containerPort: 81 }] }] } } } });
    assert.deepEqual(result.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  });

  test('service ports merge by port', () => {
    const svc = { metadata: { name: 's' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443 }] } };
    const result = strategicMergePatch(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] } }, `${CORE}Service`) as Obj;
    assert.deepEqual(result.spec.ports, [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }]);
  });

  test('{"$patch":"replace"} as an element replaces the whole list', () => {
    const result = patchPod({ spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
    assert.deepEqual(result.spec.containers, [{ name: 'only', image: 'x' }]);
    assert.deepEqual(patchPod({ spec: { containers: [{ $patch: 'replace' }] } }).spec.containers, []);
  });

  test('$retainKeys inside a volume switches its source', () => {
    const result = patchDeployment({ spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'secret'], secret: { secretName: 's' } }] } } } });
    assert.deepEqual(result.spec.template.spec.volumes, [{ name: 'data', secret: { secretName: 's' } }]);
  });

  test('removing one element and adding another keeps server-only elements where upstream puts them', () => {
    // Upstream deletes in place in a shared Go slice, so the order it reads back for `x` is shifted.
    const original = { spec: { containers: ['a', 'b', 'x', 'c'].map((name) => ({ name })) } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'd' }, { name: 'c' }], containers: [{ name: 'd', image: 'n' }, { $patch: 'delete', name: 'b' }] } };
    assert.deepEqual(names(patchPod(patch, original).spec.containers), ['a', 'x', 'd', 'c']);
  });

  test('an element without its merge key is rejected', () => {
    assertFails(() => patchPod({ spec: { containers: [{ image: 'q' }] } }), 'map: map[image:q] does not contain declared merge key: name', 500);
  });

  test('$patch: merge and unknown $patch values in a list are rejected with upstream wording', () => {
    assertFails(() => patchPod({ spec: { containers: [{ $patch: 'merge', name: 'a' }] } }), 'merging lists cannot yet be specified in the patch');
    assertFails(() => patchPod({ spec: { containers: [{ $patch: 'x', name: 'a' }] } }), 'unknown patch type: x in map: map[$patch:x name:a]');
  });

  test('an element order that contradicts the patch list is rejected', () => {
    assertFails(
      () => patchPod({ spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'c' }] } }),
      'The order in patch list:\n[map[name:b] map[name:c]]\n doesn\'t match $setElementOrder list:\n[map[name:c] map[name:b]]\n',
    );
  });
});

describe('strategicMergePatch: lists of scalars', () => {
  test('finalizers merge as a set, new values first', () => {
    assert.deepEqual(patchPod({ metadata: { finalizers: ['f4', 'f1'] } }).metadata.finalizers, ['f4', 'f1', 'f2', 'f3']);
  });

  test('$deleteFromPrimitiveList/finalizers removes values and adds nothing where the list is absent', () => {
    assert.deepEqual(patchPod({ metadata: { '$deleteFromPrimitiveList/finalizers': ['f2', 'zz'] } }).metadata.finalizers, ['f1', 'f3']);
    assert.deepEqual(patchPod({ metadata: { '$deleteFromPrimitiveList/finalizers': ['f2'] } }, { metadata: {} }), { metadata: {} });
  });

  test('$setElementOrder/finalizers orders a primitive list, unlisted values kept relative to the listed', () => {
    assert.deepEqual(patchPod({ metadata: { '$setElementOrder/finalizers': ['f3', 'f1'] } }).metadata.finalizers, ['f2', 'f3', 'f1']);
    assert.deepEqual(patchPod({ metadata: { '$setElementOrder/finalizers': ['f3', 'f4', 'f1'], finalizers: ['f4'] } }).metadata.finalizers, ['f2', 'f3', 'f4', 'f1']);
  });

  test('atomic lists such as args are replaced', () => {
    assert.deepEqual(patchDeployment({ spec: { template: { spec: { containers: [{ name: 'a', args: ['z'] }] } } } }).spec.template.spec.containers[0].args, ['z']);
  });

  test('mixed element types are rejected like upstream', () => {
    assertFails(() => patchPod({ metadata: { finalizers: [1] } }), 'list element types are not identical: [[f1 f2 f3] [1]]');
    assertFails(() => patchPod({ metadata: { finalizers: [['x']] } }, { metadata: { finalizers: [] } }), 'lists of lists are not supported', 422);
  });
});

describe('strategicMergePatch: maps and map directives', () => {
  test('null deletes a map key; other keys are merged', () => {
    assert.deepEqual(patchDeployment({ metadata: { labels: { 'remove-me': null, tier: 'fe' } } }).metadata.labels, { app: 'web', tier: 'fe' });
  });

  test('$patch: replace on a map replaces it whole', () => {
    assert.deepEqual(patchDeployment({ metadata: { labels: { $patch: 'replace', only: 'this' } } }).metadata.labels, { only: 'this' });
  });

  test('$patch: delete on a map empties it', () => assert.deepEqual(patchDeployment({ spec: { selector: { $patch: 'delete' } } }).spec.selector, {}));

  test('$patch: merge or an unknown value on a map is rejected', () => {
    assertFails(() => patchDeployment({ spec: { selector: { $patch: 'merge', x: 1 } } }), 'unknown patch type: merge in map: map[$patch:merge x:1]');
    assertFails(() => patchDeployment({ spec: { $patch: 'x' } }), 'unknown patch type: x in map: map[$patch:x]');
  });

  test('$retainKeys switches strategy from RollingUpdate to Recreate', () => {
    assert.deepEqual(patchDeployment({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }).spec.strategy, { type: 'Recreate' });
  });

  test('$retainKeys must list every key the patch sets and must be a list', () => {
    assertFails(() => patchDeployment({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }), 'invalid patch format of retainKeys', 400);
    assertFails(() => patchDeployment({ spec: { strategy: { $retainKeys: 'type' } } }), 'invalid patch format of retainKeys', 400);
  });

  test('the PodDisruptionBudget selector (patchStrategy replace) is replaced, not merged', () => {
    const pdb = { spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    const selector = { matchExpressions: [{ key: 'k', operator: 'Exists' }] };
    assert.deepEqual((strategicMergePatch(pdb, { spec: { selector } }, 'io.k8s.api.policy.v1.PodDisruptionBudget') as Obj).spec.selector, selector);
  });

  test('tolerations are replaced atomically (no merge key upstream)', () => {
    const original = deployment();
    original.spec.template.spec.tolerations = [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }];
    const patch = { spec: { template: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } } } };
    assert.deepEqual(patchDeployment(patch, original).spec.template.spec.tolerations, [{ key: 'c', operator: 'Exists' }]);
  });
});

describe('strategicMergePatch: directives never leak and inputs stay untouched', () => {
  test('a new field keeps no nulls, directive keys or $patch maps', () => {
    const affinity = { nodeAffinity: { $patch: 'delete' }, podAffinity: { '$setElementOrder/x': [], keep: 1, gone: null } };
    assert.deepEqual(patchDeployment({ spec: { template: { spec: { affinity } } } }).spec.template.spec.affinity, { podAffinity: { keep: 1 } });
  });

  test('a new list element loses nulls and directive keys', () => {
    const result = patchPod({ spec: { containers: [{ name: 'c', image: null, ports: [{ containerPort: 1, $patch: 'replace' }], '$setElementOrder/env': [] }] } });
    assert.deepEqual(result.spec.containers[0], { name: 'c', ports: [{ containerPort: 1 }] });
  });

  test('never mutates the original or the patch', () => {
    const original = deepFreeze(deployment());
    const patch = deepFreeze({ metadata: { labels: { 'remove-me': null } }, spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { $patch: 'delete', name: 'b' }] } } } });
    assert.deepEqual(names(patchDeployment(patch, original).spec.template.spec.containers), ['a']);
    assert.deepEqual(original, deployment());
  });

  test('malformed directives are rejected, format errors as 400s', () => {
    assertFails(() => patchPod({ metadata: { '$setElementOrder/finalizers': 'x' } }), 'expected a []interface {}, but received a string');
    assertFails(() => patchPod({ metadata: { $deleteFromPrimitiveList: ['x'] } }), 'invalid patch format of primitive list', 400);
    assertFails(() => patchPod({ metadata: { $setElementOrder: ['x'] } }), 'invalid patch format of setElementOrder list', 400);
  });

  test('a body that is not a JSON object is rejected like Go decoding it into a map', () => {
    assertFails(() => patchPod([1]), 'json: cannot unmarshal array into Go value of type map[string]interface {}', 400);
    assert.deepEqual(patchPod(null), pod());
  });
});

describe('strategicMergePatch: kinds without patch metadata', () => {
  test('an unknown definition (CRD) gets JSON merge patch semantics', () => {
    const original = { apiVersion: 'x.io/v1', kind: 'Widget', spec: { list: [1, 2], nested: { a: 1, b: 2 }, gone: 'x' } };
    const patch = { spec: { list: [3], nested: { b: null, c: 3 }, gone: null } };
    const expected = mergePatch(original, patch);
    assert.deepEqual(strategicMergePatch(original, patch, 'com.example.v1.Widget'), expected);
    assert.deepEqual(strategicMergePatch(original, patch, undefined), expected);
    assert.deepEqual(expected, { apiVersion: 'x.io/v1', kind: 'Widget', spec: { list: [3], nested: { a: 1, c: 3 } } });
  });
});

// Merge keys kubectl v1.35.2 revealed by `patch --local` for every list it merges (see patch-meta-table.ts).
const KUBECTL_MERGE_LISTS = `
  core.v1.PodSpec: containers=name initContainers=name ephemeralContainers=name volumes=name imagePullSecrets=name
  core.v1.PodSpec: hostAliases=ip topologySpreadConstraints=topologyKey resourceClaims=name schedulingGates=name
  core.v1.Container: env=name ports=containerPort volumeMounts=mountPath volumeDevices=devicePath
  core.v1.EphemeralContainer: env=name ports=containerPort volumeMounts=mountPath volumeDevices=devicePath
  core.v1.PodStatus: podIPs=ip hostIPs=ip resourceClaimStatuses=name
  core.v1.NodeSpec: podCIDRs=
  core.v1.NodeStatus: addresses=type
  core.v1.ServiceSpec: ports=port
  core.v1.ServiceAccount: secrets=name
  storage.v1.CSINodeSpec: drivers=name
  apimachinery.pkg.apis.meta.v1.ObjectMeta: finalizers= ownerReferences=uid
  admissionregistration.v1.ValidatingAdmissionPolicySpec: variables=name matchConditions=name
  admissionregistration.v1.MutatingWebhookConfiguration: webhooks=name
  admissionregistration.v1.ValidatingWebhookConfiguration: webhooks=name
  admissionregistration.v1.MutatingWebhook: matchConditions=name
  admissionregistration.v1.ValidatingWebhook: matchConditions=name
${['core.v1.PodStatus', 'core.v1.NodeStatus', 'core.v1.ServiceStatus', 'core.v1.NamespaceStatus', 'core.v1.PersistentVolumeClaimStatus',
  'core.v1.ReplicationControllerStatus', 'core.v1.ComponentStatus', 'apps.v1.DeploymentStatus', 'apps.v1.ReplicaSetStatus',
  'apps.v1.StatefulSetStatus', 'apps.v1.DaemonSetStatus', 'batch.v1.JobStatus', 'policy.v1.PodDisruptionBudgetStatus',
  'autoscaling.v2.HorizontalPodAutoscalerStatus', 'flowcontrol.v1.FlowSchemaStatus'].map((d) => `${d}: conditions=type`).join('\n')}
`;

describe('patch metadata', () => {
  test('agrees with the merge lists compiled into kubectl v1.35.2', () => {
    for (const [, def, fields] of KUBECTL_MERGE_LISTS.matchAll(/^\s*(\S+): (.+)$/gm)) {
      const definition = `io.k8s.${def!.startsWith('apimachinery') ? '' : 'api.'}${def}`;
      for (const [field, key] of fields!.split(' ').map((f) => f.split('='))) {
        const meta = fieldMeta(definition, field!);
        assert.match(meta.patchStrategy ?? '', /^merge/, `${def}.${field}`);
        assert.equal(meta.patchMergeKey, key || undefined, `${def}.${field}`);
      }
    }
  });

  test('fieldMeta reports SMP strategies and SSA list types', () => {
    assert.deepEqual(fieldMeta(`${CORE}PodSpec`, 'containers'), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] });
    assert.deepEqual(fieldMeta(`${CORE}Container`, 'ports').listMapKeys, ['containerPort', 'protocol']);
    assert.deepEqual(fieldMeta(`${CORE}ServiceSpec`, 'ports').listMapKeys, ['port', 'protocol']);
    assert.deepEqual(fieldMeta(`${CORE}PodSpec`, 'topologySpreadConstraints').listMapKeys, ['topologyKey', 'whenUnsatisfiable']);
    assert.deepEqual(fieldMeta(`${CORE}PodSpec`, 'tolerations'), { listType: 'atomic' });
    assert.deepEqual(fieldMeta(`${CORE}Container`, 'envFrom'), { listType: 'atomic' });
    assert.equal(fieldMeta(`${CORE}PodSpec`, 'volumes').patchStrategy, 'merge,retainKeys');
    assert.deepEqual(fieldMeta('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers'), { patchStrategy: 'merge', listType: 'set' });
    assert.deepEqual(fieldMeta('io.k8s.api.apps.v1.DeploymentSpec', 'strategy'), { patchStrategy: 'retainKeys' });
    assert.deepEqual(fieldMeta('io.k8s.api.apps.v1.DaemonSetSpec', 'updateStrategy'), {});
    assert.equal(fieldMeta('io.k8s.api.batch.v1.JobStatus', 'conditions').listType, 'atomic');
    assert.equal(fieldMeta(`${CORE}PodSpec`, 'nodeSelector').mapType, 'atomic');
    assert.equal(fieldMeta('io.k8s.api.apps.v1.DeploymentSpec', 'selector').structType, 'atomic');
    assert.equal(fieldMeta('io.k8s.api.rbac.v1.Role', 'rules').listType, 'atomic');
    assert.deepEqual(fieldMeta(`${CORE}PodSpec`, 'noSuchField'), {});
    // Callers get copies: changing one does not change the table.
    fieldMeta(`${CORE}Container`, 'ports').listMapKeys!.push('oops');
    assert.deepEqual(fieldMeta(`${CORE}Container`, 'ports').listMapKeys, ['containerPort', 'protocol']);
  });

  test('childDefinition follows $ref through objects, arrays and maps', () => {
    assert.equal(childDefinition(POD, 'spec'), `${CORE}PodSpec`);
    assert.equal(childDefinition(`${CORE}PodSpec`, 'containers'), `${CORE}Container`);
    assert.equal(childDefinition(`${CORE}Pod`, 'metadata'), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const props = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
    assert.equal(childDefinition(props, 'properties'), props);
    assert.equal(childDefinition(`${CORE}PodSpec`, 'nodeSelector'), undefined);
    assert.equal(childDefinition(`${CORE}ResourceRequirements`, 'limits'), undefined);
    assert.equal(childDefinition(`${CORE}Container`, 'image'), undefined);
    assert.equal(childDefinition('io.k8s.api.apps.v1.ControllerRevision', 'data'), undefined);
    assert.equal(childDefinition(`${CORE}PodSpec`, 'noSuchField'), undefined);
  });
});

/** Freezes a JSON value recursively, so that any write to it throws (ESM code is strict). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
