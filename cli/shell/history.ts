/**
 * The shell's history, kept across sessions in `~/.kubedojo/history` (or $KD_HISTORY_FILE): loaded
 * at start, appended to as each command line is entered (so two shells at once both keep theirs),
 * trimmed to the last HISTORY_SIZE lines when loaded.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Lines kept, as bash's default HISTSIZE. */
export const HISTORY_SIZE = 1000;

/** The history file for an environment. */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env['KD_HISTORY_FILE'] || join(env['HOME'] || homedir(), '.kubedojo', 'history');
}

/** The history lines, most recent first (readline's order); an unreadable file is an empty history. */
export function loadHistory(file: string): string[] {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
  if (lines.length > HISTORY_SIZE) {
    lines = lines.slice(-HISTORY_SIZE);
    tryWrite(() => writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 }));
  }
  return lines.reverse();
}

/** Appends one entered line to the file. */
export function appendHistory(file: string, line: string): void {
  tryWrite(() => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
  });
}

function tryWrite(fn: () => void): void {
  try {
    fn();
  } catch {
    // History is a convenience: a read-only home must not stop the shell.
  }
}
