/**
 * Root program of `kd`, the kubedojo CLI. bin/kd.js calls main(process.argv); every command throws
 * on failure and the one error boundary here prints `error: <msg>` and sets process.exitCode.
 *
 * Commands are registered lazily: an invocation imports only the module of the verb it names (a
 * one-shot `kd get pods` never loads the other commands), and help, completion and the shell load
 * them all. Adding a command is adding one entry to COMMANDS.
 */
import type { Command as CommandType } from 'commander';
import { createRequire } from 'node:module';
import { PreformattedError, UsageError } from './commands/kube-flags.js';
import { messageForError } from './kube/errors.js';

// commander is CommonJS: require() skips the ESM wrapper and its export scan, a measurable part of a one-shot run.
const { Command, CommanderError } = createRequire(import.meta.url)('commander') as typeof import('commander');
type Command = CommandType;

/** A command module: the verbs it adds, and its register function behind a lazy import. */
export interface CommandModule {
  /** The verbs it registers; an invocation naming one of them loads only this module. */
  verbs: string[];
  register: (program: Command) => Promise<unknown>;
}

/** Every command of kd, in the order help lists them. One entry per command file. */
const COMMANDS: CommandModule[] = [
  { verbs: ['serve'], register: async (p) => (await import('./commands/serve.js')).registerServe(p) },
  { verbs: ['up', 'down', 'status', 'reset'], register: async (p) => (await import('./commands/lifecycle.js')).registerLifecycle(p) },
  { verbs: ['get'], register: async (p) => (await import('./commands/get.js')).registerGet(p) },
  { verbs: ['shell'], register: async (p) => (await import('./commands/shell.js')).registerShell(p) },
  { verbs: ['completion', '__complete'], register: async (p) => (await import('./commands/completion.js')).registerCompletion(p) },
];

/**
 * Builds the `kd` program: with a verb, only the module that registers it (all of them when no
 * module claims the verb); without one, every command.
 */
export async function buildProgram(verb?: string): Promise<Command> {
  const program = new Command('kd')
    .description('kubedojo — a Kubernetes practice cluster; kubectl-compatible')
    // Throw instead of exiting, so the boundary in main() decides the exit code (style.md §9.3).
    .exitOverride();
  // Subcommands created with .command() inherit exitOverride, so they must come after it.
  const owner = verb === undefined ? undefined : COMMANDS.find((m) => m.verbs.includes(verb));
  for (const m of owner ? [owner] : COMMANDS) await m.register(program);
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
    const program = await buildProgram(verbOf(argv.slice(2)));
    await program.parseAsync(splitShortFlagValues(argv));
  } catch (err) {
    checkErr(err);
  }
}

/**
 * Runs one command line's arguments in this process (the shell's way to run a command) and
 * resolves with its exit code; process.exitCode is left as it was found.
 *
 * @example
 * const code = await runCommand(['get', 'pods']);
 */
export async function runCommand(args: string[]): Promise<number> {
  const saved = process.exitCode;
  process.exitCode = 0;
  try {
    await main(['node', 'kd', ...args]);
    return Number(process.exitCode ?? 0);
  } finally {
    process.exitCode = saved;
  }
}

/** The verb an invocation names: its first argument that is not a flag. */
function verbOf(args: string[]): string | undefined {
  const first = args[0];
  return first === undefined || first.startsWith('-') ? undefined : first;
}

/** pflag takes `-o=yaml` as `-o yaml`; commander would read `=yaml` as the value. */
function splitShortFlagValues(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return argv.flatMap((arg, i) => {
    const m = /^-([a-zA-Z])=(.*)$/s.exec(arg);
    return m && (end < 0 || i < end) ? [`-${m[1]}`, m[2]!] : [arg];
  });
}

/** How error lines reach stderr; the shell swaps it to colour them. */
let writeError: (text: string) => void = (text) => process.stderr.write(text);

/** Replaces the writer of error lines (the shell colours them); returns the previous one. */
export function setErrorWriter(fn: (text: string) => void): (text: string) => void {
  const previous = writeError;
  writeError = fn;
  return previous;
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
    writeError(`${err.message}\n`);
    return;
  }
  if (err instanceof UsageError) {
    writeError(`error: ${err.message}\nSee '${err.commandPath} -h' for help and examples\n`);
    return;
  }
  // kubectl's StandardErrorMessage for API and connection errors; `error: <msg>` for the rest.
  const message = messageForError(err);
  writeError(message.startsWith('error: ') || message !== plainMessage(err) ? `${message}\n` : `error: ${message}\n`);
}

function plainMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
