/**
 * `kd scale`: port of kubectl pkg/cmd/scale/scale.go and pkg/scale/scale.go. Without a
 * precondition the size goes out as one merge patch of the scale subresource; with
 * `--current-replicas` or `--resource-version` kubectl reads the Scale, checks it client-side and
 * PUTs it back. `--timeout` then polls the Scale until its status shows the new size.
 */
import type { KubeClient } from '../kube/client.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { dryRunStrategy, fetchInfos, infoPath, objectPrinter, parseGoDuration, parseIntFlag, throwCollected, writeQuery, type DryRun, type Info } from './common.js';

/** Flags of scale (the int and duration flags arrive as text and are parsed as pflag does). */
export interface ScaleFlags extends KubeFlags {
  replicas?: string;
  currentReplicas: string;
  resourceVersion?: string;
  timeout: string;
  all?: boolean;
  selector?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
}

/** How often kubectl polls the Scale while waiting (scale.NewRetryParams(1*time.Second, …)). */
const WAIT_POLL_MS = 1000;

interface Precondition {
  size: number;
  resourceVersion: string;
}

/** Runs `scale` with the positional arguments and flags. */
export async function runScale(args: string[], flags: ScaleFlags): Promise<void> {
  if (flags.replicas === undefined) throw new Error('required flag(s) "replicas" not set');
  const replicas = await parseIntFlag(flags.replicas, 'replicas', 'kubectl scale');
  const currentReplicas = await parseIntFlag(flags.currentReplicas, 'current-replicas', 'kubectl scale');
  const timeoutMs = parseGoDuration(flags.timeout);
  if (timeoutMs === undefined) {
    const { invalidFlagValue } = await import('./common.js');
    throw await invalidFlagValue(flags.timeout, 'timeout', `time: invalid duration ${JSON.stringify(flags.timeout)}`, 'kubectl scale');
  }
  const dryRun = dryRunStrategy(flags.dryRun);
  const print = await objectPrinter(flags.output, 'scaled', dryRun);
  if (replicas < 0) throw new Error('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (currentReplicas < -1) throw new Error('The --current-replicas must specify an integer of -1 or greater');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args, filenames: flags.filename, recursive: flags.recursive, selector: flags.selector, all: flags.all });
    if (flags.resourceVersion && fetched.infos.length > 1) throw new Error('cannot use --resource-version with multiple resources');
    const precondition = currentReplicas !== -1 || flags.resourceVersion ? { size: currentReplicas, resourceVersion: flags.resourceVersion ?? '' } : undefined;
    if (fetched.infos.length === 0) {
      await throwCollected(fetched.errors);
      throw new Error('no objects passed to scale');
    }
    for (const info of fetched.infos) {
      if (dryRun !== 'client') {
        await scaleOne(conn.client, info, replicas, { precondition, dryRun });
        if (timeoutMs > 0 && dryRun === 'none') await waitForReplicas(conn.client, info, replicas, timeoutMs);
      }
      // kubectl prints the object as it read it, before the new size.
      process.stdout.write(print(info.obj));
    }
    await throwCollected(fetched.errors);
  } finally {
    await conn.client.close();
  }
}

/** ScaleWithRetries: a precondition means GET, check and PUT; otherwise one merge patch. */
async function scaleOne(client: KubeClient, info: Info, replicas: number, opts: { precondition?: Precondition; dryRun: DryRun }): Promise<void> {
  const query = writeQuery({ dryRun: opts.dryRun });
  if (!opts.precondition) {
    await client.request('PATCH', await infoPath(info, 'scale', query), { body: { spec: { replicas } }, contentType: 'application/merge-patch+json' });
    return;
  }
  const scale = await client.getJson(await infoPath(info, 'scale'));
  const { size, resourceVersion } = opts.precondition;
  if (size !== -1 && scale.spec?.replicas !== size) throw new Error(`Expected replicas to be ${size}, was ${scale.spec?.replicas ?? 0}`);
  if (resourceVersion && scale.metadata?.resourceVersion !== resourceVersion) {
    throw new Error(`Expected resource version to be ${resourceVersion}, was ${scale.metadata?.resourceVersion}`);
  }
  scale.spec = { ...scale.spec, replicas };
  await client.request('PUT', await infoPath(info, 'scale', query), { body: scale });
}

/** WaitForScaleHasDesiredReplicas: polls the Scale until spec and status agree on the size. */
async function waitForReplicas(client: KubeClient, info: Info, replicas: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const scale = await client.getJson(await infoPath(info, 'scale'));
    if (scale.spec?.replicas !== replicas) return;
    if ((scale.status?.replicas ?? 0) === replicas) return;
    if (Date.now() + WAIT_POLL_MS > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}
