/**
 * What every kubectl verb of `kd` shares: the connection flags (`--kubeconfig`, `--context`,
 * `-n/--namespace`) and the errors the root boundary prints with kubectl's layout.
 */
import type { Command } from 'commander';
import { messageForError } from '../kube/errors.js';

/** Adds kubectl's connection flags to a command. */
export function withKubeFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'Path to the kubeconfig file to use for CLI requests.')
    .option('--context <name>', 'The name of the kubeconfig context to use')
    .option('-n, --namespace <namespace>', 'If present, the namespace scope for this CLI request');
}

/** kubectl's UsageError: `error: <msg>` then `See '<command> -h' for help and examples`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly commandPath: string,
  ) {
    super(message);
  }
}

/** Several errors a command collected while going on (kubectl's MultipleErrors): one line each, no prefix. */
export class PreformattedError extends Error {
  constructor(readonly errors: unknown[]) {
    super(errors.map(messageForError).join('\n'));
  }
}
