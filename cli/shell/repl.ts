/**
 * `kd shell`: the interactive practice shell. Each line is a kd command (a leading `kubectl`, `k`
 * or `kd` is dropped) run in this process through the same program as a one-shot `kd`, all sharing
 * one pooled connection and in-memory discovery. Multi-line input: a command reading `-f -` takes
 * the lines that follow up to a line `EOF` (or the word of an explicit `<<WORD`). Builtins: `exit
 * [code]`, `quit`, `help`, and `!<command>` for the system shell.
 */
import { spawnSync } from 'node:child_process';
import type { Completer } from 'node:readline';
import { Readable } from 'node:stream';
import { ConnectionPool, useConnectionPool } from '../kube/connect.js';
import { buildProgram, runCommand, setErrorWriter } from '../main.js';
import { complete, kubeFlagsOf, specOf, type CommandSpec } from './complete.js';
import { appendHistory, historyFile, loadHistory } from './history.js';
import { parseCommand, splitLine, stripPrefix } from './line.js';
import { clusterSource, NameCache } from './names.js';
import { installOutputGate, runInScope, startProgress, takeStdoutAtLineStart, type CommandScope } from './output.js';
import { pipeReader, terminalReader, type LineReader } from './reader.js';
import { chalkFor, errorText, promptText } from './style.js';

/** Builtins offered by completion next to the verbs. */
const BUILTINS = ['exit', 'help', 'quit'];
/** Exit code of a command cancelled with Ctrl-C, as a shell reports SIGINT. */
const CANCELLED_CODE = 130;
const HELP_TEXT = `kd shell: type kd or kubectl commands, with or without a leading 'kubectl', 'k' or 'kd':
  get pods            k get deploy -A            kubectl describe node node01
TAB completes verbs, flags, resource types and object names; history is kept across sessions.
Multi-line input: 'apply -f -' (or create/replace -f -) reads the lines that follow up to a line
'EOF'; 'apply -f - <<END' ends at 'END' instead.
Ctrl-C cancels a running command; Ctrl-D, 'exit' or 'quit' leaves. '!cmd' runs cmd in the system shell.
`;

/** Runs the shell until exit or end of input; resolves with the shell's exit code. */
export async function runShell(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const interactive = !!process.stdin.isTTY && !!process.stdout.isTTY;
  const pool = new ConnectionPool();
  useConnectionPool(pool);
  const restoreGate = installOutputGate();
  const errChalk = chalkFor(process.stderr, env);
  const previousWriter = setErrorWriter((text) => process.stderr.write(errorText(errChalk, text)));
  const shell = new Shell(pool, env, interactive, specOf(await buildProgram()));
  try {
    return await shell.loop();
  } finally {
    setErrorWriter(previousWriter);
    restoreGate();
    useConnectionPool(undefined);
    await pool.close();
  }
}

/** One shell session. */
class Shell {
  private readonly history: string[];
  private readonly historyPath: string;
  private readonly reader: LineReader;
  private readonly names = new NameCache();
  private readonly stderrWrite = process.stderr.write.bind(process.stderr);
  private cancelRunning: (() => void) | undefined;
  private lastCode = 0;
  private interrupted = false;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly env: NodeJS.ProcessEnv,
    private readonly interactive: boolean,
    private readonly spec: CommandSpec,
  ) {
    this.historyPath = historyFile(env);
    this.history = loadHistory(this.historyPath);
    this.reader = interactive ? terminalReader(process.stdin, process.stdout, this.history, this.completer) : pipeReader(process.stdin);
  }

  /** Reads and runs lines until exit; the code is `exit N`'s N, else 0. */
  async loop(): Promise<number> {
    const onSigint = () => (this.cancelRunning ? this.cancelRunning() : this.interruptedOutsideCommand());
    process.on('SIGINT', onSigint);
    try {
      for (;;) {
        // readline draws the prompt from column 1: output without a final newline would be overwritten.
        if (!takeStdoutAtLineStart() && this.interactive) process.stdout.write('\n');
        const line = await this.reader.next(this.interactive ? this.prompt() : '');
        if (line === undefined) {
          if (this.interactive) process.stdout.write('\n');
          return this.interrupted ? CANCELLED_CODE : 0;
        }
        const exit = await this.handle(line);
        if (exit !== undefined) return exit;
      }
    } finally {
      process.off('SIGINT', onSigint);
      this.reader.close();
    }
  }

  /** Without a command running, SIGINT only comes when reading a pipe: stop like a shell script would. */
  private interruptedOutsideCommand(): void {
    this.interrupted = true;
    this.reader.close();
  }

  /** Runs one line; resolves with an exit code when the line leaves the shell. */
  private async handle(line: string): Promise<number | undefined> {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return undefined;
    appendHistory(this.historyPath, trimmed);
    if (trimmed.startsWith('!')) {
      this.lastCode = spawnSync('/bin/sh', ['-c', trimmed.slice(1)], { stdio: 'inherit', env: this.env }).status ?? 1;
      return undefined;
    }
    const { args, terminator } = parseCommand(trimmed);
    const [verb] = args;
    if (verb === 'exit' || verb === 'quit') return args[1] !== undefined ? Number(args[1]) || 0 : 0;
    if (verb === 'help' && args.length === 1) {
      process.stdout.write(HELP_TEXT);
      return undefined;
    }
    if (verb === 'shell') {
      process.stderr.write(errorText(chalkFor(process.stderr, this.env), 'error: already in the kd shell\n'));
      this.lastCode = 1;
      return undefined;
    }
    const stdin = terminator === undefined ? undefined : await this.readHeredoc(terminator);
    this.lastCode = await this.execute(args, stdin);
    return undefined;
  }

  /** The lines up to the terminator (or end of input), as the command's stdin. */
  private async readHeredoc(terminator: string): Promise<string> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.reader.next(this.interactive ? '> ' : '', { history: false });
      if (line === undefined || line === terminator) break;
      lines.push(line);
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  /** Runs a command in a scope that Ctrl-C cancels; resolves with its exit code. */
  private async execute(args: string[], stdin: string | undefined): Promise<number> {
    this.pool.beginCommand();
    const scope: CommandScope = { cancelled: false };
    const cancelled = new Promise<number>((resolve) => {
      this.cancelRunning = () => {
        scope.cancelled = true;
        if (this.interactive) this.stderrWrite('\n');
        void this.pool.abort();
        resolve(CANCELLED_CODE);
      };
    });
    const restoreStdin = stdin === undefined ? undefined : replaceStdin(stdin);
    const stopProgress = this.interactive && !!process.stderr.isTTY && waits(args) ? startProgress(this.stderrWrite) : undefined;
    try {
      return await Promise.race([runInScope(scope, () => runCommand(args)), cancelled]);
    } finally {
      this.cancelRunning = undefined;
      stopProgress?.();
      restoreStdin?.();
    }
  }

  /** `<context> (<namespace>) $ ` from the current kubeconfig (it may change between commands). */
  private prompt(): string {
    const c = chalkFor(process.stdout, this.env);
    try {
      const { context, namespace } = this.pool.currentContext(this.env);
      return promptText(c, { context, namespace, lastCode: this.lastCode });
    } catch {
      return promptText(c, { context: 'kd', namespace: 'no cluster', lastCode: this.lastCode });
    }
  }

  /** readline's completer: the words up to the cursor, completed by the shared engine. */
  private readonly completer: Completer = ((line: string, callback: (err: null, result: [string[], string]) => void) => {
    const split = splitLine(line);
    const words = split.open ? split.words : [...split.words, ''];
    const args = words.length > 1 ? stripPrefix(words) : words;
    const flags = kubeFlagsOf(args);
    const source = clusterSource(async () => this.pool.peek(flags, this.env), (a, r, ns) => this.names.names(a, r, ns), flags);
    void complete(this.spec, args, source).then(
      ({ candidates }) => {
        const all = args.length === 1 ? [...candidates, ...BUILTINS.filter((b) => b.startsWith(args[0]!))].sort() : candidates;
        const only = all.length === 1 && !/[=/]$/.test(all[0]!) ? [`${all[0]} `] : all;
        callback(null, [only, args.at(-1) ?? '']);
      },
      () => callback(null, [[], args.at(-1) ?? '']),
    );
  }) as unknown as Completer;
}

/** Whether a command waits on the cluster long enough to deserve the progress line. */
function waits(args: string[]): boolean {
  return (args[0] === 'rollout' && args[1] === 'status') || args[0] === 'drain' || args[0] === 'wait';
}

/** Makes process.stdin read `text` (a heredoc) until the returned function restores the terminal. */
function replaceStdin(text: string): () => void {
  const original = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(text)]), configurable: true, writable: true });
  return () => Object.defineProperty(process, 'stdin', original);
}
