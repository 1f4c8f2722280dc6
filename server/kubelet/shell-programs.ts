/**
 * Shells and utilities as container processes: `sh -c SCRIPT`, a shell reading its script from
 * stdin (an exec with piped input, or a container started with `stdin: true` that `kubectl run -i`
 * or `kubectl attach -i` feeds line by line), and single utilities run by argv.
 */
import { ShellSyntaxError, isShellUtility, parseScript, runArgv, runScript, type ShellHost, type ShellRun } from './shell.js';

/** Executable names that are shells. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash']);

/** The last path element of an executable. */
export function basename(path: string): string {
  return path.replace(/^.*\//, '');
}

/**
 * The standard input of a container started with `stdin: true`: text arrives from attached
 * clients; closing it (stdinOnce) ends a shell that reads it.
 */
export class StdinBuffer {
  private text = '';
  private closed = false;
  /** True while a reader is blocked on an empty buffer. */
  waiting = false;

  /** Appends input. */
  push(text: string): void {
    if (!this.closed) this.text += text;
  }

  /** End of input. */
  close(): void {
    this.closed = true;
  }

  /** The next complete line (without `\n`), null at end of input, undefined while none is there. */
  nextLine(): string | null | undefined {
    const nl = this.text.indexOf('\n');
    if (nl >= 0) {
      const line = this.text.slice(0, nl);
      this.text = this.text.slice(nl + 1);
      return line;
    }
    if (!this.closed) return undefined;
    if (this.text === '') return null;
    const rest = this.text;
    this.text = '';
    return rest;
  }
}

/**
 * The process `argv` starts in a running container (exec), reading `stdin`; undefined when the image
 * has no such executable (the runtime's `executable file not found`).
 */
export function execCommand(argv: string[], host: ShellHost, opts: { shells: readonly string[]; stdin?: string }): ShellRun | undefined {
  const name = basename(argv[0] ?? '');
  if (SHELLS.has(name)) return opts.shells.includes(name) ? shellProgram(argv, host, opts.stdin) : undefined;
  return isShellUtility(name) && opts.shells.length > 0 ? runArgv(argv, host, opts.stdin) : undefined;
}

/** `sh -c SCRIPT [argv0 params…]`, or a shell running all of `stdin` as its script. */
export function* shellProgram(argv: string[], host: ShellHost, stdin = ''): ShellRun {
  const c = argv.indexOf('-c');
  // Without -c a shell runs its standard input as a script; a closed stdin ends it at once.
  if (c < 0) return stdin ? yield* shellScript(stdin, basename(argv[0]!), [], host) : 0;
  const [script = '', argv0 = basename(argv[0]!), ...params] = argv.slice(c + 1);
  return yield* shellScript(script, argv0, params, host);
}

function* shellScript(script: string, argv0: string, params: string[], host: ShellHost): ShellRun {
  let parsed;
  try {
    parsed = parseScript(script);
  } catch (err) {
    host.write('stderr', `${argv0}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  return yield* runScript(parsed, host, { argv0, params });
}

/**
 * A shell reading commands from an open stdin, one line at a time as they arrive (no terminal, so
 * no prompt); it ends with the last status at end of input. Blocks with an infinite sleep and the
 * buffer's `waiting` flag, so the program wakes when input comes.
 */
export function* stdinShell(shell: string, host: ShellHost, stdin: StdinBuffer): ShellRun {
  let status = 0;
  for (;;) {
    const line = stdin.nextLine();
    if (line === null) return status;
    if (line === undefined) {
      stdin.waiting = true;
      yield Infinity;
      stdin.waiting = false;
      continue;
    }
    try {
      status = yield* runScript(parseScript(line), host, { argv0: shell, status });
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      host.write('stderr', `${shell}: ${e.message}\n`);
      status = 2;
    }
  }
}
