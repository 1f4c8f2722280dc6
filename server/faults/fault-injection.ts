/**
 * Where faults meet the running cluster: the component that keeps the kubelet switch in line with
 * the KubeletStopped faults, and the one-shot CrashContainer action. The pressure and image-pull
 * faults need no component: the node agents and image pullers read FaultState when they act.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import type { Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { StatusError, notFound } from '../api/errors.js';
import type { ContainerLogStore } from '../kubelet/container-logs.js';
import type { ContainerRegistry } from '../kubelet/container-registry.js';
import { KubeletSwitch } from '../kubelet/kubelet-switch.js';
import type { FaultState } from './faults.js';

/** A kubelet switch whose nodes held by KubeletStopped faults start stopped (their agents never boot). */
export function newKubeletSwitch(faults: FaultState, nodes: readonly string[]): KubeletSwitch {
  const kubelets = new KubeletSwitch();
  for (const n of nodes) if (faults.kubeletStopped(n)) kubelets.stop(n);
  return kubelets;
}

/** Follows FaultState: adding a KubeletStopped fault stops that kubelet, removing it starts it again. */
export const startFaultInjection: StartComponent = (ctx: ClusterContext) => {
  const sync = (): void => {
    for (const { name } of ctx.config.nodes) {
      if (ctx.faults.kubeletStopped(name)) ctx.kubelets.stop(name);
      else ctx.kubelets.start(name);
    }
  };
  sync();
  return ctx.faults.onChange(sync);
};

/** What crashContainer needs: the pods, the kubelets' running containers and their logs. */
export interface CrashDeps {
  client: LocalClient;
  containers: ContainerRegistry;
  logs: ContainerLogStore;
  clock: Clock;
}

/**
 * Kills a running container's process now, as if it died (SIGKILL: exit code 137, reason Error);
 * the kubelet then applies the pod's restart policy and CrashLoopBackOff as for any exit.
 * @throws {StatusError} 404 for an unknown pod or container, 409 when the container is not running
 */
export function crashContainer(deps: CrashDeps, target: { namespace: string; pod: string; container?: string }): { container: string } {
  const pod = deps.client.get('pods', { namespace: target.namespace, name: target.pod }) as unknown as Pod | undefined;
  if (!pod) throw notFound({ group: '', resource: 'pods', name: target.pod });
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  const name = target.container ?? pod.spec?.containers?.[0]?.name ?? '';
  if (!names.includes(name)) throw new StatusError(404, 'NotFound', `container ${name} is not valid for pod ${target.pod}`);
  const uid = pod.metadata?.uid ?? '';
  const c = deps.containers.get(uid, name);
  if (!c || c.state !== 'running' || !c.program || !c.containerID) {
    throw new StatusError(409, 'Conflict', `Cannot crash container ${name} of pod ${target.namespace}/${target.pod} as it is not running`);
  }
  const now = deps.clock.now();
  // Run the program up to now first, so the lines it wrote before dying are in its log.
  deps.logs.append(c.containerID, c.program.advance(now).logs);
  c.program.kill(now);
  deps.containers.sync(uid);
  return { container: name };
}
