/**
 * `kd api-resources` and `kd api-versions` (kubectl pkg/cmd/apiresources): what the server serves,
 * read fresh from aggregated discovery as kubectl does unless `--cached`.
 */
import type { Command } from 'commander';
import type { ApiResource } from '../kube/discovery.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { UsageError, withKubeFlags } from './kube-flags.js';

interface ApiResourcesFlags extends KubeFlags {
  output?: string;
  apiGroup?: string;
  namespaced?: string;
  verbs: string[];
  categories: string[];
  sortBy?: string;
  headers: boolean;
  cached?: boolean;
}

/** Adds `api-resources` and `api-versions` to the root program. */
export function registerApiResources(program: Command): void {
  const resources = program
    .command('api-resources')
    .description('Print the supported API resources on the server.')
    .argument('[args...]')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, wide).')
    .option('--api-group <group>', 'Limit to resources in the specified API group.')
    .option('--namespaced [bool]', 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.')
    .option('--verbs <verbs>', 'Limit to resources that support the specified verbs.', collect, [])
    .option('--categories <categories>', 'Limit to resources that belong to the specified categories.', collect, [])
    .option('--sort-by <field>', 'If non-empty, sort list of resources using specified field. The field can be either \'name\' or \'kind\'.')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers (default print headers).")
    .option('--cached', 'Use the cached list of resources if available.');
  withKubeFlags(resources).action(async (args: string[], flags: ApiResourcesFlags) => {
    if (args.length > 0) throw new UsageError(`unexpected arguments: [${args.join(' ')}]`, 'kubectl api-resources');
    await runApiResources(flags);
  });
  withKubeFlags(program.command('api-versions').description('Print the supported API versions on the server, in the form of "group/version".')).action(async (flags: KubeFlags) => {
    await runApiVersions(flags);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}

async function runApiResources(flags: ApiResourcesFlags): Promise<void> {
  const output = flags.output ?? '';
  if (!['', 'wide', 'name', 'json', 'yaml'].includes(output)) {
    throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,kyaml,name,wide,yaml`);
  }
  if (flags.sortBy !== undefined && flags.sortBy !== 'name' && flags.sortBy !== 'kind') throw new Error('--sort-by accepts only name or kind');
  const { resolveContext } = await import('../kube/kubeconfig.js');
  const { KubeClient } = await import('../kube/client.js');
  const { Discovery } = await import('../kube/discovery.js');
  const client = new KubeClient(resolveContext(flags));
  let discovery;
  try {
    discovery = await Discovery.load(client);
  } finally {
    await client.close();
  }
  const namespaced = flags.namespaced === undefined ? undefined : String(flags.namespaced) !== 'false';
  const resources = discovery.resources
    .filter((r) => r.verbs.length > 0)
    .filter((r) => flags.apiGroup === undefined || r.group === flags.apiGroup)
    .filter((r) => namespaced === undefined || r.namespaced === namespaced)
    .filter((r) => flags.verbs.every((v) => r.verbs.includes(v)))
    .filter((r) => flags.categories.every((c) => r.categories.includes(c)));
  const key = (r: ApiResource) => (flags.sortBy === 'name' ? r.resource : flags.sortBy === 'kind' ? r.kind : r.group);
  // Go's sort.Stable with the resource name as tie-break.
  resources.sort((a, b) => compare(key(a), key(b)) || compare(a.resource, b.resource));
  if (output === 'json' || output === 'yaml') return printList(resources, output);
  if (output === 'name') {
    process.stdout.write(resources.map((r) => `${r.resource}${r.group ? `.${r.group}` : ''}\n`).join(''));
    return;
  }
  const { TabWriter } = await import('../print/tabwriter.js');
  const w = new TabWriter((text) => process.stdout.write(text));
  const wide = output === 'wide';
  if (flags.headers) w.row(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
  for (const r of resources) {
    const cells = [r.resource, r.shortNames.join(','), r.group ? `${r.group}/${r.version}` : r.version, String(r.namespaced), r.kind];
    if (wide) cells.push(r.verbs.join(','), r.categories.join(','));
    w.row(cells);
  }
  w.flush();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `-o json|yaml`: one APIResourceList holding every resource with its group and version. */
async function printList(resources: ApiResource[], output: string): Promise<void> {
  const items = resources.map((r) => ({
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    ...(r.group ? { group: r.group } : {}),
    version: r.version,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  }));
  const list = { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: '', resources: items.length ? items : null };
  if (output === 'json') process.stdout.write(`${JSON.stringify(list, null, 4)}\n`);
  else process.stdout.write((await import('../print/generic.js')).printYaml(list));
}

async function runApiVersions(flags: KubeFlags): Promise<void> {
  const { resolveContext } = await import('../kube/kubeconfig.js');
  const { KubeClient, DISCOVERY_ACCEPT } = await import('../kube/client.js');
  const client = new KubeClient(resolveContext(flags));
  try {
    const [core, groups] = await Promise.all([client.getJson('/api?timeout=32s', DISCOVERY_ACCEPT), client.getJson('/apis?timeout=32s', DISCOVERY_ACCEPT)]);
    const versions: string[] = [];
    for (const g of [...(core.items ?? []), ...(groups.items ?? [])]) {
      const group: string = g.metadata?.name ?? '';
      for (const v of g.versions ?? []) versions.push(group ? `${group}/${v.version}` : v.version);
    }
    process.stdout.write(versions.sort(compare).map((v) => `${v}\n`).join(''));
  } finally {
    await client.close();
  }
}
