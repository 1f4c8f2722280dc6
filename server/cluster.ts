import type { Clock } from './clock.js';
import { LocalClient } from './client/api-client.js';
import { controlPlaneNode, type ClusterConfig } from './config.js';
import { startDeploymentController } from './controllers/deployment/deployment-controller.js';
import { startDaemonSetController } from './controllers/daemonset/daemonset-controller.js';
import { startStatefulSetController } from './controllers/statefulset/statefulset-controller.js';
import { startPersistentVolumeController } from './controllers/pv-controller.js';
import { ApiEventRecorder, type EventRecorder, type EventSource } from './controllers/events.js';
import { ApiEventsRecorder, type EventsRecorder } from './controllers/events-v1.js';
import { KUBE_CONTROLLER_MANAGER } from './controllers/field-managers.js';
import { startReplicaSetController, startReplicationController } from './controllers/replicaset-controller.js';
import { startCronJobController } from './controllers/cronjob/cronjob-controller.js';
import { startJobController } from './controllers/job/job-controller.js';
import { startTTLAfterFinishedController } from './controllers/ttl-after-finished-controller.js';
import { startDisruptionController } from './controllers/disruption-controller.js';
import { startResourceQuotaController } from './controllers/resourcequota-controller.js';
import { startStorageProtectionControllers } from './controllers/storage-protection-controller.js';
import { startEndpointsController } from './controllers/endpoints-controller.js';
import { startEndpointSliceController } from './controllers/endpointslice-controller.js';
import { startKubeadmAddons } from './controllers/kubeadm-addons.js';
import { startStaticPods } from './kubelet/static-pods.js';
import { startEventTTL } from './controllers/event-ttl.js';
import { startPodGCController } from './controllers/podgc-controller.js';
import { InformerFactory } from './informers/factory.js';
import { startNodeLifecycleController } from './controllers/node-lifecycle-controller.js';
import { startTaintEvictionController } from './controllers/taint-eviction-controller.js';
import { startNodeAgents } from './kubelet/node-agent.js';
import { ContainerLogStore } from './kubelet/container-logs.js';
import { ContainerRegistry } from './kubelet/container-registry.js';
import { startKubelets } from './kubelet/fake-kubelet.js';
import type { KubeletSwitch } from './kubelet/kubelet-switch.js';
import { FaultState } from './faults/faults.js';
import { newKubeletSwitch, startFaultInjection } from './faults/fault-injection.js';
import type { Random } from './random.js';
import { Registry } from './registry/rest.js';
import type { ResourceTable } from '../schemas/index.js';
import type { Hub } from './watch/hub.js';
import { startScheduler } from './scheduler/scheduler.js';
import { startHorizontalPodAutoscalerController } from './controllers/podautoscaler/horizontal.js';

/**
 * What every simulated component (controllers, scheduler, kubelets) is started with: its own
 * API client (named field manager), the shared informers, the virtual clock, the injected random
 * source, an event recorder per source and the cluster config.
 */
export interface ClusterContext {
  client(fieldManager: string): LocalClient;
  informers: InformerFactory;
  clock: Clock;
  random: Random;
  /** A core/v1 recorder (client-go record) for `source`, writing as `fieldManager` (kube-controller-manager by default). */
  recorder(source: EventSource, fieldManager?: string): EventRecorder;
  /** An events.k8s.io recorder (client-go tools/events) reporting as `reportingController`, writing as `fieldManager`. */
  eventsRecorder(reportingController: string, fieldManager: string): EventsRecorder;
  config: ClusterConfig;
  table: ResourceTable;
  /** Which kubelets run; stopping one makes its node go NotReady. */
  kubelets: KubeletSwitch;
  /** Container logs the kubelets write and the pods/log route reads. */
  logs: ContainerLogStore;
  /** Running containers the kubelets register and the exec/attach routes reach. */
  containers: ContainerRegistry;
  /** Faults injected with `kd fault` (stopped kubelets, node pressure, image pulls). */
  faults: FaultState;
}

/** A component's start function: registers informer handlers, starts its loops, returns stop. */
export type StartComponent = (ctx: ClusterContext) => () => void;

/**
 * The simulated cluster's components in start order. Each registers its informer handlers first;
 * the shared informers start once all are registered, so every handler sees the initial objects.
 */
export const DEFAULT_COMPONENTS: StartComponent[] = [
  startFaultInjection,
  startNodeAgents,
  startKubelets,
  startStaticPods,
  startNodeLifecycleController,
  startTaintEvictionController,
  startScheduler,
  startReplicaSetController,
  startReplicationController,
  startDeploymentController,
  startDaemonSetController,
  startStatefulSetController,
  startJobController,
  startCronJobController,
  startTTLAfterFinishedController,
  startPersistentVolumeController,
  startStorageProtectionControllers,
  startEndpointsController,
  startEndpointSliceController,
  startDisruptionController,
  startHorizontalPodAutoscalerController,
  startResourceQuotaController,
  startPodGCController,
  startEventTTL,
  startKubeadmAddons,
];

/** What the cluster is built on. */
export interface ClusterDeps {
  registry: Registry;
  hub: Hub;
  table: ResourceTable;
  clock: Clock;
  random: Random;
  config: ClusterConfig;
  /** Shared with the API routes (pods/log); a fresh store when omitted. */
  logs?: ContainerLogStore;
  /** Shared with the API routes (pods/exec, pods/attach); a fresh registry when omitted. */
  containers?: ContainerRegistry;
  /** Shared with the admin routes (`kd fault`); none active when omitted. */
  faults?: FaultState;
}

/** Starts the simulated cluster on top of the registry; returns a stop function. */
export function startCluster(deps: ClusterDeps, components: StartComponent[] = DEFAULT_COMPONENTS): () => void {
  const ctx = newClusterContext(deps);
  const stops = components.map((start) => start(ctx));
  ctx.informers.start();
  return () => {
    for (const stop of stops.reverse()) stop();
    ctx.informers.stop();
  };
}

/** The context components are started with (exported for tests that start components one by one). */
export function newClusterContext(deps: ClusterDeps): ClusterContext {
  const { hub, table, clock, config } = deps;
  // Components draw uids and generated names from a stream of their own: their writes (events,
  // heartbeats, registrations) happen at clock-dependent moments and must not shift the uids and
  // IPs API clients get under --random-seed. The registry holds no state, so a second one over
  // the same store differs only in its random source.
  const random = deps.random.fork?.('cluster') ?? deps.random;
  const registry = new Registry({ ...deps.registry.deps, random });
  const client = (fieldManager: string) => new LocalClient(registry, hub, table, fieldManager);
  const informers = new InformerFactory(client('informers'));
  const faults = deps.faults ?? new FaultState();
  return {
    client,
    informers,
    clock,
    random,
    config,
    table,
    kubelets: newKubeletSwitch(faults, config.nodes.map((n) => n.name)),
    faults,
    logs: deps.logs ?? new ContainerLogStore(),
    containers: deps.containers ?? new ContainerRegistry(),
    recorder: (source, fieldManager = KUBE_CONTROLLER_MANAGER) => new ApiEventRecorder(client(fieldManager), clock, source),
    // The instance is `<controller>-<hostname>`, and the control-plane binaries run on the control-plane node.
    eventsRecorder: (controller, fieldManager) => new ApiEventsRecorder(client(fieldManager), clock, controller, `${controller}-${controlPlaneNode(config).name}`),
  };
}
