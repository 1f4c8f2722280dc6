/**
 * The running containers of every fake kubelet, by pod UID and container name: what the exec and
 * attach streams reach (the kubelet's streaming server looks containers up the same way). The pod
 * workers register their containers when they create them and forget them with the pod.
 */
import type { RuntimeContainer } from './container-runtime.js';

/** Containers by pod UID, then container name. */
export class ContainerRegistry {
  private readonly pods = new Map<string, Map<string, RuntimeContainer>>();

  /** Makes a pod's containers reachable (they may not have started yet). */
  register(podUID: string, containers: readonly RuntimeContainer[]): void {
    this.pods.set(podUID, new Map(containers.map((c) => [c.spec.name, c])));
  }

  /** The pod is gone from its node. */
  unregister(podUID: string): void {
    this.pods.delete(podUID);
  }

  /** A container of a pod, whatever its state; undefined when no kubelet runs the pod. */
  get(podUID: string, name: string): RuntimeContainer | undefined {
    return this.pods.get(podUID)?.get(name);
  }
}
