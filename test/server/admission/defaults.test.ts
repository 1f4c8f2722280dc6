import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { applyDefaults } from '../../../server/admission/defaults.js';

// Test fixtures are loose JSON: index them freely.
type Any = Record<string, any>;

function defaulted(group: string, kind: string, obj: Any): Any {
  applyDefaults(group, kind, obj as KubeObject);
  return obj;
}

const DEFAULT_CONTAINER = {
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  resources: {},
};
const DEFAULT_POD_SPEC = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
  schedulerName: 'default-scheduler',
};

describe('Pod defaults', () => {
  it('fills the PodSpec, container and pod-only defaults', () => {
    const pod = defaulted('', 'Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } });
    assert.deepEqual(pod.spec, {
      ...DEFAULT_POD_SPEC,
      enableServiceLinks: true,
      containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], ...DEFAULT_CONTAINER }],
    });
  });

  it('pulls always only for latest or untagged images', () => {
    const policy = (image: string): string => defaulted('', 'Pod', { metadata: {}, spec: { containers: [{ name: 'c', image }] } }).spec.containers[0].imagePullPolicy;
    assert.equal(policy('nginx'), 'Always');
    assert.equal(policy('nginx:latest'), 'Always');
    assert.equal(policy('nginx:1.27'), 'IfNotPresent');
    assert.equal(policy('nginx@sha256:0123'), 'IfNotPresent');
    assert.equal(policy('localhost:5000/nginx'), 'Always');
    assert.equal(policy('registry.io:5000/team/app:v2'), 'IfNotPresent');
  });

  it('keeps an explicit pull policy', () => {
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Never' }] } });
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'Never');
  });

  it('copies limits into missing requests for pods', () => {
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] } });
    assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
  });

  it('sets hostPort to containerPort with hostNetwork', () => {
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } });
    assert.deepEqual(pod.spec.containers[0].ports, [{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }]);
  });

  it('defaults probes and lifecycle httpGet actions', () => {
    const c = { name: 'c', image: 'x', livenessProbe: { httpGet: { port: 80 } }, lifecycle: { preStop: { httpGet: { port: 80 } } } };
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { containers: [c] } });
    assert.deepEqual(pod.spec.containers[0].livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(pod.spec.containers[0].lifecycle.preStop.httpGet, { port: 80, path: '/', scheme: 'HTTP' });
  });

  it('defaults volumes', () => {
    const volumes = [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }, { name: 'c', hostPath: { path: '/x' } }, { name: 'd', secret: { secretName: 's', defaultMode: 256 } }];
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { containers: [], volumes } });
    assert.deepEqual(pod.spec.volumes, [
      { name: 'a', emptyDir: {} },
      { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
      { name: 'c', hostPath: { path: '/x', type: '' } },
      { name: 'd', secret: { secretName: 's', defaultMode: 256 } },
    ]);
  });

  it('gives the env fieldRef its apiVersion', () => {
    const env = [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }];
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { containers: [{ name: 'c', image: 'x', env }] } });
    assert.deepEqual(pod.spec.containers[0].env[0].valueFrom.fieldRef, { fieldPath: 'spec.nodeName', apiVersion: 'v1' });
  });

  it('is idempotent', () => {
    const pod = defaulted('', 'Pod', { metadata: {}, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' } } }] } });
    const again = defaulted('', 'Pod', structuredClone(pod));
    assert.deepEqual(again, pod);
  });
});

describe('workload defaults', () => {
  const template = (): Any => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });

  it('defaults a Deployment and its template without pod-only fields', () => {
    const d = defaulted('apps', 'Deployment', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } });
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal('minReadySeconds' in d.spec, false);
    assert.deepEqual(d.spec.template.spec, { ...DEFAULT_POD_SPEC, containers: [{ name: 'c', image: 'nginx:1', ...DEFAULT_CONTAINER }] });
  });

  it('leaves rollingUpdate out of a Recreate Deployment and keeps replicas 0', () => {
    const d = defaulted('apps', 'Deployment', { metadata: {}, spec: { replicas: 0, strategy: { type: 'Recreate' }, template: template() } });
    assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
    assert.equal(d.spec.replicas, 0);
  });

  it('defaults DaemonSets, ReplicaSets and StatefulSets', () => {
    const ds = defaulted('apps', 'DaemonSet', { metadata: {}, spec: { template: template() } });
    assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.spec.revisionHistoryLimit, 10);
    assert.equal(defaulted('apps', 'ReplicaSet', { metadata: {}, spec: { template: template() } }).spec.replicas, 1);
    const sts = defaulted('apps', 'StatefulSet', { metadata: {}, spec: { template: template(), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] } });
    assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(sts.spec.replicas, 1);
    assert.deepEqual(sts.spec.volumeClaimTemplates[0], { metadata: { name: 'data' }, spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
  });

  it('defaults a ReplicationController selector and labels from its template', () => {
    const rc = defaulted('', 'ReplicationController', { metadata: {}, spec: { template: template() } });
    assert.deepEqual(rc.spec.selector, { app: 'web' });
    assert.deepEqual(rc.metadata.labels, { app: 'web' });
    assert.equal(rc.spec.replicas, 1);
  });

  it('defaults a Job and generates its selector from the uid', () => {
    const job = defaulted('batch', 'Job', { metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } });
    assert.equal(job.spec.completions, 1);
    assert.equal(job.spec.parallelism, 1);
    assert.equal(job.spec.backoffLimit, 6);
    assert.equal(job.spec.completionMode, 'NonIndexed');
    assert.equal(job.spec.suspend, false);
    assert.equal(job.spec.manualSelector, false);
    assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    const labels = { 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'batch.kubernetes.io/controller-uid': 'u-1' };
    assert.deepEqual(job.spec.template.metadata.labels, labels);
    assert.deepEqual(job.metadata.labels, labels);
  });

  it('only defaults parallelism when completions is given', () => {
    const job = defaulted('batch', 'Job', { metadata: {}, spec: { completions: 5, template: template() } });
    assert.equal(job.spec.completions, 5);
    assert.equal(job.spec.parallelism, 1);
    assert.equal('selector' in job.spec, false);
  });

  it('defaults a CronJob but not the Job fields of its template', () => {
    const cj = defaulted('batch', 'CronJob', { metadata: {}, spec: { schedule: '@daily', jobTemplate: { spec: { template: template() } } } });
    assert.equal(cj.spec.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec.failedJobsHistoryLimit, 1);
    assert.equal('backoffLimit' in cj.spec.jobTemplate.spec, false);
    assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'Always');
  });
});

describe('Service defaults', () => {
  it('defaults a ClusterIP service', () => {
    const svc = defaulted('', 'Service', { metadata: {}, spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
    assert.deepEqual(svc.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('adds the traffic and node-port defaults of a LoadBalancer', () => {
    const svc = defaulted('', 'Service', { metadata: {}, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    assert.equal(svc.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(svc.spec.allocateLoadBalancerNodePorts, true);
  });

  it('asks RequireDualStack for headless services without a selector', () => {
    const svc = defaulted('', 'Service', { metadata: {}, spec: { clusterIP: 'None' } });
    assert.deepEqual(svc.spec.clusterIPs, ['None']);
    assert.equal(svc.spec.ipFamilyPolicy, 'RequireDualStack');
  });

  it('defaults the ClientIP affinity timeout and leaves ExternalName without IP fields', () => {
    const sticky = defaulted('', 'Service', { metadata: {}, spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
    assert.deepEqual(sticky.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    const ext = defaulted('', 'Service', { metadata: {}, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    assert.equal('ipFamilies' in ext.spec, false);
    assert.equal('internalTrafficPolicy' in ext.spec, false);
  });
});

describe('other defaults', () => {
  it('labels and activates namespaces', () => {
    const ns = defaulted('', 'Namespace', { metadata: { name: 'dev', labels: { team: 'a' } } });
    assert.deepEqual(ns.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': 'dev' });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
  });

  it('types Secrets and folds stringData into data', () => {
    const s = defaulted('', 'Secret', { metadata: {}, data: { a: 'eA==' }, stringData: { b: 'hello' } });
    assert.deepEqual(s, { metadata: {}, type: 'Opaque', data: { a: 'eA==', b: 'aGVsbG8=' } });
  });

  it('defaults volumes and claims', () => {
    const pvc = defaulted('', 'PersistentVolumeClaim', { metadata: {}, spec: { accessModes: ['ReadWriteOnce'] } });
    assert.equal(pvc.spec.volumeMode, 'Filesystem');
    const pv = defaulted('', 'PersistentVolume', { metadata: {}, spec: { hostPath: { path: '/data' } } });
    assert.deepEqual(pv.spec, { hostPath: { path: '/data', type: '' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  });

  it('gives an HPA a CPU target and behavior rules', () => {
    const hpa = defaulted('autoscaling', 'HorizontalPodAutoscaler', { metadata: {}, spec: { maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
    assert.equal(hpa.spec.minReplicas, 1);
    assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.deepEqual(hpa.spec.behavior.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    assert.deepEqual(hpa.spec.behavior.scaleDown, { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  it('defaults NetworkPolicy types, PriorityClass preemption and RBAC groups', () => {
    assert.deepEqual(defaulted('networking.k8s.io', 'NetworkPolicy', { metadata: {}, spec: { podSelector: {} } }).spec.policyTypes, ['Ingress']);
    assert.deepEqual(defaulted('networking.k8s.io', 'NetworkPolicy', { metadata: {}, spec: { egress: [{}] } }).spec.policyTypes, ['Ingress', 'Egress']);
    assert.equal(defaulted('scheduling.k8s.io', 'PriorityClass', { metadata: {}, value: 5 }).preemptionPolicy, 'PreemptLowerPriority');
    const rb = defaulted('rbac.authorization.k8s.io', 'RoleBinding', { metadata: {}, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'sa' }] });
    assert.equal(rb.roleRef.apiGroup, 'rbac.authorization.k8s.io');
    assert.deepEqual(rb.subjects, [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'sa' }]);
  });

  it('leaves kinds without defaults alone', () => {
    const cm = { metadata: { name: 'c' }, data: { a: 'b' } };
    assert.deepEqual(defaulted('', 'ConfigMap', structuredClone(cm)), cm);
    assert.deepEqual(defaulted('coordination.k8s.io', 'Lease', { metadata: {} }), { metadata: {} });
  });
});
