/**
 * `kd set image|env|resources`: kubectl v1.35.2's set subcommands (kubectl pkg/cmd/set/); the work
 * is in cli/mutate/set*.ts.
 */
import type { Command } from 'commander';
import type { SetEnvFlags } from '../mutate/set-env.js';
import type { SetResourcesFlags } from '../mutate/set-image.js';
import type { SetFlags } from '../mutate/set.js';
import { withDryRunFlag, withFilenameFlags, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

function withSetFlags(cmd: Command): Command {
  const withSelection = cmd
    .option('--all', 'Select all resources, in the namespace of the specified resource types')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--local', 'If true, set will NOT contact api-server but run locally.');
  return withKubeFlags(withOutputFlag(withDryRunFlag(withFilenameFlags(withSelection, 'identifying the resource to get from a server.'))));
}

/** Adds `set` and its subcommands to the root program. */
export function registerSet(program: Command): void {
  const set = program.command('set').description('Configure application resources.');
  withSetFlags(set.command('image').description('Update existing container image(s) of resources.').argument('[args...]', '(-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ...')).action(
    async (args: string[], flags: SetFlags) => {
      const { runSetImage } = await import('../mutate/set-image.js');
      await runSetImage(args, flags);
    },
  );
  withSetFlags(
    set
      .command('env')
      .description('Update environment variables on a pod template.')
      .argument('[args...]', 'RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N')
      .option('-c, --containers <glob>', 'The names of containers in the selected pod templates to change - may use wildcards', '*')
      .option('-e, --env <pair>', 'Specify a key-value pair for an environment variable to set into each container.', (v: string, p: string[]) => [...p, v], [])
      .option('--from <resource>', 'The name of a resource from which to inject environment variables')
      .option('--keys <keys>', 'Comma-separated list of keys to import from specified resource', (v: string, p: string[]) => [...p, ...v.split(',')], [])
      .option('--prefix <prefix>', 'Prefix to append to variable names')
      .option('--list', 'If true, display the environment and any changes in the standard format.')
      .option('--overwrite', 'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.', true),
  ).action(async (args: string[], flags: SetEnvFlags) => {
    const { runSetEnv } = await import('../mutate/set-env.js');
    await runSetEnv(args, flags);
  });
  withSetFlags(
    set
      .command('resources')
      .description('Update resource requests/limits on objects with pod templates.')
      .argument('[args...]', '(-f FILENAME | TYPE NAME)')
      .option('-c, --containers <glob>', 'The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards', '*')
      .option('--limits <list>', 'The resource requirement limits for this container.  For example, \'cpu=200m,memory=512Mi\'.')
      .option('--requests <list>', 'The resource requirement requests for this container.  For example, \'cpu=100m,memory=256Mi\'.'),
  ).action(async (args: string[], flags: SetResourcesFlags) => {
    const { runSetResources } = await import('../mutate/set-image.js');
    await runSetResources(args, flags);
  });
}
