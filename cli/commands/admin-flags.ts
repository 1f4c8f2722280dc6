/**
 * What the admin commands (`kd clock|fault|snapshot|why`) share: the `--data-dir` option that
 * finds the daemon, a lazy import of the daemon client (undici and yaml load only when used), and
 * Go's duration syntax (`90s`, `5m`, `1h30m`).
 */
import type { Command } from 'commander';

/** Flags every admin command takes. */
export interface AdminFlags {
  dataDir?: string;
}

/**
 * The `--data-dir` of the command being run, wherever it was written: commander hands an option
 * that both a group and its subcommand define to the group, so the value is taken from the
 * running command and its parents once, before the action.
 */
let runningDataDir: string | undefined;

/** Adds `--data-dir` to a command (a group and each of its subcommands). */
export function withDataDir(cmd: Command): Command {
  return cmd.option('--data-dir <dir>', 'state directory of the cluster (default: ~/.kubedojo)').hook('preAction', (_self, action) => {
    runningDataDir = (action.optsWithGlobals() as AdminFlags).dataDir;
  });
}

/** Calls the daemon's admin API (see daemon-client.ts adminCall). */
export async function admin(flags: AdminFlags, method: string, path: string, body?: unknown): Promise<any> {
  const { adminCall } = await import('../daemon-client.js');
  return adminCall(flags.dataDir ?? runningDataDir, method, path, body);
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go duration (time.ParseDuration) into milliseconds; only non-negative values.
 * @example parseGoDuration('1h30m') // 5400000
 * @throws {Error} `time: invalid duration "<s>"` as Go words it
 */
export function parseGoDuration(text: string): number {
  const invalid = new Error(`time: invalid duration "${text}"`);
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw invalid;
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = re.lastIndex;
  }
  if (at === 0) throw invalid;
  return ms;
}

/** Formats milliseconds as Go prints a time.Duration rounded to seconds (`1h30m0s`, `45s`). */
export function formatGoSeconds(ms: number): string {
  let s = Math.round(ms / 1000);
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
