/**
 * What the shell does around a command's writes to stdout and stderr: a cancelled command's late
 * writes are dropped (its promise may still settle after Ctrl-C), and the progress line shown
 * during long waits is erased before anything else is written. Command bytes pass unchanged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The state of one running command, visible to every async continuation it starts. */
export interface CommandScope {
  cancelled: boolean;
}

const scopes = new AsyncLocalStorage<CommandScope>();

/** Runs fn in a command scope (its writes are dropped once scope.cancelled is set). */
export function runInScope<T>(scope: CommandScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/** Called before every write that passes (the progress line erases itself there). */
let beforeWrite: () => void = () => undefined;

type Write = typeof process.stdout.write;

/** Whether the last text a command wrote to stdout ended a line (the prompt must start on a fresh one). */
let stdoutAtLineStart = true;

/** True when stdout's last write ended with a newline (or nothing was written); resets the tracking. */
export function takeStdoutAtLineStart(): boolean {
  const v = stdoutAtLineStart;
  stdoutAtLineStart = true;
  return v;
}

/** Wraps stdout's and stderr's write once; returns the function that restores them. */
export function installOutputGate(): () => void {
  const originals: Array<[NodeJS.WriteStream, Write]> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    originals.push([stream, original]);
    stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
      if (scopes.getStore()?.cancelled) {
        const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
        cb?.();
        return true;
      }
      beforeWrite();
      const chunk = args[0];
      if (stream === process.stdout && (typeof chunk === 'string' || chunk instanceof Uint8Array) && chunk.length > 0) {
        stdoutAtLineStart = typeof chunk === 'string' ? chunk.endsWith('\n') : chunk[chunk.length - 1] === 0x0a;
      }
      return (original as (...a: unknown[]) => boolean).apply(this, args);
    } as Write;
  }
  return () => {
    for (const [stream, original] of originals) stream.write = original;
  };
}

/** Spinner frames and timings of the progress line. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PROGRESS_DELAY_MS = 1000;
const PROGRESS_TICK_MS = 200;

/**
 * Shows `⠋ waiting 12s (Ctrl-C cancels)` on stderr while a command has been silent for a second;
 * erased before the command writes again and when it ends. `write` must bypass the gate (the
 * original stderr write). Returns the stop function.
 */
export function startProgress(write: (text: string) => void): () => void {
  const started = performance.now();
  let lastOutput = started;
  let shown = false;
  let frame = 0;
  const clear = () => {
    if (shown) write('\r\x1b[K');
    shown = false;
  };
  beforeWrite = () => {
    clear();
    lastOutput = performance.now();
  };
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - lastOutput < PROGRESS_DELAY_MS) return;
    const seconds = Math.floor((now - started) / 1000);
    write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} waiting ${seconds}s (Ctrl-C cancels)`);
    shown = true;
  }, PROGRESS_TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    clear();
    beforeWrite = () => undefined;
  };
}
