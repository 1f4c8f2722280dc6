import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RealClock, type Clock } from './clock.js';

/** How often the virtual time is saved, in wall time: what a crash can lose of a sped-up clock. */
const SAVE_INTERVAL_MS = 5_000;
const FILE = 'clock';

/** The virtual time a previous run of the daemon saved in its data directory, if any. */
export function loadVirtualTime(dataDir: string): number | undefined {
  try {
    const ms = Number(readFileSync(join(dataDir, FILE), 'utf8').trim());
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the clock's reading now and every few wall seconds; the returned stop saves it once more. */
export function saveVirtualTime(dataDir: string, clock: Clock): () => void {
  const save = (): void => writeFileSync(join(dataDir, FILE), `${clock.now()}\n`);
  const wall = new RealClock();
  let cancel = (): void => {};
  const loop = (): void => {
    save();
    cancel = wall.setTimer(loop, SAVE_INTERVAL_MS);
  };
  loop();
  return () => {
    cancel();
    save();
  };
}
