/**
 * `kd logs`: kubectl v1.35.2's logs (kubectl pkg/cmd/logs/logs.go and polymorphichelpers
 * logsforobject.go): a pod's container log, `TYPE/NAME` resolved to one of its pods, `-l` for
 * every matching pod, `--all-containers`, `--prefix`, `-f` (concurrent streams when several),
 * `--previous`, `--tail`, `--since`, `--since-time`, `--timestamps`, `--limit-bytes`.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { PreformattedError, UsageError, withKubeFlags } from './kube-flags.js';

const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/** Options of one logs invocation after flag parsing. */
export interface LogsFlags extends KubeFlags {
  container?: string;
  allContainers?: boolean;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  prefix?: boolean;
  ignoreErrors?: boolean;
  selector?: string;
  since?: string;
  sinceTime?: string;
  tail?: string;
  limitBytes?: string;
  maxLogRequests: string;
}

/** Adds `logs` to the root program. */
export function registerLogs(program: Command): void {
  const cmd = program
    .command('logs')
    .description('Print the logs for a container in a pod or specified resource.')
    .argument('[args...]', 'POD | TYPE/NAME [CONTAINER]')
    .option('-c, --container <name>', 'Print the logs of this container')
    .option('--all-containers', 'Get all containers logs in the pod(s).')
    .option('-f, --follow', 'Specify if the logs should be streamed.')
    .option('-p, --previous', 'If true, print the logs for the previous instance of the container in a pod if it exists.')
    .option('--timestamps', 'Include timestamps on each line in the log output')
    .option('--prefix', 'Prefix each log line with the log source (pod name and container name)')
    .option('--ignore-errors', 'If watching / following pod logs, allow for any errors that occur to be non-fatal')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on.')
    .option('--since <duration>', 'Only return logs newer than a relative duration like 5s, 2m, or 3h.')
    .option('--since-time <time>', 'Only return logs after a specific date (RFC3339).')
    .option('--tail <lines>', 'Lines of recent log file to display.')
    .option('--limit-bytes <bytes>', 'Maximum bytes of logs to return.')
    .option('--max-log-requests <n>', 'Specify maximum number of concurrent logs to follow when using by a selector.', '5')
    .option('--pod-running-timeout <duration>', 'The length of time to wait until at least one pod is running', '20s');
  withKubeFlags(cmd).action(async (args: string[], flags: LogsFlags) => {
    const { runLogs } = await import('../exec/logs.js');
    await runLogs(args, flags);
  });
}

/** kubectl's usage error for logs. */
export function logsUsage(message: string = USAGE): UsageError {
  return new UsageError(message, 'kubectl logs');
}

/** pflag's error for a flag value it cannot parse. */
export function badFlag(flag: string, value: string, reason: string): PreformattedError {
  return new PreformattedError([new Error(`error: invalid argument "${value}" for "--${flag}" flag: ${reason}\nSee 'kubectl logs --help' for usage.`)]);
}
