import type { ProtoMessages } from './field-table.js';

/**
 * Field tables for the other core/v1 kinds kubectl and helm send as protobuf (Namespace, Service,
 * ConfigMap, Secret, ServiceAccount, ResourceQuota) plus Pod with its status, Event and volumes
 * as objects (PersistentVolume, PersistentVolumeClaim).
 */
export const coreMiscMessages: ProtoMessages = {
  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'], 3: ['status', 'NamespaceStatus'] },
  NamespaceSpec: { 1: ['finalizers', '[]string'] },
  NamespaceStatus: { 1: ['phase', 'string'], 2: ['conditions', '[]NamespaceCondition'] },
  NamespaceCondition: {
    1: ['type', 'string'], 2: ['status', 'string'], 4: ['lastTransitionTime', 'Time'], 5: ['reason', 'string'],
    6: ['message', 'string'],
  },

  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'], 3: ['status', 'ServiceStatus'] },
  ServiceSpec: {
    1: ['ports', '[]ServicePort'], 2: ['selector', '{}string'], 3: ['clusterIP', 'string'],
    18: ['clusterIPs', '[]string'], 4: ['type', 'string'], 5: ['externalIPs', '[]string'],
    7: ['sessionAffinity', 'string'], 8: ['loadBalancerIP', 'string'], 9: ['loadBalancerSourceRanges', '[]string'],
    10: ['externalName', 'string'], 11: ['externalTrafficPolicy', 'string'], 12: ['healthCheckNodePort', 'int32'],
    13: ['publishNotReadyAddresses', 'bool'], 14: ['sessionAffinityConfig', 'SessionAffinityConfig'],
    19: ['ipFamilies', '[]string'], 17: ['ipFamilyPolicy', 'string?'], 20: ['allocateLoadBalancerNodePorts', 'bool?'],
    21: ['loadBalancerClass', 'string?'], 22: ['internalTrafficPolicy', 'string?'],
    23: ['trafficDistribution', 'string?'],
  },
  ServicePort: {
    1: ['name', 'string'], 2: ['protocol', 'string'], 6: ['appProtocol', 'string?'], 3: ['port', 'int32!'],
    4: ['targetPort', 'IntOrString'], 5: ['nodePort', 'int32'],
  },
  SessionAffinityConfig: { 1: ['clientIP', 'ClientIPConfig'] },
  ClientIPConfig: { 1: ['timeoutSeconds', 'int32?'] },
  ServiceStatus: { 1: ['loadBalancer', 'LoadBalancerStatus'], 2: ['conditions', '[]Condition'] },
  LoadBalancerStatus: { 1: ['ingress', '[]LoadBalancerIngress'] },
  LoadBalancerIngress: {
    1: ['ip', 'string'], 2: ['hostname', 'string'], 3: ['ipMode', 'string?'], 4: ['ports', '[]PortStatus'],
  },
  PortStatus: { 1: ['port', 'int32!'], 2: ['protocol', 'string'], 3: ['error', 'string?'] },

  ConfigMap: {
    1: ['metadata', 'ObjectMeta'], 4: ['immutable', 'bool?'], 2: ['data', '{}string'], 3: ['binaryData', '{}bytes'],
  },
  Secret: {
    1: ['metadata', 'ObjectMeta'], 5: ['immutable', 'bool?'], 2: ['data', '{}bytes'], 4: ['stringData', '{}string'],
    3: ['type', 'string'],
  },
  ServiceAccount: {
    1: ['metadata', 'ObjectMeta'], 2: ['secrets', '[]ObjectReference'],
    3: ['imagePullSecrets', '[]LocalObjectReference'], 4: ['automountServiceAccountToken', 'bool?'],
  },
  ObjectReference: {
    1: ['kind', 'string'], 2: ['namespace', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'],
    5: ['apiVersion', 'string'], 6: ['resourceVersion', 'string'], 7: ['fieldPath', 'string'],
  },

  ResourceQuota: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ResourceQuotaSpec'], 3: ['status', 'ResourceQuotaStatus'] },
  ResourceQuotaSpec: { 1: ['hard', '{}Quantity'], 2: ['scopes', '[]string'], 3: ['scopeSelector', 'ScopeSelector'] },
  ResourceQuotaStatus: { 1: ['hard', '{}Quantity'], 2: ['used', '{}Quantity'] },
  ScopeSelector: { 1: ['matchExpressions', '[]ScopedResourceSelectorRequirement'] },
  ScopedResourceSelectorRequirement: { 1: ['scopeName', 'string'], 2: ['operator', 'string'], 3: ['values', '[]string'] },

  Pod: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'], 3: ['status', 'PodStatus'] },
  PodStatus: {
    17: ['observedGeneration', 'int64'], 1: ['phase', 'string'], 2: ['conditions', '[]PodCondition'],
    3: ['message', 'string'], 4: ['reason', 'string'], 11: ['nominatedNodeName', 'string'], 5: ['hostIP', 'string'],
    16: ['hostIPs', '[]HostIP'], 6: ['podIP', 'string'], 12: ['podIPs', '[]PodIP'], 7: ['startTime', 'Time?'],
    10: ['initContainerStatuses', '[]ContainerStatus'], 8: ['containerStatuses', '[]ContainerStatus'],
    9: ['qosClass', 'string'], 13: ['ephemeralContainerStatuses', '[]ContainerStatus'], 14: ['resize', 'string'],
    15: ['resourceClaimStatuses', '[]PodResourceClaimStatus'],
    18: ['extendedResourceClaimStatus', 'PodExtendedResourceClaimStatus'],
    19: ['allocatedResources', '{}Quantity'], 20: ['resources', 'ResourceRequirements'],
  },
  PodCondition: {
    1: ['type', 'string'], 7: ['observedGeneration', 'int64'], 2: ['status', 'string'], 3: ['lastProbeTime', 'Time'],
    4: ['lastTransitionTime', 'Time'], 5: ['reason', 'string'], 6: ['message', 'string'],
  },
  HostIP: { 1: ['ip', 'string'] },
  PodIP: { 1: ['ip', 'string'] },
  ContainerStatus: {
    1: ['name', 'string'], 2: ['state', 'ContainerState'], 3: ['lastState', 'ContainerState'], 4: ['ready', 'bool!'],
    5: ['restartCount', 'int32!'], 6: ['image', 'string'], 7: ['imageID', 'string'], 8: ['containerID', 'string'],
    9: ['started', 'bool?'], 10: ['allocatedResources', '{}Quantity'], 11: ['resources', 'ResourceRequirements'],
    12: ['volumeMounts', '[]VolumeMountStatus'], 13: ['user', 'ContainerUser'],
    14: ['allocatedResourcesStatus', '[]ResourceStatus'], 15: ['stopSignal', 'string?'],
  },
  ContainerState: {
    1: ['waiting', 'ContainerStateWaiting'], 2: ['running', 'ContainerStateRunning'],
    3: ['terminated', 'ContainerStateTerminated'],
  },
  ContainerStateWaiting: { 1: ['reason', 'string'], 2: ['message', 'string'] },
  ContainerStateRunning: { 1: ['startedAt', 'Time'] },
  ContainerStateTerminated: {
    1: ['exitCode', 'int32!'], 2: ['signal', 'int32'], 3: ['reason', 'string'], 4: ['message', 'string'],
    5: ['startedAt', 'Time'], 6: ['finishedAt', 'Time'], 7: ['containerID', 'string'],
  },
  VolumeMountStatus: {
    1: ['name', 'string'], 2: ['mountPath', 'string'], 3: ['readOnly', 'bool'], 4: ['recursiveReadOnly', 'string?'],
    5: ['...', 'VolumeStatus'],
  },
  VolumeStatus: { 1: ['image', 'ImageVolumeStatus'] },
  ImageVolumeStatus: { 1: ['imageRef', 'string'] },
  ContainerUser: { 1: ['linux', 'LinuxContainerUser'] },
  LinuxContainerUser: { 1: ['uid', 'int64!'], 2: ['gid', 'int64!'], 3: ['supplementalGroups', '[]int64'] },
  ResourceStatus: { 1: ['name', 'string'], 2: ['resources', '[]ResourceHealth'] },
  ResourceHealth: { 1: ['resourceID', 'string'], 2: ['health', 'string'], 6: ['message', 'string?'] },
  PodResourceClaimStatus: { 1: ['name', 'string'], 2: ['resourceClaimName', 'string?'] },
  PodExtendedResourceClaimStatus: {
    1: ['requestMappings', '[]ContainerExtendedResourceRequest'], 2: ['resourceClaimName', 'string'],
  },
  ContainerExtendedResourceRequest: {
    1: ['containerName', 'string'], 2: ['resourceName', 'string'], 3: ['requestName', 'string'],
  },

  Event: {
    1: ['metadata', 'ObjectMeta'], 2: ['involvedObject', 'ObjectReference'], 3: ['reason', 'string'],
    4: ['message', 'string'], 5: ['source', 'EventSource'], 6: ['firstTimestamp', 'Time'],
    7: ['lastTimestamp', 'Time'], 8: ['count', 'int32'], 9: ['type', 'string'], 10: ['eventTime', 'MicroTime'],
    11: ['series', 'EventSeries'], 12: ['action', 'string'], 13: ['related', 'ObjectReference'],
    14: ['reportingComponent', 'string'], 15: ['reportingInstance', 'string'],
  },
  EventSource: { 1: ['component', 'string'], 2: ['host', 'string'] },
  EventSeries: { 1: ['count', 'int32'], 2: ['lastObservedTime', 'MicroTime'] },

  PersistentVolume: {
    1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PersistentVolumeSpec'], 3: ['status', 'PersistentVolumeStatus'],
  },
  PersistentVolumeSpec: {
    1: ['capacity', '{}Quantity'], 2: ['...', 'PersistentVolumeSource'], 3: ['accessModes', '[]string'],
    4: ['claimRef', 'ObjectReference'], 5: ['persistentVolumeReclaimPolicy', 'string'],
    6: ['storageClassName', 'string'], 7: ['mountOptions', '[]string'], 8: ['volumeMode', 'string?'],
    9: ['nodeAffinity', 'VolumeNodeAffinity'], 10: ['volumeAttributesClassName', 'string?'],
  },
  PersistentVolumeStatus: {
    1: ['phase', 'string'], 2: ['message', 'string'], 3: ['reason', 'string'], 4: ['lastPhaseTransitionTime', 'Time?'],
  },
  PersistentVolumeClaim: {
    1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PersistentVolumeClaimSpec'], 3: ['status', 'PersistentVolumeClaimStatus'],
  },
  PersistentVolumeClaimStatus: {
    1: ['phase', 'string'], 2: ['accessModes', '[]string'], 3: ['capacity', '{}Quantity'],
    4: ['conditions', '[]PersistentVolumeClaimCondition'], 5: ['allocatedResources', '{}Quantity'],
    7: ['allocatedResourceStatuses', '{}string'], 8: ['currentVolumeAttributesClassName', 'string?'],
    9: ['modifyVolumeStatus', 'ModifyVolumeStatus'],
  },
  PersistentVolumeClaimCondition: {
    1: ['type', 'string'], 2: ['status', 'string'], 3: ['lastProbeTime', 'Time'], 4: ['lastTransitionTime', 'Time'],
    5: ['reason', 'string'], 6: ['message', 'string'],
  },
  ModifyVolumeStatus: { 1: ['targetVolumeAttributesClassName', 'string'], 2: ['status', 'string'] },
};
