/**
 * `kd config` (kubectl pkg/cmd/config): view, get-contexts, get-clusters, get-users,
 * current-context, use-context and set-context over the same kubeconfig files kubectl reads.
 * Writes keep the files' other entries, comments and layout.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { withKubeFlags } from './kube-flags.js';

type Named = { name?: string; [k: string]: unknown };
interface Merged {
  'current-context'?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
}

/** Go struct order of clientcmd v1 Cluster, AuthInfo and Context, for `-o json`. */
const CLUSTER_FIELDS = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'];
const USER_FIELDS = ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions'];
const CONTEXT_FIELDS = ['cluster', 'user', 'namespace', 'extensions'];
/** Fields `config view` shortens or redacts unless `--raw`. */
const OMITTED = new Set(['certificate-authority-data', 'client-certificate-data', 'client-key-data']);
const REDACTED = new Set(['token', 'password']);

const lib = async () => ({ ...(await import('../kube/kubeconfig.js')), ...(await import('../kubeconfig-merge.js')) });

/** Adds `config` and its subcommands to the root program. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('Modify kubeconfig files');
  const view = config
    .command('view')
    .description('Display merged kubeconfig settings or a specified kubeconfig file')
    .option('--minify', 'Remove all information not used by current-context from the output')
    .option('--raw', 'Display raw byte data and sensitive data')
    .option('--flatten', 'Flatten the resulting kubeconfig file into self-contained output')
    .option('-o, --output <format>', 'Output format', 'yaml');
  withKubeFlags(view).action(async (flags: KubeFlags & { minify?: boolean; raw?: boolean; output: string }) => {
    await runView(flags);
  });
  const getContexts = config
    .command('get-contexts')
    .description('Describe one or many contexts')
    .argument('[names...]')
    .option('-o, --output <format>', 'Output format. One of: (name).')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers (default print headers).");
  withKubeFlags(getContexts).action(async (names: string[], flags: KubeFlags & { output?: string; headers: boolean }) => {
    await runGetContexts(names, flags);
  });
  for (const [verb, section, label] of [
    ['get-clusters', 'clusters', 'clusters'],
    ['get-users', 'users', 'users'],
  ] as const) {
    withKubeFlags(config.command(verb).description(`Display ${label} defined in the kubeconfig`)).action(async (flags: KubeFlags) => {
      const merged = (await lib()).loadKubeconfig(flags) as Merged;
      process.stdout.write(['NAME', ...(merged[section] ?? []).map((e) => String(e.name))].map((l) => `${l}\n`).join(''));
    });
  }
  withKubeFlags(config.command('current-context').description('Display the current-context')).action(async (flags: KubeFlags) => {
    const current = ((await lib()).loadKubeconfig(flags) as Merged)['current-context'];
    if (!current) throw new Error('current-context is not set');
    process.stdout.write(`${current}\n`);
  });
  withKubeFlags(config.command('use-context').alias('use').description('Set the current-context in a kubeconfig file').argument('[name]')).action(async (name: string | undefined, flags: KubeFlags) => {
    await runUseContext(name, flags);
  });
  const setContext = config
    .command('set-context')
    .description('Set a context entry in kubeconfig')
    .argument('[name]')
    .option('--current', 'Modify the current context')
    .option('--cluster <name>', 'cluster for the context entry in kubeconfig')
    .option('--user <name>', 'user for the context entry in kubeconfig');
  withKubeFlags(setContext).action(async (name: string | undefined, flags: KubeFlags & { current?: boolean; cluster?: string; user?: string }) => {
    await runSetContext(name, flags);
  });
}

function filesOf(flags: KubeFlags, kubeconfigFiles: (env?: NodeJS.ProcessEnv) => string[]): string[] {
  return flags.kubeconfig ? [flags.kubeconfig] : kubeconfigFiles();
}

async function runView(flags: KubeFlags & { minify?: boolean; raw?: boolean; output: string }): Promise<void> {
  const merged = (await lib()).loadKubeconfig(flags) as Merged;
  let { clusters = [], users = [], contexts = [] } = merged;
  const current = merged['current-context'] ?? '';
  if (flags.minify) {
    if (!current) throw new Error('current-context must exist in order to minify');
    const ctx = contexts.find((c) => c.name === current);
    if (!ctx) throw new Error(`cannot locate context ${current}`);
    const inner = (ctx['context'] ?? {}) as Record<string, unknown>;
    contexts = [ctx];
    clusters = clusters.filter((c) => c.name === inner['cluster']);
    users = users.filter((u) => u.name === inner['user']);
  }
  const hide = (v: Record<string, unknown>) => (flags.raw ? v : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, OMITTED.has(k) && x ? 'DATA+OMITTED' : REDACTED.has(k) && x ? 'REDACTED' : x])));
  const entries = (list: Named[], field: string, order: string[]) => list.map((e) => ({ name: e.name, [field]: ordered(hide((e[field] ?? {}) as Record<string, unknown>), order) }));
  const config = {
    kind: 'Config',
    apiVersion: 'v1',
    clusters: entries(clusters, 'cluster', CLUSTER_FIELDS),
    users: entries(users, 'user', USER_FIELDS),
    contexts: entries(contexts, 'context', CONTEXT_FIELDS),
    'current-context': current,
  };
  const output = flags.output;
  if (output === 'json') return void process.stdout.write(`${JSON.stringify(config, null, 4)}\n`);
  if (output === 'yaml') return void process.stdout.write((await import('../print/generic.js')).printYaml(config));
  if (output.startsWith('jsonpath=')) return void process.stdout.write((await import('../print/jsonpath.js')).compileJsonPath(output.slice('jsonpath='.length))(config));
  throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml`);
}

function ordered(value: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => rank(a) - rank(b)));
}

async function runGetContexts(names: string[], flags: KubeFlags & { output?: string; headers: boolean }): Promise<void> {
  const merged = (await lib()).loadKubeconfig(flags) as Merged;
  const output = flags.output ?? '';
  if (output !== '' && output !== 'name') throw new Error(`output must be one of '' or 'name': ${output}`);
  const all = merged.contexts ?? [];
  const chosen = names.length === 0 ? [...all].sort((a, b) => String(a.name).localeCompare(String(b.name))) : all.filter((c) => names.includes(String(c.name)));
  const missing = names.filter((n) => !all.some((c) => c.name === n));
  if (output === 'name') {
    process.stdout.write(chosen.map((c) => `${c.name}\n`).join(''));
  } else {
    const { TabWriter } = await import('../print/tabwriter.js');
    const w = new TabWriter((text) => process.stdout.write(text));
    if (flags.headers) w.row(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']);
    for (const c of chosen) {
      const inner = (c['context'] ?? {}) as Record<string, string>;
      w.row([c.name === merged['current-context'] ? '*' : '', String(c.name), inner['cluster'] ?? '', inner['user'] ?? '', inner['namespace'] ?? '']);
    }
    w.flush();
  }
  if (missing.length > 0) throw new Error(missing.map((n) => `context ${n} not found`).join('\n'));
}

async function runUseContext(name: string | undefined, flags: KubeFlags): Promise<void> {
  if (!name) throw new Error('empty context names are not allowed');
  const { loadKubeconfig, kubeconfigFiles, setCurrentContext } = await lib();
  const merged = loadKubeconfig(flags) as Merged;
  if (!(merged.contexts ?? []).some((c) => c.name === name)) throw new Error(`no context exists with the name: "${name}"`);
  setCurrentContext(filesOf(flags, kubeconfigFiles), name);
  process.stdout.write(`Switched to context "${name}".\n`);
}

async function runSetContext(name: string | undefined, flags: KubeFlags & { current?: boolean; cluster?: string; user?: string }): Promise<void> {
  const { loadKubeconfig, kubeconfigFiles, setContextFields } = await lib();
  if (flags.current && name) throw new Error('you cannot specify both a context name and --current');
  if (flags.current) {
    name = (loadKubeconfig(flags) as Merged)['current-context'];
    if (!name) throw new Error('no current context is set');
  }
  if (!name) throw new Error("Unexpected args: []\nSee 'kubectl config set-context -h' for help and examples");
  const fields: Record<string, string> = {};
  if (flags.cluster !== undefined) fields['cluster'] = flags.cluster;
  if (flags.user !== undefined) fields['user'] = flags.user;
  if (flags.namespace !== undefined) fields['namespace'] = flags.namespace;
  const { created } = setContextFields(filesOf(flags, kubeconfigFiles), name, fields);
  process.stdout.write(`Context "${name}" ${created ? 'created' : 'modified'}.\n`);
}
