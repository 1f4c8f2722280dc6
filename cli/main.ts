/**
 * Root program of `kd`, the kubedojo CLI. bin/kd.js calls main(process.argv); every command throws
 * on failure and the one error boundary here prints `error: <msg>` and sets process.exitCode.
 *
 * Commands are registered lazily: an invocation imports only the module of the verb it names (a
 * one-shot `kd get pods` never loads the other commands), and help, completion and the shell load
 * them all. Adding a command is adding one entry to COMMANDS.
 */
import { Command, CommanderError } from 'commander';
import { PreformattedError, UsageError } from './commands/kube-flags.js';
import { ConnectionError, messageForError } from './kube/errors.js';


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
  { verbs: ['api-resources', 'api-versions'], register: async (p) => (await import('./commands/api-resources.js')).registerApiResources(p) },
  { verbs: ['version'], register: async (p) => (await import('./commands/version.js')).registerVersion(p) },
  { verbs: ['auth'], register: async (p) => (await import('./commands/auth.js')).registerAuth(p) },
  { verbs: ['cluster-info'], register: async (p) => (await import('./commands/cluster-info.js')).registerClusterInfo(p) },
  { verbs: ['config'], register: async (p) => (await import('./commands/config.js')).registerConfig(p) },
  { verbs: ['explain'], register: async (p) => (await import('./commands/explain.js')).registerExplain(p) },
  { verbs: ['shell'], register: async (p) => (await import('./commands/shell.js')).registerShell(p) },
  { verbs: ['completion', '__complete'], register: async (p) => (await import('./commands/completion.js')).registerCompletion(p) },
  { verbs: ['create'], register: async (p) => (await import('./commands/create.js')).registerCreate(p) },
  { verbs: ['delete'], register: async (p) => (await import('./commands/delete.js')).registerDelete(p) },
  { verbs: ['diff'], register: async (p) => (await import('./commands/diff.js')).registerDiff(p) },
  { verbs: ['apply'], register: async (p) => (await import('./commands/apply.js')).registerApply(p) },
  { verbs: ['replace'], register: async (p) => (await import('./commands/replace.js')).registerReplace(p) },
  { verbs: ['edit'], register: async (p) => (await import('./commands/edit.js')).registerEdit(p) },
  { verbs: ['label'], register: async (p) => (await import('./commands/label.js')).registerLabel(p) },
  { verbs: ['annotate'], register: async (p) => (await import('./commands/annotate.js')).registerAnnotate(p) },
  { verbs: ['cordon', 'uncordon'], register: async (p) => (await import('./commands/cordon.js')).registerCordon(p) },
  { verbs: ['taint'], register: async (p) => (await import('./commands/taint.js')).registerTaint(p) },
  { verbs: ['scale'], register: async (p) => (await import('./commands/scale.js')).registerScale(p) },
  { verbs: ['patch'], register: async (p) => (await import('./commands/patch.js')).registerPatch(p) },
  { verbs: ['set'], register: async (p) => (await import('./commands/set.js')).registerSet(p) },
  { verbs: ['run'], register: async (p) => (await import('./commands/run.js')).registerRun(p) },
  { verbs: ['expose'], register: async (p) => (await import('./commands/expose.js')).registerExpose(p) },
  { verbs: ['autoscale'], register: async (p) => (await import('./commands/autoscale.js')).registerAutoscale(p) },
  { verbs: ['describe'], register: async (p) => (await import('./commands/describe.js')).registerDescribe(p) },
  { verbs: ['events'], register: async (p) => (await import('./commands/events.js')).registerEvents(p) },
  { verbs: ['logs'], register: async (p) => (await import('./commands/logs.js')).registerLogs(p) },
  { verbs: ['exec'], register: async (p) => (await import('./commands/exec.js')).registerExec(p) },
  { verbs: ['attach'], register: async (p) => (await import('./commands/attach.js')).registerAttach(p) },
  { verbs: ['top'], register: async (p) => (await import('./commands/top.js')).registerTop(p) },
  { verbs: ['rollout'], register: async (p) => (await import('./commands/rollout.js')).registerRollout(p) },
  { verbs: ['wait'], register: async (p) => (await import('./commands/wait.js')).registerWait(p) },
  { verbs: ['drain'], register: async (p) => (await import('./commands/drain.js')).registerDrain(p) },
  { verbs: ['clock'], register: async (p) => (await import('./commands/clock.js')).registerClock(p) },
  { verbs: ['fault'], register: async (p) => (await import('./commands/fault.js')).registerFault(p) },
  { verbs: ['snapshot'], register: async (p) => (await import('./commands/snapshot.js')).registerSnapshot(p) },
  { verbs: ['why'], register: async (p) => (await import('./commands/why.js')).registerWhy(p) },
  { verbs: ['drill'], register: async (p) => (await import('./commands/drill.js')).registerDrill(p) },
];

/**
 * Builds the `kd` program: with a verb, only the module that registers it (all of them when no
 * module claims the verb); without one, every command.
 */
export async function buildProgram(verb?: string): Promise<Command> {
  const program = new KdCommand('kd')
    .description('kubedojo — a Kubernetes practice cluster; kubectl-compatible')
    // Throw instead of exiting, so the boundary in main() decides the exit code (style.md §9.3).
    .exitOverride()
    // Flag errors are printed by checkErr in pflag's words, not commander's.
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(false);
  // Subcommands created with .command() inherit exitOverride, so they must come after it.
  const owner = verb === undefined ? undefined : COMMANDS.find((m) => m.verbs.includes(verb));
  for (const m of owner ? [owner] : COMMANDS) await m.register(program);
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
    const args = hoistGlobalFlags(argv.slice(2));
    failedArgs = args;
    const program = await buildProgram(verbOf(args));
    await program.parseAsync(splitShortFlagValues([...argv.slice(0, 2), ...args]));
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

/** The global flags kd's kubectl verbs take, which kubectl also reads before the verb (`kubectl -n kube-system get pods`). */
const GLOBAL_FLAGS = new Set(['--kubeconfig', '--context', '--namespace', '-n']);

/**
 * Moves the global flags written before the verb to just before the first flag after it (else the
 * end): pflag reads persistent flags anywhere, commander only at the command that declares them.
 * Ahead of the later flags they keep pflag's rule that the last value wins.
 */
function hoistGlobalFlags(args: string[]): string[] {
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    const name = /^--[^=]+/.exec(arg)?.[0] ?? arg.slice(0, 2);
    if (!GLOBAL_FLAGS.has(name)) break;
    // `--namespace x` and `-n x` take the next argument; `--namespace=x`, `-nx` and `-n=x` do not.
    i += arg === name ? 2 : 1;
  }
  if (i > args.length) return args;
  const rest = args.slice(i);
  // Any other flag ahead of the verb sends kubectl looking for a plugin, which it refuses to do.
  if (rest.length > 2 && rest[0]!.startsWith('-') && !['-h', '--help'].includes(rest[0]!)) {
    throw new PreformattedError([new Error(`Error: flags cannot be placed before plugin name: ${args[0]}`)]);
  }
  if (i === 0) return args;
  const at = rest.findIndex((a, k) => k > 0 && a.startsWith('-'));
  return at < 0 ? [...rest, ...args.slice(0, i)] : [...rest.slice(0, at), ...args.slice(0, i), ...rest.slice(at)];
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

/**
 * Verbs whose failures exit one higher than kubectl's usual 1 (cmdutil.CheckDiffErr): for diff, 1
 * means that differences were found. Their flag errors read like usage errors.
 */
const DIFF_EXIT_VERBS = new Set(['diff']);

/** The CLI's single error boundary: prints the error and sets the exit code. */
function checkErr(err: unknown): void {
  const verb = verbOf(failedArgs);
  const diffExit = verb !== undefined && DIFF_EXIT_VERBS.has(verb);
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
    // Help and version output were printed by commander itself; errors are left to us.
    if (err.exitCode === 0 || err.code === 'commander.help' || err.code === 'commander.helpDisplayed') return;
    if (!diffExit) return void process.stderr.write(flagErrorText(err));
    process.exitCode = 2;
    process.stderr.write(`${flagErrorText(err).split('\n')[0]}\nSee 'kubectl ${verb} -h' for help and examples\n`);
    return;
  }
  process.exitCode = diffExit ? 2 : 1;
  // kubectl prints connection failures bare, without `error: `.
  if (err instanceof PreformattedError || err instanceof ConnectionError) {
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

/** commander's parse errors in the words of pflag and cobra, which kubectl prints. */
function flagErrorText(err: InstanceType<typeof CommanderError>): string {
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
