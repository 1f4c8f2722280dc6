/**
 * The apiserver's defaulting: what `SetDefaults_*` in `pkg/apis/core/v1/defaults.go`,
 * `pkg/apis/apps/v1/defaults.go`, `pkg/apis/batch/v1/defaults.go` and the other groups'
 * defaulters fill in, plus the few create-time normalisations of the strategies that our request
 * flow runs at the same step (Job selector generation, Service clusterIPs/ipFamilies, Secret
 * stringData). Service address allocation lives in cluster-ip.ts and the registry; the
 * ServiceAccount, Priority and DefaultTolerationSeconds admission plugins are separate.
 */
import type { KubeObject } from '../../schemas/types/meta.js';

type Obj = Record<string, unknown>;
type Defaulter = (obj: Obj) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object under `key`, created empty when missing (Go's zero-valued struct). */
function child(o: Obj, key: string): Obj {
  if (!isObj(o[key])) o[key] = {};
  return o[key] as Obj;
}

/** The objects of the list under `key` (non-objects skipped); the list itself is not created. */
function items(o: Obj, key: string): Obj[] {
  const list = o[key];
  return Array.isArray(list) ? list.filter(isObj) : [];
}

/** Sets `key` when it is unset (undefined or null, like a nil Go pointer or an empty string). */
function def(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

/**
 * Fills in every default the real apiserver would for this kind; mutates `obj` in place and
 * ignores kinds without defaults.
 * @example applyDefaults('apps', 'Deployment', deploy) // spec.replicas 1, strategy 25%/25%, …
 */
export function applyDefaults(group: string, kind: string, obj: KubeObject): void {
  DEFAULTERS[`${group}/${kind}`]?.(obj as Obj);
}

/** The tag `ParseImageName` finds: `latest` when the image has neither tag nor digest. */
function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  const repo = colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
  // An unparsable reference (empty, upper case, spaces) yields no tag, hence IfNotPresent.
  if (!repo || /[A-Z\s]/.test(repo.slice(repo.indexOf('/') + 1))) return '';
  return tag || (at >= 0 ? '' : 'latest');
}

function setDefaultsProbe(probe: Obj): void {
  def(probe, 'timeoutSeconds', 1);
  def(probe, 'periodSeconds', 10);
  def(probe, 'successThreshold', 1);
  def(probe, 'failureThreshold', 3);
  if (isObj(probe.httpGet)) setDefaultsHTTPGetAction(probe.httpGet);
}

function setDefaultsHTTPGetAction(action: Obj): void {
  def(action, 'path', '/');
  def(action, 'scheme', 'HTTP');
}

/** SetDefaults_Container plus the defaulters of its nested types (ports, probes, env). */
function setDefaultsContainer(c: Obj): void {
  def(c, 'imagePullPolicy', imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent');
  def(c, 'terminationMessagePath', '/dev/termination-log');
  def(c, 'terminationMessagePolicy', 'File');
  child(c, 'resources');
  for (const port of items(c, 'ports')) def(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (isObj(c[probe])) setDefaultsProbe(c[probe]);
  if (isObj(c.lifecycle)) {
    for (const hook of ['postStart', 'preStop']) {
      const h = c.lifecycle[hook];
      if (isObj(h) && isObj(h.httpGet)) setDefaultsHTTPGetAction(h.httpGet);
    }
  }
  for (const env of items(c, 'env')) {
    const from = env.valueFrom;
    if (isObj(from) && isObj(from.fieldRef)) def(from.fieldRef, 'apiVersion', 'v1');
  }
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];
/** 0644, the mode of files projected from Secrets, ConfigMaps and the downward API. */
const DEFAULT_FILE_MODE = 0o644;

/** SetDefaults_Volume and its sources: a source-less volume becomes an emptyDir. */
function setDefaultsVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((k) => isObj(v[k]))) v.emptyDir = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) if (isObj(v[key])) def(v[key], 'defaultMode', DEFAULT_FILE_MODE);
  if (isObj(v.hostPath)) def(v.hostPath, 'type', '');
  if (isObj(v.downwardAPI)) setDefaultsDownwardAPIItems(v.downwardAPI);
  if (isObj(v.projected)) {
    for (const src of items(v.projected, 'sources')) {
      if (isObj(src.downwardAPI)) setDefaultsDownwardAPIItems(src.downwardAPI);
      if (isObj(src.serviceAccountToken)) def(src.serviceAccountToken, 'expirationSeconds', 3600);
    }
  }
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate)) def(child(v.ephemeral.volumeClaimTemplate, 'spec'), 'volumeMode', 'Filesystem');
}

function setDefaultsDownwardAPIItems(source: Obj): void {
  for (const item of items(source, 'items')) if (isObj(item.fieldRef)) def(item.fieldRef, 'apiVersion', 'v1');
}

/** SetDefaults_PodSpec: applied to pods and to every pod template. */
function setDefaultsPodSpec(spec: Obj): void {
  def(spec, 'dnsPolicy', 'ClusterFirst');
  def(spec, 'restartPolicy', 'Always');
  child(spec, 'securityContext');
  def(spec, 'terminationGracePeriodSeconds', 30);
  def(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) items(spec, key).forEach(setDefaultsContainer);
  items(spec, 'volumes').forEach(setDefaultsVolume);
}

/** A PodTemplateSpec inside a workload: only the PodSpec defaults, none of the pod-only ones. */
function setDefaultsPodTemplateSpec(template: Obj): void {
  setDefaultsPodSpec(child(template, 'spec'));
}

/**
 * SetDefaults_Pod: the PodSpec defaults plus pod-only ones: requests copied from limits, service
 * links on, and with hostNetwork each hostPort equal to its containerPort.
 */
function setDefaultsPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  setDefaultsPodSpec(spec);
  for (const c of [...items(spec, 'containers'), ...items(spec, 'initContainers')]) {
    const res = child(c, 'resources');
    if (!isObj(res.limits)) continue;
    const requests = child(res, 'requests');
    for (const [name, value] of Object.entries(res.limits)) if (!(name in requests)) requests[name] = value;
  }
  def(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork !== true) return;
  for (const c of [...items(spec, 'containers'), ...items(spec, 'initContainers')]) {
    for (const port of items(c, 'ports')) if (!port.hostPort) port.hostPort = port.containerPort;
  }
}

/** SetDefaults_Deployment: 1 replica, RollingUpdate 25%/25%, 10 revisions, 600s deadline. */
function setDefaultsDeployment(d: Obj): void {
  const spec = child(d, 'spec');
  def(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  def(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    def(ru, 'maxUnavailable', '25%');
    def(ru, 'maxSurge', '25%');
  }
  def(spec, 'revisionHistoryLimit', 10);
  def(spec, 'progressDeadlineSeconds', 600);
  setDefaultsPodTemplateSpec(child(spec, 'template'));
}

function setDefaultsReplicaSet(rs: Obj): void {
  const spec = child(rs, 'spec');
  def(spec, 'replicas', 1);
  setDefaultsPodTemplateSpec(child(spec, 'template'));
}

/** SetDefaults_ReplicationController: selector and labels default to the template labels. */
function setDefaultsReplicationController(rc: Obj): void {
  const spec = child(rc, 'spec');
  const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  if (isObj(labels)) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const meta = child(rc, 'metadata');
    if (!isObj(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
  }
  def(spec, 'replicas', 1);
  if (isObj(spec.template)) setDefaultsPodTemplateSpec(spec.template);
}

/** SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, 10 revisions. */
function setDefaultsDaemonSet(ds: Obj): void {
  const spec = child(ds, 'spec');
  const strategy = child(spec, 'updateStrategy');
  def(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    def(ru, 'maxUnavailable', 1);
    def(ru, 'maxSurge', 0);
  }
  def(spec, 'revisionHistoryLimit', 10);
  setDefaultsPodTemplateSpec(child(spec, 'template'));
}

/** SetDefaults_StatefulSet, plus the PVC defaults of each volumeClaimTemplate. */
function setDefaultsStatefulSet(sts: Obj): void {
  const spec = child(sts, 'spec');
  def(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    child(strategy, 'rollingUpdate');
  }
  if (strategy.type === 'RollingUpdate' && isObj(strategy.rollingUpdate)) def(strategy.rollingUpdate, 'partition', 0);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  def(retention, 'whenDeleted', 'Retain');
  def(retention, 'whenScaled', 'Retain');
  def(spec, 'replicas', 1);
  def(spec, 'revisionHistoryLimit', 10);
  setDefaultsPodTemplateSpec(child(spec, 'template'));
  items(spec, 'volumeClaimTemplates').forEach(setDefaultsPersistentVolumeClaim);
}

/**
 * SetDefaults_Job plus the strategy's selector generation. Generation needs the uid, which our
 * registry assigns before defaulting; labels default to the template labels afterwards, as the
 * real apiserver's read-back (decode re-runs the defaulter) shows them.
 */
function setDefaultsJob(job: Obj): void {
  const spec = child(job, 'spec');
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  def(spec, 'parallelism', 1);
  def(spec, 'backoffLimit', spec.backoffLimitPerIndex == null ? 6 : 2147483647);
  def(spec, 'completionMode', 'NonIndexed');
  def(spec, 'suspend', false);
  def(spec, 'manualSelector', false);
  def(spec, 'podReplacementPolicy', isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  if (isObj(spec.podFailurePolicy)) {
    for (const rule of items(spec.podFailurePolicy, 'rules')) for (const c of items(rule, 'onPodConditions')) def(c, 'status', 'True');
  }
  const template = child(spec, 'template');
  setDefaultsPodTemplateSpec(template);
  const meta = child(job, 'metadata');
  if (spec.manualSelector !== true && typeof meta.uid === 'string' && meta.uid) generateJobSelector(spec, template, meta);
  const labels = isObj(template.metadata) ? template.metadata.labels : undefined;
  if (isObj(labels) && (!isObj(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...labels };
}

/** generateSelector: job-name and controller-uid labels (new and legacy keys) and a uid selector. */
function generateJobSelector(spec: Obj, template: Obj, meta: Obj): void {
  const labels = child(child(template, 'metadata'), 'labels');
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) def(labels, key, meta.name);
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) def(labels, key, meta.uid);
  const matchLabels = child(child(spec, 'selector'), 'matchLabels');
  def(matchLabels, 'batch.kubernetes.io/controller-uid', meta.uid);
}

/** SetDefaults_CronJob; the job template only gets its pod-template defaults. */
function setDefaultsCronJob(cj: Obj): void {
  const spec = child(cj, 'spec');
  def(spec, 'concurrencyPolicy', 'Allow');
  def(spec, 'suspend', false);
  def(spec, 'successfulJobsHistoryLimit', 3);
  def(spec, 'failedJobsHistoryLimit', 1);
  setDefaultsPodTemplateSpec(child(child(child(spec, 'jobTemplate'), 'spec'), 'template'));
}

/** 3 hours, the ClientIP session affinity timeout (DefaultClientIPServiceAffinitySeconds). */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/**
 * SetDefaults_Service plus the strategy's normalisation of clusterIP/clusterIPs and the
 * single-stack IP family fields the allocator fills (headless services without a selector ask
 * for RequireDualStack, which a single-stack cluster satisfies with IPv4 only).
 */
function setDefaultsService(svc: Obj): void {
  const spec = child(svc, 'spec');
  def(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    def(clientIP, 'timeoutSeconds', DEFAULT_CLIENT_IP_AFFINITY_SECONDS);
  }
  def(spec, 'type', 'ClusterIP');
  for (const port of items(spec, 'ports')) {
    def(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = spec.type;
  const external = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (external) def(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') def(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') def(spec, 'allocateLoadBalancerNodePorts', true);
  if (type === 'ExternalName') return;
  if (typeof spec.clusterIP === 'string' && spec.clusterIP && (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0)) spec.clusterIPs = [spec.clusterIP];
  const headless = spec.clusterIP === 'None';
  const hasSelector = isObj(spec.selector) && Object.keys(spec.selector).length > 0;
  def(spec, 'ipFamilyPolicy', headless && !hasSelector ? 'RequireDualStack' : 'SingleStack');
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
}

/** SetDefaults_PersistentVolumeClaim (also used for StatefulSet volumeClaimTemplates). */
function setDefaultsPersistentVolumeClaim(pvc: Obj): void {
  def(child(pvc, 'spec'), 'volumeMode', 'Filesystem');
  def(child(pvc, 'status'), 'phase', 'Pending');
}

function setDefaultsPersistentVolume(pv: Obj): void {
  const spec = child(pv, 'spec');
  def(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  def(spec, 'volumeMode', 'Filesystem');
  if (isObj(spec.hostPath)) def(spec.hostPath, 'type', '');
  def(child(pv, 'status'), 'phase', 'Pending');
}

/** SetDefaults_Namespace: the immutable name label; the strategy's `kubernetes` finalizer. */
function setDefaultsNamespace(ns: Obj): void {
  const meta = child(ns, 'metadata');
  if (typeof meta.name === 'string' && meta.name) child(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
  const spec = child(ns, 'spec');
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  def(child(ns, 'status'), 'phase', 'Active');
}

/** Type Opaque; stringData is write-only and folds into data (base64), as conversion does. */
function setDefaultsSecret(secret: Obj): void {
  def(secret, 'type', 'Opaque');
  if (!isObj(secret.stringData)) return;
  const data = child(secret, 'data');
  for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete secret.stringData;
}

/** autoscaling/v2: minReplicas 1, an 80% CPU target when no metric is given, behavior rules. */
function setDefaultsHorizontalPodAutoscaler(hpa: Obj): void {
  const spec = child(hpa, 'spec');
  def(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (!isObj(spec.behavior)) return;
  const up = child(spec.behavior, 'scaleUp');
  def(up, 'stabilizationWindowSeconds', 0);
  def(up, 'selectPolicy', 'Max');
  if (!Array.isArray(up.policies)) up.policies = [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }];
  const down = child(spec.behavior, 'scaleDown');
  def(down, 'stabilizationWindowSeconds', 300);
  def(down, 'selectPolicy', 'Max');
  if (!Array.isArray(down.policies)) down.policies = [{ type: 'Percent', value: 100, periodSeconds: 15 }];
}

/** networking/v1: Ingress is implied, Egress too when egress rules exist; ports default to TCP. */
function setDefaultsNetworkPolicy(np: Obj): void {
  const spec = child(np, 'spec');
  for (const dir of ['ingress', 'egress']) for (const rule of items(spec, dir)) for (const port of items(rule, 'ports')) def(port, 'protocol', 'TCP');
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return;
  spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** rbac/v1: roleRef and User/Group subjects default to the RBAC API group. */
function setDefaultsRoleBinding(rb: Obj): void {
  def(child(rb, 'roleRef'), 'apiGroup', 'rbac.authorization.k8s.io');
  for (const s of items(rb, 'subjects')) if (s.kind === 'User' || s.kind === 'Group') def(s, 'apiGroup', 'rbac.authorization.k8s.io');
}

const DEFAULTERS: Record<string, Defaulter> = {
  '/Pod': setDefaultsPod,
  '/PodTemplate': (o) => setDefaultsPodTemplateSpec(child(o, 'template')),
  '/ReplicationController': setDefaultsReplicationController,
  '/Service': setDefaultsService,
  '/Namespace': setDefaultsNamespace,
  '/Secret': setDefaultsSecret,
  '/PersistentVolumeClaim': setDefaultsPersistentVolumeClaim,
  '/PersistentVolume': setDefaultsPersistentVolume,
  '/Endpoints': (o) => items(o, 'subsets').forEach((ss) => items(ss, 'ports').forEach((p) => def(p, 'protocol', 'TCP'))),
  '/Node': (o) => {
    const status = child(o, 'status');
    if (!isObj(status.allocatable) && isObj(status.capacity)) status.allocatable = { ...status.capacity };
  },
  'apps/Deployment': setDefaultsDeployment,
  'apps/ReplicaSet': setDefaultsReplicaSet,
  'apps/DaemonSet': setDefaultsDaemonSet,
  'apps/StatefulSet': setDefaultsStatefulSet,
  'batch/Job': setDefaultsJob,
  'batch/CronJob': setDefaultsCronJob,
  'autoscaling/HorizontalPodAutoscaler': setDefaultsHorizontalPodAutoscaler,
  'discovery.k8s.io/EndpointSlice': (o) => items(o, 'ports').forEach((p) => {
    def(p, 'name', '');
    def(p, 'protocol', 'TCP');
  }),
  'networking.k8s.io/NetworkPolicy': setDefaultsNetworkPolicy,
  'scheduling.k8s.io/PriorityClass': (o) => def(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  'rbac.authorization.k8s.io/RoleBinding': setDefaultsRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': setDefaultsRoleBinding,
};
