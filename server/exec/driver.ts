/**
 * Runs a shell generator (shell.ts) on the virtual clock: every yielded sleep becomes a clock timer,
 * so `sleep 5` in an exec session takes five virtual seconds and no wall time of its own.
 */
import type { Clock } from '../clock.js';
import { ShellExit, type ShellHost, type ShellRun } from '../kubelet/shell.js';

/**
 * Steps `run` until it ends and calls done(exitCode, exited) — `exited` when the `exit` builtin
 * ended it; returns a cancel function. A sleep of Infinity waits until cancelled.
 * @example const cancel = driveShell(run, host, clock, (code) => finish(code));
 */
export function driveShell(run: ShellRun, host: ShellHost, clock: Clock, done: (code: number, exited: boolean) => void): () => void {
  let cancelTimer = (): void => {};
  let cancelled = false;
  const step = (): void => {
    if (cancelled) return;
    host.now = clock.now();
    let r: IteratorResult<number, number>;
    try {
      r = run.next();
    } catch (e) {
      if (e instanceof ShellExit) return done(e.code, true);
      throw e;
    }
    if (r.done) return done(r.value, false);
    if (Number.isFinite(r.value)) cancelTimer = clock.setTimer(step, r.value);
  };
  step();
  return () => {
    cancelled = true;
    cancelTimer();
  };
}
