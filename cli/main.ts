/**
 * Root program of `kd`, the kubedojo CLI. bin/kd.js calls main(process.argv); every command throws
 * on failure and the one error boundary here prints `error: <msg>` and sets process.exitCode.
 */
import { Command, CommanderError } from 'commander';
import { registerGet } from './commands/get.js';
import { PreformattedError, UsageError } from './commands/kube-flags.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerServe } from './commands/serve.js';
import { registerClock } from './commands/clock.js';
import { registerFault } from './commands/fault.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerWhy } from './commands/why.js';
import { messageForError } from './kube/errors.js';

/** Builds the `kd` program with all of its commands. */
export function buildProgram(): Command {
  const program = new Command('kd')
    .description('kubedojo — a Kubernetes practice cluster; kubectl-compatible')
    // Throw instead of exiting, so the boundary in main() decides the exit code (style.md §9.3).
    .exitOverride();
  // Subcommands created with .command() inherit exitOverride, so they must come after it.
  registerServe(program);
  registerLifecycle(program);
  registerGet(program);
  registerClock(program);
  registerFault(program);
  registerSnapshot(program);
  registerWhy(program);
  return program;
}

/**
 * Runs `kd` with a full argv (`[node, script, ...args]`) and reports failures.
 *
 * @example
 * await main(['node', 'kd', 'serve', '--port', '0']);
 */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(splitShortFlagValues(argv));
  } catch (err) {
    checkErr(err);
  }
}

/** pflag takes `-o=yaml` as `-o yaml`; commander would read `=yaml` as the value. */
function splitShortFlagValues(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return argv.flatMap((arg, i) => {
    const m = /^-([a-zA-Z])=(.*)$/s.exec(arg);
    return m && (end < 0 || i < end) ? [`-${m[1]}`, m[2]!] : [arg];
  });
}

/** The CLI's single error boundary: prints the error and sets the exit code. */
function checkErr(err: unknown): void {
  if (err instanceof CommanderError) {
    // commander has already printed its own message (or the help text) before throwing.
    process.exitCode = err.exitCode;
    return;
  }
  process.exitCode = 1;
  if (err instanceof PreformattedError) {
    process.stderr.write(`${err.message}\n`);
    return;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\nSee '${err.commandPath} -h' for help and examples\n`);
    return;
  }
  // kubectl's StandardErrorMessage for API and connection errors; `error: <msg>` for the rest.
  const message = messageForError(err);
  process.stderr.write(message.startsWith('error: ') || message !== plainMessage(err) ? `${message}\n` : `error: ${message}\n`);
}

function plainMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
