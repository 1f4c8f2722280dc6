/**
 * `kubectl attach` (and `kubectl run -i`): the output the container's main program writes from now
 * on, until it exits, then a Success status as the kubelet's ServeAttach writes it. The simulated
 * programs do not read stdin, so attached input is discarded.
 */
import type { ContainerLogStore } from '../kubelet/container-logs.js';
import type { SessionSink } from './exec-session.js';
import { successStatus } from './protocol.js';

/** Options of one attach: which streams the client wants and whether it is a terminal. */
export interface AttachOptions {
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A running attach; abort() when the client goes away. */
export class AttachSession {
  private unfollow: (() => void) | undefined;
  private done = false;

  constructor(private readonly logs: ContainerLogStore, private readonly containerID: string, private readonly opts: AttachOptions, private readonly sink: SessionSink) {}

  /** Follows the container's output until it exits. */
  start(): void {
    const unfollow = this.logs.follow(this.containerID, { timestamps: false }, (chunk) => {
      if (chunk === undefined) return this.end();
      // The log merges both streams; an attached client sees them on its stdout.
      if (this.opts.stdout) this.sink.stdout(this.opts.tty ? chunk.replace(/\r?\n/g, '\r\n') : chunk);
    });
    if (this.done) unfollow();
    else this.unfollow = unfollow;
  }

  /** The client went away. */
  abort(): void {
    this.done = true;
    this.unfollow?.();
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.unfollow?.();
    this.sink.finish(successStatus());
  }
}
