/**
 * `kd auth can-i` and `kd auth whoami` (kubectl pkg/cmd/auth): SelfSubjectAccessReview,
 * SelfSubjectRulesReview and SelfSubjectReview, printed as kubectl prints them.
 */
import type { Command } from 'commander';
import type { KubeClient } from '../kube/client.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { withKubeFlags } from './kube-flags.js';

/** The verbs kubectl knows for resources; others only earn a warning. */
const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest'];
/** The verbs kubectl knows for non-resource URLs. */
const NON_RESOURCE_VERBS = ['get', 'put', 'post', 'head', 'options', 'delete', 'patch'];
const TWO_ARGS = "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.";

interface CanIFlags extends KubeFlags {
  allNamespaces?: boolean;
  list?: boolean;
  quiet?: boolean;
  subresource?: string;
  headers: boolean;
}

/** Adds `auth can-i` and `auth whoami` to the root program. */
export function registerAuth(program: Command): void {
  const auth = program.command('auth').description('Inspect authorization');
  const canI = auth
    .command('can-i')
    .description('Check whether an action is allowed')
    .argument('[args...]', 'VERB [TYPE | TYPE/NAME | NONRESOURCEURL]')
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('--list', 'If true, prints all allowed actions.')
    .option('-q, --quiet', 'If true, suppress output and just return the exit code.')
    .option('--subresource <name>', 'SubResource such as pod/log or deployment/scale')
    .option('--no-headers', "If true, prints allowed actions without headers");
  withKubeFlags(canI).action(async (args: string[], flags: CanIFlags) => {
    await runCanI(args, flags);
  });
  const whoami = auth.command('whoami').description('Check self subject attributes').option('-o, --output <format>', 'Output format. One of: (json, yaml).');
  withKubeFlags(whoami).action(async (flags: KubeFlags & { output?: string }) => {
    await runWhoami(flags);
  });
}

async function runCanI(args: string[], flags: CanIFlags): Promise<void> {
  if (flags.list) {
    if (args.length > 0) throw new Error('list option must be specified with no arguments');
  } else if (args.length < 2) {
    throw new Error(TWO_ARGS);
  }
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    if (flags.list) return await listRules(conn.client, flags.allNamespaces ? '' : conn.namespace, flags.headers);
    const [verb, target] = [args[0]!, args[1]!];
    const namespace = flags.allNamespaces ? '' : conn.namespace;
    let spec: Record<string, unknown>;
    if (target.startsWith('/')) {
      if (!NON_RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
      spec = { nonResourceAttributes: { path: target, verb } };
    } else {
      if (!RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
      const [type, name = ''] = target.split('/', 2) as [string, string?];
      let resource = { group: '', resource: type };
      try {
        const r = (await conn.resolve(type))[0]!;
        resource = { group: r.group, resource: r.resource };
        if (!r.namespaced && namespace !== '') warn(`resource '${r.resource}' is not namespace scoped`);
      } catch {
        warn(`the server doesn't have a resource type '${type}'`);
      }
      spec = { resourceAttributes: { namespace, verb, ...resource, subresource: flags.subresource ?? '', name } };
    }
    const review = await conn.client.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec },
    });
    const allowed = review?.status?.allowed === true;
    if (!flags.quiet) {
      const reason = review?.status?.reason ? ` - ${review.status.reason}` : '';
      process.stdout.write(allowed ? 'yes\n' : `no${reason}\n`);
    }
    if (!allowed) process.exitCode = 1;
  } finally {
    await conn.client.close();
  }
}

function warn(text: string): void {
  process.stderr.write(`Warning: ${text}\n\n`);
}

/** `--list`: the rules of a SelfSubjectRulesReview, one row per resource and group. */
async function listRules(client: KubeClient, namespace: string, headers: boolean): Promise<void> {
  const review = await client.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
    body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: { namespace } },
  });
  const list = (v: string[] | undefined) => `[${(v ?? []).join(' ')}]`;
  const { TabWriter } = await import('../print/tabwriter.js');
  const w = new TabWriter((text) => process.stdout.write(text));
  if (headers) w.row(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
  for (const rule of review?.status?.resourceRules ?? []) {
    for (const group of rule.apiGroups ?? ['']) {
      for (const res of rule.resources ?? []) w.row([group ? `${res}.${group}` : res, '[]', list(rule.resourceNames), list(rule.verbs)]);
    }
  }
  for (const rule of review?.status?.nonResourceRules ?? []) w.row(['', list(rule.nonResourceURLs), '[]', list(rule.verbs)]);
  w.flush();
}

async function runWhoami(flags: KubeFlags & { output?: string }): Promise<void> {
  const output = flags.output ?? '';
  if (output !== '' && output !== 'json' && output !== 'yaml') {
    throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml`);
  }
  const { resolveContext } = await import('../kube/kubeconfig.js');
  const { KubeClient } = await import('../kube/client.js');
  const client = new KubeClient(resolveContext(flags));
  try {
    const res = await client.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} } },
    });
    const user = res?.status?.userInfo ?? {};
    // kubectl prints the typed object: its fields in struct order, not sorted.
    const review = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: user } };
    if (output === 'json') return void process.stdout.write(`${JSON.stringify(review, null, 4)}\n`);
    if (output === 'yaml') return void process.stdout.write((await import('../print/generic.js')).printYaml(review));
    const { TabWriter } = await import('../print/tabwriter.js');
    const w = new TabWriter((text) => process.stdout.write(text));
    w.row(['ATTRIBUTE', 'VALUE']);
    if (user.username) w.row(['Username', user.username]);
    if (user.uid) w.row(['UID', user.uid]);
    if (user.groups?.length) w.row(['Groups', `[${user.groups.join(' ')}]`]);
    for (const [k, v] of Object.entries(user.extra ?? {}).sort()) w.row([`Extra: ${k}`, `[${(v as string[]).join(' ')}]`]);
    w.flush();
  } finally {
    await client.close();
  }
}
