// The default scheduling profile: which plugins run at each extension point, in which order, and the
// score weights. Port of kubernetes pkg/scheduler/apis/config/v1/default_plugins.go (the implemented
// subset) and of framework/plugins/registry.go. The only module that knows every plugin.
import { EMPTY_HANDLE, type FilterPlugin, type Handle, type Plugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from './framework.js';
import { newImageLocalityPlugin } from './plugins/image-locality.js';
import { newInterPodAffinityPlugin } from './plugins/inter-pod-affinity.js';
import * as names from './plugins/names.js';
import { newBalancedAllocationPlugin } from './plugins/node-resources-balanced-allocation.js';
import { newPodTopologySpreadPlugin } from './plugins/pod-topology-spread.js';
import { newNodeAffinityPlugin } from './plugins/node-affinity.js';
import { newNodeNamePlugin } from './plugins/node-name.js';
import { newNodePortsPlugin } from './plugins/node-ports.js';
import { newNodeResourcesFitPlugin } from './plugins/node-resources-fit.js';
import { newNodeUnschedulablePlugin } from './plugins/node-unschedulable.js';
import { newTaintTolerationPlugin } from './plugins/taint-toleration.js';

/** Creates a plugin instance; plugins that look beyond the NodeInfos get the framework handle. */
export type PluginFactory = (handle: Handle) => Plugin;

/** Plugin name → factory for every plugin kubedojo implements. */
export const inTreeRegistry: ReadonlyMap<string, PluginFactory> = new Map<string, PluginFactory>([
  [names.NODE_UNSCHEDULABLE, newNodeUnschedulablePlugin],
  [names.NODE_NAME, newNodeNamePlugin],
  [names.TAINT_TOLERATION, newTaintTolerationPlugin],
  [names.NODE_AFFINITY, newNodeAffinityPlugin],
  [names.NODE_PORTS, newNodePortsPlugin],
  [names.NODE_RESOURCES_FIT, newNodeResourcesFitPlugin],
  [names.POD_TOPOLOGY_SPREAD, newPodTopologySpreadPlugin],
  [names.INTER_POD_AFFINITY, newInterPodAffinityPlugin],
  [names.NODE_RESOURCES_BALANCED_ALLOCATION, newBalancedAllocationPlugin],
  [names.IMAGE_LOCALITY, newImageLocalityPlugin],
]);

/** Default plugin order; Filter runs in this order and stops at the first failure per node. */
export const DEFAULT_PLUGIN_ORDER: readonly string[] = [
  names.NODE_UNSCHEDULABLE,
  names.NODE_NAME,
  names.TAINT_TOLERATION,
  names.NODE_AFFINITY,
  names.NODE_PORTS,
  names.NODE_RESOURCES_FIT,
  // The volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone) sit here upstream.
  names.POD_TOPOLOGY_SPREAD,
  names.INTER_POD_AFFINITY,
  names.NODE_RESOURCES_BALANCED_ALLOCATION,
  names.IMAGE_LOCALITY,
];

/** Default score weights of the upstream default profile. */
export const DEFAULT_SCORE_WEIGHTS: Readonly<Record<string, number>> = {
  [names.TAINT_TOLERATION]: 3,
  [names.NODE_AFFINITY]: 2,
  [names.NODE_RESOURCES_FIT]: 1,
  [names.POD_TOPOLOGY_SPREAD]: 2,
  [names.INTER_POD_AFFINITY]: 2,
  [names.NODE_RESOURCES_BALANCED_ALLOCATION]: 1,
  [names.IMAGE_LOCALITY]: 1,
};

/** A score plugin with its weight. */
export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/** The plugins of one profile, split by extension point. */
export interface Profile {
  schedulerName: string;
  preFilterPlugins: PreFilterPlugin[];
  filterPlugins: FilterPlugin[];
  preScorePlugins: PreScorePlugin[];
  scorePlugins: WeightedScorePlugin[];
}

/** Name of the default profile, matched against `pod.spec.schedulerName`. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

function implementsMethod<T extends Plugin>(p: Plugin, method: string): p is T {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

/**
 * Instantiates the default profile from the registry, one instance per plugin shared by all extension
 * points.
 * @example newDefaultProfile().filterPlugins.map((p) => p.name)
 */
export function newDefaultProfile(handle: Handle = EMPTY_HANDLE): Profile {
  const plugins = DEFAULT_PLUGIN_ORDER.map((name) => {
    const factory = inTreeRegistry.get(name);
    if (!factory) throw new Error(`Cannot build the default profile as plugin '${name}' is not registered`);
    return factory(handle);
  });
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    preFilterPlugins: plugins.filter((p) => implementsMethod<PreFilterPlugin>(p, 'preFilter')),
    filterPlugins: plugins.filter((p) => implementsMethod<FilterPlugin>(p, 'filter')),
    preScorePlugins: plugins.filter((p) => implementsMethod<PreScorePlugin>(p, 'preScore')),
    scorePlugins: plugins
      .filter((p) => implementsMethod<ScorePlugin>(p, 'score'))
      .map((plugin) => ({ plugin, weight: DEFAULT_SCORE_WEIGHTS[plugin.name] ?? 1 })),
  };
}
