/**
 * kubectl's StreamOptions.SetupTTY (kubectl pkg/cmd/exec/exec.go) for `kd`: a raw terminal only
 * when stdin is attached, a TTY is asked for and stdin really is a terminal; otherwise kubectl's
 * warning and plain streams.
 */
import type { KubeClient } from '../kube/client.js';
import { runStream, type StreamResult, type StreamSession } from './stream.js';

/** The terminal state of one session. */
export interface Tty {
  /** True when stdin is a terminal put in raw mode. */
  raw: boolean;
  size(): { width: number; height: number } | undefined;
  onResize(fn: () => void): () => void;
  /** Puts the terminal back as it was. */
  restore(): void;
}

/** Sets the terminal up for a session that wants stdin and a TTY. */
export function setupTty(stdin: boolean, tty: boolean, quiet: boolean): Tty {
  const plain: Tty = { raw: false, size: () => undefined, onResize: () => () => {}, restore: () => {} };
  if (!stdin || !tty) return plain;
  if (!process.stdin.isTTY) {
    if (!quiet) process.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    return plain;
  }
  process.stdin.setRawMode(true);
  return {
    raw: true,
    size: () => (process.stdout.columns ? { width: process.stdout.columns, height: process.stdout.rows } : undefined),
    onResize: (fn) => {
      process.stdout.on('resize', fn);
      return () => process.stdout.off('resize', fn);
    },
    restore: () => process.stdin.setRawMode(false),
  };
}

/**
 * Runs an exec or attach session on this process's streams and terminal (stderr merges into the
 * raw TTY, as kubectl's), putting the terminal back however the session ends.
 */
export async function runOnTerminal(client: KubeClient, target: Pick<StreamSession, 'subresource' | 'namespace' | 'pod' | 'container' | 'command'>, t: Tty, stdin: boolean): Promise<StreamResult> {
  try {
    return await runStream(client, {
      ...target,
      stdin: stdin ? process.stdin : undefined,
      stdout: process.stdout,
      stderr: t.raw ? undefined : process.stderr,
      tty: t.raw,
      size: t.size,
      onResize: t.onResize,
    });
  } finally {
    t.restore();
  }
}
