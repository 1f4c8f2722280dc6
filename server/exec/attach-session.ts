/**
 * `kubectl attach` (and `kubectl run -i`): the output the container's main program writes from now
 * on, until it exits, then a Success status as the kubelet's ServeAttach writes it. Input goes to
 * the program when the container keeps stdin open (spec.stdin); with stdinOnce the first attached
 * client's end of input closes it for good.
 */
import type { Clock } from '../clock.js';
import type { ContainerLogStore } from '../kubelet/container-logs.js';
import type { Program } from '../kubelet/programs.js';
import type { SessionSink } from './exec-session.js';
import { successStatus } from './protocol.js';

/** Options of one attach: which streams the client wants and whether it is a terminal. */
export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The attached container: its log, its program, its stdin settings and its pod worker. */
export interface AttachTarget {
  logs: ContainerLogStore;
  containerID: string;
  program: Program;
  /** spec.stdin and spec.stdinOnce of the container. */
  stdin: boolean;
  stdinOnce: boolean;
  clock: Clock;
  /** Runs the pod worker now, so that written input is processed at once. */
  sync(): void;
}

/** A running attach; abort() when the client goes away. */
export class AttachSession {
  private unfollow: (() => void) | undefined;
  private done = false;
  private stdinClosed = false;

  constructor(private readonly target: AttachTarget, private readonly opts: AttachOptions, private readonly sink: SessionSink) {}

  /** Follows the container's output until it exits. */
  start(): void {
    const unfollow = this.target.logs.follow(this.target.containerID, { timestamps: false }, (chunk) => {
      if (chunk === undefined) return this.end();
      // The log merges both streams; an attached client sees them on its stdout.
      if (this.opts.stdout) this.sink.stdout(this.opts.tty ? chunk.replace(/\r?\n/g, '\r\n') : chunk);
    });
    if (this.done) unfollow();
    else this.unfollow = unfollow;
  }

  /** Bytes on the stdin channel. */
  input(data: Buffer): void {
    if (!this.opts.stdin || !this.target.stdin || this.stdinClosed) return;
    this.target.program.writeStdin(data.toString('utf8'), this.target.clock.now());
    this.target.sync();
  }

  /** The client's input ended: a stdinOnce container sees end of file. */
  closeStdin(): void {
    if (!this.opts.stdin || !this.target.stdinOnce || this.stdinClosed) return;
    this.stdinClosed = true;
    this.target.program.closeStdin(this.target.clock.now());
    this.target.sync();
  }

  /** The client went away (detaching ends a stdinOnce container's input too). */
  abort(): void {
    this.closeStdin();
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
