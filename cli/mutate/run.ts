/**
 * `kd run`: port of kubectl pkg/cmd/run/run.go and generate/versioned/run.go (BasicPod): builds the
 * Pod kubectl builds, fields in its Go order, and creates it with fieldManager kubectl-run.
 * Attaching (`-i`, `-t`, `--attach`, `--rm`) is not implemented.
 */
import type { KubeFlags } from '../kube/kubeconfig.js';
import { dryRunStrategy, parseGoBool } from './common.js';
import { createAndPrint, createObject, parseLabelList } from './create.js';

/** Flags of run. */
export interface RunFlags extends KubeFlags {
  image?: string;
  port?: string;
  labels?: string;
  env: string[];
  annotations: string[];
  restart: string;
  command?: boolean;
  imagePullPolicy?: string;
  privileged?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
  expose?: string | boolean;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function parseEnvs(specs: string[]): Array<{ name: string; value: string }> {
  return specs.map((s) => {
    const eq = s.indexOf('=');
    if (eq < 0 || !ENV_NAME.test(s.slice(0, eq))) throw new Error(`invalid env: ${s}`);
    return { name: s.slice(0, eq), value: s.slice(eq + 1) };
  });
}

function parseAnnotations(specs: string[]): Record<string, string> | undefined {
  if (specs.length === 0) return undefined;
  const out: Record<string, string> = {};
  const invalid = specs.filter((s) => s.indexOf('=') <= 0);
  if (invalid.length > 0) throw new Error(`invalid annotations format: ${invalid.join(', ')}`);
  for (const s of specs) out[s.slice(0, s.indexOf('='))] = s.slice(s.indexOf('=') + 1);
  return out;
}

/** The container kubectl generates, keys in the order of the Go Container struct. */
function container(name: string, args: string[], flags: RunFlags): Record<string, unknown> {
  const c: Record<string, unknown> = { name, image: flags.image };
  if (args.length > 0) c[flags.command ? 'command' : 'args'] = args;
  if (flags.port) {
    if (!/^\d+$/.test(flags.port)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(flags.port)}: invalid syntax`);
    c['ports'] = [{ containerPort: Number(flags.port) }];
  }
  const env = parseEnvs(flags.env);
  if (env.length > 0) c['env'] = env;
  c['resources'] = {};
  if (flags.imagePullPolicy) c['imagePullPolicy'] = flags.imagePullPolicy;
  if (flags.privileged) c['securityContext'] = { privileged: true };
  return c;
}

/**
 * Runs `run NAME --image=IMAGE [-- ARGS…]`.
 *
 * @example
 * await runRun(['web', 'sleep', '10'], { image: 'busybox', env: [], annotations: [], restart: 'Always' });
 */
export async function runRun(args: string[], flags: RunFlags): Promise<void> {
  // pflag parses a bool flag's value before cobra checks anything else.
  if (typeof flags.expose === 'string' && parseGoBool(flags.expose) === undefined) {
    const { UsageHelpError } = await import('../commands/create-generators.js');
    throw new UsageHelpError(`invalid argument ${JSON.stringify(flags.expose)} for "--expose" flag: strconv.ParseBool: parsing ${JSON.stringify(flags.expose)}: invalid syntax`, 'kubectl run');
  }
  if (!flags.image) throw new Error('required flag(s) "image" not set');
  const dryRun = dryRunStrategy(flags.dryRun);
  const { UsageError } = await import('../commands/kube-flags.js');
  if (args.length === 0) throw new UsageError('NAME is required for run', 'kubectl run');
  if (!RESTART_POLICIES.includes(flags.restart)) throw new UsageError(`invalid restart policy: ${flags.restart}`, 'kubectl run');
  const [name, ...rest] = args as [string, ...string[]];
  // An explicit -n is written into the object (kubectl's enforceNamespace), the context's is not.
  const metadata: Record<string, unknown> = { name, ...(flags.namespace ? { namespace: flags.namespace } : {}), labels: flags.labels ? parseLabelList(flags.labels) : { run: name } };
  const annotations = parseAnnotations(flags.annotations);
  if (annotations) metadata['annotations'] = annotations;
  const expose = flags.expose === true || (flags.expose !== undefined && parseGoBool(String(flags.expose)) === true);
  if (expose && !flags.port) throw new UsageError('--port must be set when exposing a service', 'kubectl run');
  const pod = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata,
    spec: { containers: [container(name, rest, flags)], restartPolicy: flags.restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const base = `/api/v1/namespaces/${encodeURIComponent(conn.namespace)}`;
    const write = { client: conn.client, operation: 'created', fieldManager: flags.fieldManager ?? 'kubectl-run', dryRun, output: flags.output };
    if (!expose) return await createAndPrint({ ...write, path: `${base}/pods`, obj: pod });
    // kubectl creates the Pod first and prints it last: the Service is printed when it is made, and
    // an error making it comes after the Pod's line.
    const podText = await createObject({ ...write, path: `${base}/pods`, obj: pod });
    let serviceError: unknown;
    try {
      process.stdout.write(await createObject({ ...write, path: `${base}/services`, obj: exposedService(name, Number(flags.port), metadata['labels'] as Record<string, string>, flags) }));
      // kubectl's YAML printer separates the Service from the Pod twice.
      if (flags.output === 'yaml') process.stdout.write('---\n---\n');
    } catch (e) {
      serviceError = e;
    }
    process.stdout.write(podText);
    if (serviceError) throw serviceError;
  } finally {
    await conn.client.close();
  }
}

/**
 * The ClusterIP Service of `run --expose` (the service/v2 generator): the port on both sides, a
 * selector of the pod's labels, and --labels (only those given) on the Service itself.
 */
function exposedService(name: string, port: number, podLabels: Record<string, string>, flags: RunFlags): Record<string, unknown> {
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name, ...(flags.namespace ? { namespace: flags.namespace } : {}), ...(flags.labels ? { labels: podLabels } : {}) },
    spec: { ports: [{ protocol: 'TCP', port, targetPort: port }], selector: podLabels },
    status: { loadBalancer: {} },
  };
}
