/**
 * `kd shell`: the interactive practice shell (cli/shell/repl.ts), also what `npm start` opens.
 */
import type { Command } from 'commander';

/** Adds `shell` to the root program. */
export function registerShell(program: Command): void {
  program
    .command('shell')
    .description('Open the interactive practice shell: kubectl commands with completion and history')
    .action(async () => {
      const { runShell } = await import('../shell/repl.js');
      process.exitCode = await runShell();
    });
}
