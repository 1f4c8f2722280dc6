/**
 * The file a running daemon keeps in its data directory (`daemon.json`), so `kd up`, `kd status`,
 * `kd down` and `kd reset` find it whichever way it was started, and a second daemon never opens
 * the same state. The daemon writes it once it listens and removes it when it shuts down cleanly;
 * a file whose process is gone is stale.
 */

/** Name of the file inside the data directory. */
export const DAEMON_INFO_FILE = 'daemon.json';

/** What a running daemon says about itself. */
export interface DaemonInfo {
  pid: number;
  /** The URL clients dial, e.g. `https://127.0.0.1:6443`. */
  url: string;
  /** The kubeconfig the daemon wrote for its users. */
  kubeconfig: string;
  /** How many times faster than real time the cluster clock runs. */
  speed: number;
}

/** Parses the file's text; undefined when it is not a daemon-info document. */
export function parseDaemonInfo(text: string): DaemonInfo | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = v as Partial<DaemonInfo> | null;
  if (!o || typeof o.pid !== 'number' || typeof o.url !== 'string' || typeof o.kubeconfig !== 'string' || typeof o.speed !== 'number') return undefined;
  return { pid: o.pid, url: o.url, kubeconfig: o.kubeconfig, speed: o.speed };
}

/** True when a process with this pid exists (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The data directory when none is given: `~/.kubedojo`. */
export function defaultDataDir(home: string): string {
  return `${home.replace(/\/+$/, '')}/.kubedojo`;
}
