/**
 * The daemon's side of `daemon.json` (schemas/daemon-info.ts): claimed before the state is opened,
 * so two daemons never share one database, and removed at a clean shutdown.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAEMON_INFO_FILE, parseDaemonInfo, processAlive, type DaemonInfo } from '../schemas/daemon-info.js';

/** Fails when another live daemon already serves this data directory; a stale file is ignored. */
export function assertDataDirFree(dataDir: string): void {
  const other = readInfo(dataDir);
  if (other && other.pid !== process.pid && processAlive(other.pid)) {
    throw new Error(`Cannot start as kubedojo is already running on ${dataDir} (pid ${other.pid}, ${other.url}): stop it with 'kd down' first`);
  }
}

/** Announces this daemon; returns the function that withdraws the announcement. */
export function writeDaemonInfo(dataDir: string, info: DaemonInfo): () => void {
  const path = join(dataDir, DAEMON_INFO_FILE);
  writeFileSync(path, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  return () => {
    if (readInfo(dataDir)?.pid === info.pid) rmSync(path, { force: true });
  };
}

function readInfo(dataDir: string): DaemonInfo | undefined {
  try {
    return parseDaemonInfo(readFileSync(join(dataDir, DAEMON_INFO_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}
