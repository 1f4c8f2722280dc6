/**
 * `kd version`: kubectl v1.35.2's version command (kubectl pkg/cmd/version). kd answers as the
 * kubectl build it stands in for, so scripts that parse the client version see what kubectl prints.
 */
import type { Command } from 'commander';
import { KUBE_BUILD } from '../../schemas/version.js';
import { withKubeFlags } from './kube-flags.js';
import type { KubeFlags } from '../kube/kubeconfig.js';

/** The kustomize library built into kubectl v1.35.2. */
const KUSTOMIZE_VERSION = 'v5.7.1';

interface VersionFlags extends KubeFlags {
  client?: boolean;
  output?: string;
}

/** Adds `version` to the root program. */
export function registerVersion(program: Command): void {
  const cmd = program
    .command('version')
    .description('Print the client and server version information for the current context.')
    .option('--client', 'If true, shows client version only (no server required).')
    .option('-o, --output <format>', "One of 'yaml' or 'json'.");
  withKubeFlags(cmd).action(async (flags: VersionFlags) => {
    await runVersion(flags);
  });
}

async function runVersion(flags: VersionFlags): Promise<void> {
  const output = flags.output ?? '';
  if (output !== '' && output !== 'yaml' && output !== 'json') throw new Error('--output must be \'yaml\' or \'json\'');
  const info: Record<string, unknown> = { clientVersion: KUBE_BUILD, kustomizeVersion: KUSTOMIZE_VERSION };
  let serverError: unknown;
  if (!flags.client) {
    const { resolveContext } = await import('../kube/kubeconfig.js');
    const { KubeClient } = await import('../kube/client.js');
    const client = new KubeClient(resolveContext(flags));
    try {
      info['serverVersion'] = await client.getJson('/version?timeout=32s');
    } catch (err) {
      serverError = err;
    } finally {
      await client.close();
    }
  }
  // kubectl prints what it has before reporting a server it could not reach.
  if (output === 'json') process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  // kubectl's yaml output ends with a blank line.
  else if (output === 'yaml') process.stdout.write(`${(await import('../print/generic.js')).printYaml(info)}\n`);
  else {
    const server = info['serverVersion'] as { gitVersion?: string } | undefined;
    process.stdout.write(`Client Version: ${KUBE_BUILD.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n${server ? `Server Version: ${server.gitVersion}\n` : ''}`);
  }
  if (serverError) throw serverError;
}
