/**
 * Root program of `kd`, the kubedojo CLI. bin/kd.js calls main(process.argv); every command throws
 * on failure and the one error boundary here prints `error: <msg>` and sets process.exitCode.
 */
import { Command, CommanderError } from 'commander';
import { registerApiResources } from './commands/api-resources.js';
import { registerAuth } from './commands/auth.js';
import { registerClusterInfo } from './commands/cluster-info.js';
import { registerConfig } from './commands/config.js';
import { registerExplain } from './commands/explain.js';
import { registerGet } from './commands/get.js';
import { PreformattedError, UsageError } from './commands/kube-flags.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerServe } from './commands/serve.js';
import { registerVersion } from './commands/version.js';
import { messageForError } from './kube/errors.js';

/** Builds the `kd` program with all of its commands. */
export function buildProgram(): Command {
  const program = new KdCommand('kd')
    .description('kubedojo — a Kubernetes practice cluster; kubectl-compatible')
    // Throw instead of exiting, so the boundary in main() decides the exit code (style.md §9.3).
    .exitOverride()
    // Flag errors are printed by checkErr in pflag's words, not commander's.
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(false);
  // Subcommands created with .command() inherit exitOverride, so they must come after it.
  registerServe(program);
  registerLifecycle(program);
  registerGet(program);
  registerApiResources(program);
  registerVersion(program);
  registerAuth(program);
  registerClusterInfo(program);
  registerConfig(program);
  registerExplain(program);
  return program;
}

/** A Command that remembers which (sub)command raised a parse error, for kubectl's `See '…' for usage.` line. */
class KdCommand extends Command {
  override createCommand(name?: string): Command {
    return new KdCommand(name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    failedCommand = this;
    return super.error(message, errorOptions);
  }
}

let failedCommand: Command | undefined;
/** The arguments of this run, to tell `-o` from `--output` in a missing-value error. */
let failedArgs: string[] = [];

/**
 * Runs `kd` with a full argv (`[node, script, ...args]`) and reports failures.
 *
 * @example
 * await main(['node', 'kd', 'serve', '--port', '0']);
 */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    failedArgs = argv.slice(2);
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
    process.exitCode = err.exitCode;
    // Help and version output were printed by commander itself; errors are left to us.
    if (err.exitCode !== 0 && err.code !== 'commander.help' && err.code !== 'commander.helpDisplayed') process.stderr.write(flagErrorText(err));
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

/** commander's parse errors in the words of pflag and cobra, which kubectl prints. */
function flagErrorText(err: CommanderError): string {
  const path = ['kubectl', ...commandNames(failedCommand).slice(1)].join(' ');
  const flag = /'(-[^' ,]+)(?:, (--[^' ]+))?/.exec(err.message);
  let text = err.message.replace(/^error: /, '');
  if (err.code === 'commander.unknownOption' && flag) {
    const f = flag[1]!;
    text = f.startsWith('--') ? `unknown flag: ${f}` : `unknown shorthand flag: '${f.slice(1, 2)}' in ${f}`;
  } else if (err.code === 'commander.optionMissingArgument' && flag) {
    const short = flag[2] ? flag[1]! : undefined;
    const given = failedArgs.find((a) => a === short || a === (flag[2] ?? flag[1]));
    text = given && !given.startsWith('--') ? `flag needs an argument: '${given.slice(1)}' in ${given}` : `flag needs an argument: ${flag[2] ?? flag[1]}`;
  } else {
    return `error: ${text}\n`;
  }
  return `error: ${text}\nSee '${path} --help' for usage.\n`;
}

function commandNames(cmd: Command | undefined): string[] {
  const names: string[] = [];
  for (let c: Command | null | undefined = cmd; c; c = c.parent) names.unshift(c.name());
  return names;
}

function plainMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
