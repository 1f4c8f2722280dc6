/**
 * Where the shell's lines come from. On a terminal every line gets its own readline interface
 * (history and TAB completion; Ctrl-C clears the line, Ctrl-D ends), closed again before the command
 * runs so the command owns the terminal: cooked mode, so Ctrl-C raises SIGINT and cancels it. From a
 * pipe, one interface reads line after line without prompts.
 */
import { createInterface, type Completer, type Interface } from 'node:readline';
import { HISTORY_SIZE } from './history.js';

/** A source of lines: undefined at the end (Ctrl-D, end of input). */
export interface LineReader {
  /** Reads a line; `history: false` keeps it out of the history (heredoc bodies). */
  next(prompt: string, opts?: { history?: boolean }): Promise<string | undefined>;
  close(): void;
}

/** Lines from a terminal, with history (most recent first, shared with the caller) and completion. */
export function terminalReader(input: NodeJS.ReadStream, output: NodeJS.WriteStream, history: string[], completer: Completer): LineReader {
  return {
    next(prompt, opts = {}) {
      return new Promise((resolve) => {
        const rl = createInterface({
          input,
          output,
          terminal: true,
          history: opts.history === false ? [] : history,
          historySize: HISTORY_SIZE,
          removeHistoryDuplicates: true,
          completer,
          prompt,
          tabSize: 4,
        });
        let done = false;
        const finish = (line: string | undefined) => {
          if (done) return;
          done = true;
          rl.close();
          resolve(line);
        };
        rl.on('line', (line) => finish(line));
        rl.on('SIGINT', () => {
          // As bash: Ctrl-C at the prompt abandons the line and shows a fresh prompt.
          output.write('^C\n');
          finish('');
        });
        rl.on('close', () => finish(undefined));
        rl.prompt();
      });
    },
    close() {},
  };
}

/** Lines from a pipe or file, no prompt, read one by one as the shell asks for them. */
export function pipeReader(input: NodeJS.ReadableStream): LineReader {
  const rl: Interface = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await lines.next();
      return r.done ? undefined : r.value;
    },
    close() {
      rl.close();
    },
  };
}
