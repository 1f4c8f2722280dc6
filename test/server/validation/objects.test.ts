import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { applyDefaults } from '../../../server/admission/defaults.js';
import { errorString } from '../../../server/validation/field-errors.js';
import { validateCreate, validateUpdate } from '../../../server/validation/objects.js';

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding']);

/** Defaults the object like the registry does, then returns the rendered create errors. */
function createErrors(group: string, kind: string, obj: KubeObject): string[] {
  applyDefaults(group, kind, obj);
  return validateCreate(group, kind, obj, { namespaced: !CLUSTER_SCOPED.has(kind) }).map(errorString);
}

/** Defaults both versions, then returns the rendered update errors. */
function updateErrors(group: string, kind: string, obj: KubeObject, old: KubeObject): string[] {
  applyDefaults(group, kind, old);
  applyDefaults(group, kind, obj);
  return validateUpdate(group, kind, obj, old, { namespaced: !CLUSTER_SCOPED.has(kind) }).map(errorString);
}

const meta = (name: string, extra: Record<string, unknown> = {}): KubeObject['metadata'] => ({ name, namespace: 'default', ...extra });
const container = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'web', image: 'nginx', ...extra });
const podTemplate = (labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { labels }, spec: { containers: [container()], ...spec },
});
const deployment = (spec: Record<string, unknown> = {}, name = 'web'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name),
  spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec },
});
const pod = (spec: Record<string, unknown> = {}, name = 'web'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta(name), spec: { containers: [container()], ...spec } });
const mismatch = (labels: string): string => `spec.template.metadata.labels: Invalid value: ${labels}: \`selector\` does not match template \`labels\``;

describe('metadata', () => {
  it('requires a name or generateName', () => {
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: { namespace: 'default' } }), ['metadata.name: Required value: name or generateName is required']);
  });

  it('accepts a generated name and checks the generateName prefix', () => {
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: meta('web-x7k2q', { generateName: 'web-' }) }), []);
    assert.match(createErrors('', 'ConfigMap', { metadata: meta('Web-x7k2q', { generateName: 'Web-' }) })[0]!, /^metadata\.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/);
  });

  it('requires a namespace on namespaced kinds and forbids it on cluster-scoped ones', () => {
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: { name: 'c' } }), ['metadata.namespace: Required value']);
    assert.deepEqual(createErrors('', 'Namespace', { metadata: { name: 'dev', namespace: 'x' } }), ['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('renders bad label values with the upstream text', () => {
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: meta('c', { labels: { app: 'bad value' } }) }), [
      "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: meta('c', { labels: { app: 'a'.repeat(64) } }) }), [
      `metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  it('limits all annotations together to 256 KiB', () => {
    const big = { metadata: meta('c', { annotations: { a: 'x'.repeat(256 * 1024) } }) };
    assert.deepEqual(createErrors('', 'ConfigMap', big), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  it('checks owner references', () => {
    const refs = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '' }];
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: meta('c', { ownerReferences: refs }) }), ['metadata.ownerReferences.uid: Invalid value: "": must not be empty']);
  });

  it('keeps the name immutable on update', () => {
    assert.deepEqual(updateErrors('', 'ConfigMap', { metadata: meta('b') }, { metadata: meta('a') }), ['metadata.name: Invalid value: "b": field is immutable']);
  });
});

describe('Deployment', () => {
  it('rejects negative replicas', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ replicas: -1 })), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('rejects an upper-case name', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({}, 'Web')), [
      "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('reports a selector that does not match the template labels', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ selector: { matchLabels: { app: 'api' } } })), [mismatch('{"app":"web"}')]);
  });

  it('reports a missing selector twice, as upstream does', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ selector: undefined })), ['spec.selector: Required value', mismatch('{"app":"web"}')]);
  });

  it('rejects an empty selector', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ selector: {} })), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });

  it('only allows restartPolicy Always and no activeDeadlineSeconds in the template', () => {
    const d = deployment({ template: podTemplate({ app: 'web' }, { restartPolicy: 'Never', activeDeadlineSeconds: 5 }) });
    assert.deepEqual(createErrors('apps', 'Deployment', d), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });

  it('checks the strategy', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } })), [
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ strategy: { type: 'BlueGreen' } })), [
      'spec.strategy: Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"',
    ]);
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } })), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ strategy: { rollingUpdate: { maxUnavailable: '110%', maxSurge: -1 } } })), [
      'spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%',
    ]);
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ strategy: { rollingUpdate: { maxSurge: 'lots' } } })), [
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });

  it('requires progressDeadlineSeconds above minReadySeconds', () => {
    assert.deepEqual(createErrors('apps', 'Deployment', deployment({ minReadySeconds: 10, progressDeadlineSeconds: 5 })), ['spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds']);
  });

  it('keeps the selector immutable on update', () => {
    const both = { app: 'web', tier: 'front' };
    const old = deployment({ template: podTemplate(both) });
    const next = deployment({ selector: { matchLabels: both }, template: podTemplate(both) });
    assert.deepEqual(updateErrors('apps', 'Deployment', next, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable']);
    assert.deepEqual(updateErrors('apps', 'Deployment', deployment({ replicas: 5 }), deployment()), []);
  });

  it('checks every template pod spec, whichever ones were valid before', () => {
    // Valid pod specs are remembered by their text: a remembered one must not hide a changed one.
    const withContainer = (c: Record<string, unknown>): KubeObject => deployment({ template: podTemplate({ app: 'web' }, { containers: [c] }) });
    assert.deepEqual(createErrors('apps', 'Deployment', withContainer(container())), []);
    const bad = ['spec.template.spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'];
    for (let i = 0; i < 2; i++) assert.deepEqual(createErrors('apps', 'Deployment', withContainer(container({ name: 'Web' }))), bad);
    assert.deepEqual(createErrors('apps', 'Deployment', withContainer(container())), []);
    const rs = { metadata: meta('rs'), spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }, { containers: [container({ name: 'Web' })] }) } };
    assert.deepEqual(createErrors('apps', 'ReplicaSet', rs), bad);
  });
});

describe('Pod', () => {
  it('requires containers', () => {
    assert.deepEqual(createErrors('', 'Pod', pod({ containers: [] })), ['spec.containers: Required value']);
  });

  it('checks container names, images and ports', () => {
    const errs = createErrors('', 'Pod', pod({ containers: [container({ name: 'Web', ports: [{ containerPort: 70000 }] }), container({ name: 'web' }), container({ image: '' })] }));
    assert.deepEqual(errs, [
      "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[2].image: Required value',
      'spec.containers[2].name: Duplicate value: "web"',
    ]);
  });

  it('requires volume mounts to name a volume', () => {
    assert.deepEqual(createErrors('', 'Pod', pod({ containers: [container({ volumeMounts: [{ name: 'x', mountPath: '/x' }] })] })), ['spec.containers[0].volumeMounts[0].name: Not found: "x"']);
    assert.deepEqual(createErrors('', 'Pod', pod({ volumes: [{ name: 'x' }], containers: [container({ volumeMounts: [{ name: 'x', mountPath: '/x' }] })] })), []);
  });

  it('keeps requests at or below limits', () => {
    const res = { limits: { cpu: '1' }, requests: { cpu: '2000m' } };
    assert.deepEqual(createErrors('', 'Pod', pod({ containers: [container({ resources: res })] })), ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
    assert.deepEqual(createErrors('', 'Pod', pod({ containers: [container({ resources: { limits: { memory: '1Gi' }, requests: { memory: '1024Mi' } } })] })), []);
  });

  it('rejects unknown restart and DNS policies', () => {
    assert.deepEqual(createErrors('', 'Pod', pod({ restartPolicy: 'Sometimes', dnsPolicy: 'Google' })), [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
  });

  it('requires a probe handler and successThreshold 1 for liveness', () => {
    assert.deepEqual(createErrors('', 'Pod', pod({ containers: [container({ livenessProbe: { successThreshold: 2, httpGet: { port: 'web-http-port-too-long' } } })] })), [
      'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "web-http-port-too-long": must be no more than 15 characters',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
    assert.deepEqual(createErrors('', 'Pod', pod({ containers: [container({ readinessProbe: {} })] })), ['spec.containers[0].readinessProbe: Required value: must specify a handler type']);
  });

  it('allows image changes on update but nothing else', () => {
    // A patch keeps the stored (defaulted) fields, so only the image differs.
    const old = pod();
    applyDefaults('', 'Pod', old);
    const next = structuredClone(old) as KubeObject & { spec: { containers: Array<{ image: string }> } };
    next.spec.containers[0]!.image = 'nginx:1.27';
    assert.deepEqual(updateErrors('', 'Pod', next, old), []);
    const [err, ...rest] = updateErrors('', 'Pod', pod({ containers: [container({ ports: [{ containerPort: 80 }] })] }), pod());
    assert.deepEqual(rest, []);
    assert.ok(err!.startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'), err);
    assert.match(err!, /\n- \tContainers: /);
  });

  it('forbids adding containers and removing tolerations on update', () => {
    assert.deepEqual(updateErrors('', 'Pod', pod({ containers: [container(), container({ name: 'side' })] }), pod()), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
    const tol = [{ key: 'k', operator: 'Exists' }];
    assert.deepEqual(updateErrors('', 'Pod', pod({ tolerations: [...tol, { key: 'j', operator: 'Exists' }] }), pod({ tolerations: tol })), []);
    assert.deepEqual(updateErrors('', 'Pod', pod(), pod({ tolerations: tol })), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });
});

describe('ReplicaSet, DaemonSet and StatefulSet', () => {
  it('uses the deployment wording for an empty ReplicaSet selector', () => {
    const rs = { metadata: meta('rs'), spec: { selector: {}, template: podTemplate() } };
    assert.deepEqual(createErrors('apps', 'ReplicaSet', rs), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });

  it('needs one of maxUnavailable or maxSurge for a DaemonSet', () => {
    const ds = { metadata: meta('ds'), spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } } };
    assert.deepEqual(createErrors('apps', 'DaemonSet', ds), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  });

  it('forbids StatefulSet spec changes outside the updatable fields', () => {
    const sts = (serviceName: string, replicas: number): KubeObject => ({ metadata: meta('db'), spec: { serviceName, replicas, selector: { matchLabels: { app: 'web' } }, template: podTemplate() } });
    assert.deepEqual(updateErrors('apps', 'StatefulSet', sts('db', 3), sts('db', 1)), []);
    assert.deepEqual(updateErrors('apps', 'StatefulSet', sts('other', 1), sts('db', 1)), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('Job and CronJob', () => {
  const job = (spec: Record<string, unknown> = {}): KubeObject => ({
    metadata: meta('pi', { uid: 'u-1' }), spec: { template: podTemplate({}, { restartPolicy: 'Never' }), ...spec },
  });

  it('requires restartPolicy OnFailure or Never', () => {
    assert.deepEqual(createErrors('batch', 'Job', job({ template: podTemplate({}) })), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
    assert.deepEqual(createErrors('batch', 'Job', job()), []);
  });

  it('rejects negative counts', () => {
    assert.deepEqual(createErrors('batch', 'Job', job({ parallelism: -1, completions: -2 })), [
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.completions: Invalid value: -2: must be greater than or equal to 0',
    ]);
  });

  it('keeps the selector immutable', () => {
    const old = job();
    applyDefaults('batch', 'Job', old);
    const next = structuredClone(old) as KubeObject & { spec: { selector: { matchLabels: Record<string, string> } } };
    next.spec.selector.matchLabels.extra = 'x';
    assert.deepEqual(updateErrors('batch', 'Job', next, old), [
      'spec.template.metadata.labels: Invalid value: {"job-name":"pi","batch.kubernetes.io/job-name":"pi","controller-uid":"u-1","batch.kubernetes.io/controller-uid":"u-1"}: `selector` does not match template `labels`',
      'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1","extra":"x"}}: field is immutable',
    ]);
  });

  const cronJob = (schedule: string | undefined, name = 'hello'): KubeObject => ({
    metadata: meta(name), spec: { schedule, jobTemplate: { spec: { template: podTemplate({}, { restartPolicy: 'OnFailure' }) } } },
  });

  it('parses the schedule like robfig/cron', () => {
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('*/5 * * * *')), []);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('@hourly')), []);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('0 9 * * mon-fri')), []);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('x')), ['spec.schedule: Invalid value: "x": expected exactly 5 fields, found 1: [x]']);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('61 * * * *')), ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('a * * * *')), ['spec.schedule: Invalid value: "a * * * *": failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax']);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob(undefined)), ['spec.schedule: Required value']);
  });

  it('limits CronJob names to 52 characters on create', () => {
    const name = 'c'.repeat(53);
    assert.deepEqual(createErrors('batch', 'CronJob', cronJob('@daily', name)), [`metadata.name: Invalid value: "${name}": must be no more than 52 characters`]);
  });

  it('requires restartPolicy OnFailure or Never in the job template', () => {
    const cj = cronJob('@daily');
    (cj.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec.template = podTemplate({});
    assert.deepEqual(createErrors('batch', 'CronJob', cj), ['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });
});

describe('Service', () => {
  const service = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({ metadata: meta(name), spec: { selector: { app: 'web' }, ...spec } });

  it('uses the DNS-1035 name rule', () => {
    assert.deepEqual(createErrors('', 'Service', service({ ports: [{ port: 80 }] }, '1web')), [
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('requires ports unless headless or ExternalName', () => {
    assert.deepEqual(createErrors('', 'Service', service({})), ['spec.ports: Required value']);
    assert.deepEqual(createErrors('', 'Service', service({ clusterIP: 'None' })), []);
    assert.deepEqual(createErrors('', 'Service', service({ type: 'ExternalName', externalName: 'db.example.com' })), []);
    assert.deepEqual(createErrors('', 'Service', service({ type: 'ExternalName' })), ['spec.externalName: Required value']);
  });

  it('checks port numbers, names and the type', () => {
    assert.deepEqual(createErrors('', 'Service', service({ type: 'Public', ports: [{ name: 'http', port: 0, targetPort: 80 }, { name: 'http', port: 443 }] })), [
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].name: Duplicate value: "http"',
      'spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });

  it('forbids nodePort on a ClusterIP service', () => {
    assert.deepEqual(createErrors('', 'Service', service({ ports: [{ port: 80, nodePort: 30080 }] })), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  });

  it('keeps the cluster IP once set', () => {
    const old = service({ ports: [{ port: 80 }], clusterIP: '10.96.0.5' });
    assert.deepEqual(updateErrors('', 'Service', service({ ports: [{ port: 80 }], clusterIP: '10.96.0.6' }), old), ['spec.clusterIPs[0]: Invalid value: ["10.96.0.6"]: may not change once set']);
  });
});

describe('other kinds', () => {
  it('checks ConfigMap and Secret keys', () => {
    const keyMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    assert.deepEqual(createErrors('', 'ConfigMap', { metadata: meta('c'), data: { 'my key': 'v' } }), [`data[my key]: Invalid value: "my key": ${keyMsg}`]);
    assert.deepEqual(createErrors('', 'Secret', { metadata: meta('s'), stringData: { 'a/b': 'v' } }), [`data[a/b]: Invalid value: "a/b": ${keyMsg}`]);
  });

  it('requires the TLS keys and keeps the Secret type on update', () => {
    assert.deepEqual(createErrors('', 'Secret', { metadata: meta('s'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }), ['data[tls.key]: Required value']);
    assert.deepEqual(updateErrors('', 'Secret', { metadata: meta('s'), type: 'kubernetes.io/basic-auth', data: { username: 'eA==' } }, { metadata: meta('s') }), [
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    ]);
  });

  it('checks Namespace names and node taints', () => {
    assert.deepEqual(createErrors('', 'Namespace', { metadata: { name: 'my.ns' } }), ['metadata.name: Invalid value: "my.ns": must not contain dots']);
    assert.deepEqual(createErrors('', 'Node', { metadata: { name: 'n1' }, spec: { taints: [{ key: 'gpu', effect: 'Never' }] } }), [
      'metadata.taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('allows only one of minAvailable and maxUnavailable in a PDB', () => {
    const pdb = { metadata: meta('pdb'), spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } };
    assert.deepEqual(createErrors('policy', 'PodDisruptionBudget', pdb), [
      'spec: Invalid value: {"MinAvailable":1,"Selector":{"matchLabels":{"app":"web"}},"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set',
    ]);
  });

  it('checks Lease and PriorityClass values', () => {
    assert.deepEqual(createErrors('coordination.k8s.io', 'Lease', { metadata: meta('l'), spec: { leaseDurationSeconds: 0 } }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
    assert.deepEqual(createErrors('scheduling.k8s.io', 'PriorityClass', { metadata: { name: 'high' }, value: 2000000000 }), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    assert.deepEqual(updateErrors('scheduling.k8s.io', 'PriorityClass', { metadata: { name: 'high' }, value: 2 }, { metadata: { name: 'high' }, value: 1 }), ['value: Forbidden: may not be changed in an update.']);
  });

  it('uses path-segment names for RBAC objects', () => {
    assert.deepEqual(createErrors('rbac.authorization.k8s.io', 'ClusterRole', { metadata: { name: 'system:aggregate-to-view' } }), []);
    assert.deepEqual(createErrors('rbac.authorization.k8s.io', 'Role', { metadata: meta('a%b') }), ['metadata.name: Invalid value: "a%b": may not contain \'%\'']);
  });
});
