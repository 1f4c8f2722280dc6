/**
 * Drives `kd shell` through a real pseudo-terminal made by util-linux `script` (Essential on
 * Debian, so CI has it): keystrokes go in through script's stdin, the terminal's output comes back
 * with its escape codes and `\r\n` line ends. Every wait is bounded, so a broken shell fails a test.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../support/kubectl.js';

/** How long a wait for terminal output lasts, in wall milliseconds. */
const WAIT_MS = 20_000;
/** Escape sequences (CSI and OSC) that readline and colours put in the terminal output. */
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** A running shell in a pty. */
export interface PtyShell {
  /** Everything the terminal showed so far, raw. */
  raw(): string;
  /** The output since the last mark, escape codes removed and `\r\n` as `\n`. */
  text(): string;
  /** Forgets the output so far for text() and waitFor(). */
  mark(): void;
  /** Types the keys (use `\r` for Enter, `\t` for TAB, `\x03` for Ctrl-C, `\x04` for Ctrl-D, `\x1b[A` for Up). */
  type(keys: string): void;
  /** Resolves once text() matches; rejects with the output after WAIT_MS. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the shell ends. */
  exited: Promise<number>;
}

/** Removes terminal escapes and carriage returns, for comparing text. */
export function plain(raw: string): string {
  return raw.replace(ESCAPES, '').replace(/\r\n/g, '\n').replace(/\r/g, '');
}

/**
 * Starts `node bin/kd.js shell` in a 150x50 pty with the given environment (PATH is added).
 *
 * @example
 * const s = openShell({ HOME: home, KUBECONFIG: d.kubeconfig, NO_COLOR: '1' });
 * await s.waitFor(/\$ $/);
 */
export function openShell(env: Record<string, string>, args: string[] = []): PtyShell {
  const kd = join(repoRoot(), 'bin', 'kd.js');
  const command = `stty cols 150 rows 50; exec '${process.execPath}' '${kd}' shell ${args.join(' ')}`;
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let all = '';
  let from = 0;
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    all += c;
    for (const w of waiters) w();
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (all += c));
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  const text = () => plain(all.slice(from));
  return {
    raw: () => all,
    text,
    mark: () => (from = all.length),
    type: (keys) => child.stdin.write(keys),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = text().match(pattern);
          if (!m) return;
          cleanup();
          resolve(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          child.kill('SIGKILL');
          reject(new Error(`no ${pattern} in the shell's output within ${WAIT_MS} ms:\n${JSON.stringify(text())}`));
        }, WAIT_MS);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    exited,
  };
}
