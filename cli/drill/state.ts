/**
 * The active drill, kept in the data directory beside daemon.json (`drill.json`), so `kd drill
 * check` and `kd drill hint` work from any shell after the user fixed things with kubectl.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the file inside the data directory. */
export const DRILL_STATE_FILE = 'drill.json';

/** What is remembered about the active drill. */
export interface DrillState {
  name: string;
  /** Wall-clock start, RFC 3339: the user's time is what a time limit measures. */
  startedAt: string;
  /** How many hints have been shown. */
  hintsShown: number;
}

/** The active drill of a data directory, or undefined when none was started. */
export function readDrillState(dataDir: string): DrillState | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, DRILL_STATE_FILE), 'utf8')) as Partial<DrillState>;
    if (typeof v.name !== 'string' || typeof v.startedAt !== 'string') return undefined;
    return { name: v.name, startedAt: v.startedAt, hintsShown: typeof v.hintsShown === 'number' ? v.hintsShown : 0 };
  } catch {
    return undefined;
  }
}

/** Writes the state atomically (a rename), so a concurrent `kd drill check` never reads half a file. */
export function writeDrillState(dataDir: string, state: DrillState): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DRILL_STATE_FILE);
  writeFileSync(`${path}.tmp-${process.pid}`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp-${process.pid}`, path);
}

/** The active drill, or an error telling the user to start one. */
export function activeDrill(dataDir: string): DrillState {
  const state = readDrillState(dataDir);
  if (!state) throw new Error("no drill is active: list them with 'kd drill list' and start one with 'kd drill start NAME'");
  return state;
}

/** `1h2m`, `3m12s`, `45s`: an elapsed wall time for humans. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h${m}m`;
  return m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}
