/**
 * `kd rollout status|history|undo|pause|resume|restart`: kubectl v1.35.2's rollout commands
 * (kubectl pkg/cmd/rollout/*) for Deployments, DaemonSets and StatefulSets. The work lives in
 * cli/rollout/*, loaded only when a rollout command runs.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { PreformattedError, UsageError, withKubeFlags } from './kube-flags.js';

/** The flags of every rollout subcommand (each registers the ones it has). */
export interface RolloutFlags extends KubeFlags {
  selector?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  revision?: string;
  toRevision?: string;
  timeout?: string;
  watch?: string | boolean;
  dryRun?: string | boolean;
}

const SUBCOMMANDS = [
  ['history', 'View rollout history'],
  ['pause', 'Mark the provided resource as paused'],
  ['restart', 'Restart a resource'],
  ['resume', 'Resume a paused resource'],
  ['status', 'Show the status of the rollout'],
  ['undo', 'Undo a previous rollout'],
] as const;

/** Adds `rollout` and its subcommands to the root program. */
export function registerRollout(program: Command): void {
  const rollout = program
    .command('rollout')
    .description('Manage the rollout of one or many resources.')
    .argument('[command...]')
    // Connection flags after an unknown subcommand must reach the action, not fail parsing.
    .allowUnknownOption()
    .action((args: string[]) => {
      if (args.length > 0) throw new UsageError(`unknown command "${args[0]}"`, 'kubectl rollout');
      process.stdout.write(rolloutHelp());
      process.exitCode = 1;
    });
  for (const [name, summary] of SUBCOMMANDS) {
    const cmd = rollout
      .command(name)
      .description(summary)
      .argument('[args...]', 'TYPE NAME | TYPE/NAME')
      .option('-l, --selector <selector>', 'Selector (label query) to filter on')
      .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to get from a server.', (v: string, p: string[]) => [...p, v], [])
      .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.');
    if (name === 'status') {
      cmd
        .option('-w, --watch [bool]', "Watch the status of the rollout until it's done.")
        .option('--revision <n>', 'Pin to a specific revision for showing its status.')
        .option('--timeout <duration>', 'The length of time to wait before ending watch, zero means never.');
    } else {
      cmd.option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, kyaml).');
    }
    if (name === 'history') cmd.option('--revision <n>', 'See the details, including podTemplate of the revision specified');
    if (name === 'undo') cmd.option('--to-revision <n>', 'The revision to rollback to. Default to 0 (last revision).').option('--dry-run [strategy]', 'none, server, or client');
    if (name === 'pause' || name === 'resume' || name === 'restart') cmd.option('--field-manager <name>', 'Name of the manager used to track field ownership.');
    withKubeFlags(cmd).action(async (args: string[], flags: RolloutFlags) => {
      const { runRollout } = await import('../rollout/run.js');
      await runRollout(name, args, flags);
    });
  }
}

function rolloutHelp(): string {
  const lines = SUBCOMMANDS.map(([n, s]) => `  ${n.padEnd(14)}${s}`).join('\n');
  return `Manage the rollout of one or many resources.\n\n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets\n\nAvailable Commands:\n${lines}\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\n`;
}

/** pflag's error for a bad integer flag value. */
export function parseIntFlag(value: string | undefined, flag: string, commandPath: string): number {
  if (value === undefined) return 0;
  if (!/^[+-]?\d+$/.test(value)) {
    throw new PreformattedError([new Error(`error: invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax\nSee '${commandPath} --help' for usage.`)]);
  }
  return Number(value);
}
