/**
 * The running containers of every fake kubelet, by pod UID and container name: what the exec and
 * attach streams reach (the kubelet's streaming server looks containers up the same way). The pod
 * workers register their containers when they create them and forget them with the pod.
 */
import type { RuntimeContainer } from './container-runtime.js';

/** Containers by pod UID, then container name. */
export class ContainerRegistry {
  // The pod worker's own list: a pod has a few containers, and a Map of them per pod cost more than
  // the lookups it saved.
  private readonly pods = new Map<string, { containers: readonly RuntimeContainer[]; sync: () => void }>();

  /**
   * Makes a pod's containers reachable (they may not have started yet); `sync` runs the pod worker
   * now, so that input written to a container takes effect at once.
   */
  register(podUID: string, containers: readonly RuntimeContainer[], sync: () => void): void {
    this.pods.set(podUID, { containers, sync });
  }

  /** The pod is gone from its node. */
  unregister(podUID: string): void {
    this.pods.delete(podUID);
  }

  /** Runs the pod's worker at the current time (after stdin reached one of its containers). */
  sync(podUID: string): void {
    this.pods.get(podUID)?.sync();
  }

  /** A container of a pod, whatever its state; undefined when no kubelet runs the pod. */
  get(podUID: string, name: string): RuntimeContainer | undefined {
    return this.pods.get(podUID)?.containers.find((c) => c.spec.name === name);
  }
}
