// Every scheduler plugin name, in one place. Port of kubernetes
// pkg/scheduler/framework/plugins/names/names.go (names only; kubedojo implements a subset).

export const PRIORITY_SORT = 'PrioritySort';
export const DEFAULT_BINDER = 'DefaultBinder';
export const DEFAULT_PREEMPTION = 'DefaultPreemption';
export const DYNAMIC_RESOURCES = 'DynamicResources';
export const IMAGE_LOCALITY = 'ImageLocality';
export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const NODE_AFFINITY = 'NodeAffinity';
export const NODE_NAME = 'NodeName';
export const NODE_PORTS = 'NodePorts';
export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';
export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const NODE_VOLUME_LIMITS = 'NodeVolumeLimits';
export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const SCHEDULING_GATES = 'SchedulingGates';
export const TAINT_TOLERATION = 'TaintToleration';
export const VOLUME_BINDING = 'VolumeBinding';
export const VOLUME_RESTRICTIONS = 'VolumeRestrictions';
export const VOLUME_ZONE = 'VolumeZone';
