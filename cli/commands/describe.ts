/**
 * `kd describe`: kubectl v1.35.2's describe (kubectl pkg/cmd/describe/describe.go): objects by
 * `TYPE NAME…`, `TYPE/NAME`, `TYPE` (all), `-l`, `-A` or `-f`, each rendered client-side by its
 * kind's describer (cli/describe), separated by a blank line; `TYPE PREFIX` describes every
 * object whose name starts with PREFIX when no object has that exact name.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { PreformattedError, withKubeFlags } from './kube-flags.js';

/** kubectl's default --chunk-size. */
const CHUNK_SIZE = 500;

interface DescribeFlags extends KubeFlags {
  selector?: string;
  allNamespaces?: boolean;
  showEvents: string | boolean;
  chunkSize: string;
  filename: string[];
  recursive?: boolean;
}

/** Adds `describe` to the root program. */
export function registerDescribe(program: Command): void {
  const cmd = program
    .command('describe')
    .description('Show details of a specific resource or group of resources.')
    .argument('[args...]', '(-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .option('--show-events [bool]', 'If true, display events related to the described object.', true)
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once.', String(CHUNK_SIZE))
    .option('-f, --filename <file>', 'Filename, directory, or URL to files containing the resource to describe', (v: string, p: string[]) => [...p, v], [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.');
  withKubeFlags(cmd).action(async (args: string[], flags: DescribeFlags) => {
    await runDescribe(args, flags);
  });
}

interface Info {
  resource: import('../kube/discovery.js').ApiResource;
  namespace: string;
  name: string;
}

async function runDescribe(args: string[], flags: DescribeFlags): Promise<void> {
  if (args.length === 0 && flags.filename.length === 0) {
    throw new Error('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  }
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const { describeObject } = await import('../describe/index.js');
    const ctx = { client: conn.client, showEvents: String(flags.showEvents) !== 'false', chunkSize: Number(flags.chunkSize) };
    const { infos, errors } = await collectInfos(args, flags, conn);
    if (errors.some(isNotFound) && args.length === 2 && flags.filename.length === 0) {
      return await describeMatching(ctx, conn, args[0]!, args[1]!, errors.find(isNotFound), describeObject);
    }
    const seen = new Set<string>();
    let first = true;
    for (const info of infos) {
      let text: string;
      try {
        text = await describeObject(ctx, info.resource, info.namespace, info.name);
      } catch (err) {
        const { messageForError } = await import('../kube/errors.js');
        if (!seen.has(messageForError(err))) errors.push(err);
        seen.add(messageForError(err));
        continue;
      }
      process.stdout.write(first ? text : `\n\n${text}`);
      first = false;
    }
    if (infos.length === 0 && errors.length === 0) {
      process.stderr.write(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${conn.namespace} namespace.\n`);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new PreformattedError(errors);
  } finally {
    await conn.client.close();
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: number }).code === 404;
}

type Connection = Awaited<ReturnType<typeof import('../kube/connect.js').connect>>;

/** The builder's infos: named objects are fetched to see they exist; types are listed. */
async function collectInfos(args: string[], flags: DescribeFlags, conn: Connection): Promise<{ infos: Info[]; errors: unknown[] }> {
  const { resourcePath } = await import('../kube/discovery.js');
  const infos: Info[] = [];
  const errors: unknown[] = [];
  const targets: Array<{ resource: Info['resource']; name?: string; namespace?: string }> = [];
  if (flags.filename.length > 0) {
    const { readManifests } = await import('../kube/builder.js');
    for (const m of await readManifests(flags.filename, { recursive: flags.recursive })) {
      const resource = await conn.resourceFor(m.obj.apiVersion, m.obj.kind);
      targets.push({ resource, name: m.obj.metadata?.name, namespace: m.obj.metadata?.namespace });
    }
  }
  if (args.length > 0) {
    const { resolveTargets } = await import('../kube/builder.js');
    const resolved = await resolveTargets(args, conn.resolve, flags.allNamespaces);
    if (flags.selector && resolved.targets.some((t) => t.name !== undefined)) throw new Error('name cannot be provided when a selector is specified');
    targets.push(...resolved.targets);
  }
  for (const t of targets) {
    const ns = t.namespace ?? (flags.allNamespaces ? undefined : conn.namespace);
    try {
      if (t.name !== undefined) {
        const obj = await conn.client.getJson(resourcePath(t.resource, ns, t.name));
        infos.push({ resource: t.resource, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? t.name });
        continue;
      }
      const { listAll } = await import('../describe/fetch.js');
      const ctx = { client: conn.client, showEvents: false, chunkSize: Number(flags.chunkSize) };
      const items = await listAll(ctx, resourcePath(t.resource, ns), flags.selector ? { labelSelector: flags.selector } : {});
      for (const obj of items) infos.push({ resource: t.resource, namespace: obj.metadata?.namespace ?? '', name: obj.metadata.name });
    } catch (err) {
      errors.push(err);
    }
  }
  return { infos, errors };
}

/** DescribeMatchingResources: every object of the type whose name starts with the prefix. */
async function describeMatching(
  ctx: import('../describe/fetch.js').DescribeContext,
  conn: Connection,
  type: string,
  prefix: string,
  original: unknown,
  describeObject: typeof import('../describe/index.js').describeObject,
): Promise<void> {
  const [{ resourcePath }, { listAll }] = await Promise.all([import('../kube/discovery.js'), import('../describe/fetch.js')]);
  const [resource] = await conn.resolve(type);
  const items = await listAll(ctx, resourcePath(resource!, conn.namespace));
  let found = false;
  for (const obj of items) {
    if (!String(obj.metadata?.name).startsWith(prefix)) continue;
    found = true;
    process.stdout.write(`${await describeObject(ctx, resource!, obj.metadata.namespace ?? '', obj.metadata.name)}\n`);
  }
  if (!found) throw original;
}
