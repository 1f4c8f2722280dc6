/**
 * The shell's colours: only the prompt and error lines are coloured, never command output. Colour
 * is off when NO_COLOR is set (no-color.org), when the stream is not a terminal, or TERM=dumb;
 * FORCE_COLOR turns it on as chalk reads it.
 */
import { Chalk, type ChalkInstance } from 'chalk';

/** A chalk for the stream, honouring NO_COLOR, FORCE_COLOR and whether it is a terminal. */
export function chalkFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({ level: colourLevel(stream, env) });
}

/** chalk's level (0 none, 1 basic, 2 256, 3 truecolor) for a stream. */
export function colourLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === 'false' || force === '0') return 0;
    const n = Number.parseInt(force, 10);
    return (Number.isNaN(n) ? 1 : Math.min(Math.max(n, 1), 3)) as 1 | 2 | 3;
  }
  if (!stream.isTTY || env['TERM'] === 'dumb') return 0;
  return env['COLORTERM'] === 'truecolor' ? 3 : /256/.test(env['TERM'] ?? '') ? 2 : 1;
}

/** What the prompt shows. */
export interface PromptState {
  context?: string;
  namespace: string;
  /** The exit code of the last command; non-zero is shown. */
  lastCode: number;
}

/**
 * The prompt: `<context> (<namespace>) $ `, with `[<code>]` before `$` after a failed command.
 *
 * @example
 * promptText(chalkFor({}), { context: 'kubedojo', namespace: 'default', lastCode: 0 }); // 'kubedojo (default) $ '
 */
export function promptText(c: ChalkInstance, s: PromptState): string {
  const code = s.lastCode !== 0 ? ` ${c.red(`[${s.lastCode}]`)}` : '';
  return `${c.bold.cyan(s.context ?? 'kd')} ${c.yellow(`(${s.namespace})`)}${code} ${c.bold('$')} `;
}

/** Colours the error lines that kd's error boundary writes. */
export function errorText(c: ChalkInstance, text: string): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => (line.endsWith('\n') ? `${c.red(line.slice(0, -1))}\n` : c.red(line)))
    .join('');
}
