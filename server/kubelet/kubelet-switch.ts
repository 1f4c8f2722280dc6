/**
 * Which nodes' kubelets are running. A stopped kubelet neither heartbeats nor moves its pods,
 * which is how a node goes NotReady (`kd fault` and tests flip it). The node agent and the pod
 * workers of a node both consult it and listen for changes.
 */
export class KubeletSwitch {
  private readonly stopped = new Set<string>();
  private readonly listeners: Array<(node: string, running: boolean) => void> = [];

  /** True unless the node's kubelet was stopped. */
  isRunning(node: string): boolean {
    return !this.stopped.has(node);
  }

  /** Stops a node's kubelet (no-op when already stopped). */
  stop(node: string): void {
    if (this.stopped.has(node)) return;
    this.stopped.add(node);
    for (const l of this.listeners) l(node, false);
  }

  /** Starts a stopped kubelet again (no-op when running). */
  start(node: string): void {
    if (!this.stopped.delete(node)) return;
    for (const l of this.listeners) l(node, true);
  }

  /** Calls fn on every change; returns an unsubscribe function. */
  onChange(fn: (node: string, running: boolean) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}
