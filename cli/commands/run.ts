/**
 * `kd run`: kubectl v1.35.2's run (kubectl pkg/cmd/run/run.go) for creating a Pod; the work is in
 * cli/mutate/run.ts. `-i`, `-t`, `--attach` and `--rm` are not offered.
 */
import type { Command } from 'commander';
import type { RunFlags } from '../mutate/run.js';
import { withDryRunFlag, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

const append = (v: string, p: string[]) => [...p, v];

/** Adds `run` to the root program. */
export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('Create and run a particular image in a pod.')
    .argument('[args...]', 'NAME [-- COMMAND] [args...]')
    .option('--image <image>', 'The image for the container to run.')
    .option('--port <port>', 'The port that this container exposes.')
    .option('-l, --labels <labels>', 'Comma separated labels to apply to the pod.')
    .option('--env <pair>', 'Environment variables to set in the container.', append, [])
    .option('--annotations <pair>', 'Annotations to apply to the pod.', append, [])
    .option('--restart <policy>', 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].', 'Always')
    .option('--command', 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.')
    .option('--image-pull-policy <policy>', 'The image pull policy for the container.')
    .option('--privileged', 'If true, run the container in privileged mode.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--expose [bool]', 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.');
  withKubeFlags(withOutputFlag(withDryRunFlag(cmd))).action(async (args: string[], flags: RunFlags) => {
    const { runRun } = await import('../mutate/run.js');
    await runRun(args, flags);
  });
}
