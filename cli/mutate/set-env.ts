/**
 * `kd set env`: port of kubectl pkg/cmd/set/set_env.go and pkg/cmd/set/env/env_parse.go on top of
 * cli/mutate/set.ts: KEY=VAL and KEY- arguments, `-e`, `--from=configmap/x|secret/x` with
 * `--keys` and `--prefix`, `-c` container globs and `--list`.
 */
import { dryRunStrategy, fetchInfos, type Info } from './common.js';
import { matchesGlob, podSpecOf, runSet, type Container, type SetFlags } from './set.js';

/** Flags of set env. */
export interface SetEnvFlags extends SetFlags {
  containers: string;
  env: string[];
  from?: string;
  keys: string[];
  prefix?: string;
  list?: boolean;
  overwrite: boolean;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: any;
}

/** A valid environment variable name (apimachinery validation.IsEnvVarName). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_NAME_MESSAGE =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/** env.SplitEnvironmentFromResources: resources first, then KEY=VAL / KEY- arguments. */
function splitEnvironment(args: string[]): { resources: string[]; envArgs: string[] } | undefined {
  const resources: string[] = [];
  const envArgs: string[] = [];
  for (const s of args) {
    const isEnv = /^(.+)=(.*)$/s.test(s) || s.endsWith('-');
    if (isEnv) envArgs.push(s);
    else if (envArgs.length > 0) return undefined;
    else resources.push(s);
  }
  return { resources, envArgs };
}

/** env.ParseEnv without stdin. */
function parseEnv(specs: string[]): { env: EnvVar[]; remove: string[] } {
  const env: EnvVar[] = [];
  const remove: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq >= 0) {
      const name = spec.slice(0, eq);
      if (!ENV_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a valid key name: ${ENV_NAME_MESSAGE}`);
      env.push({ name, value: spec.slice(eq + 1) });
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new Error(`unknown environment variable: ${spec}`);
    }
  }
  if (remove.some((r) => env.some((e) => e.name === r))) throw new Error('can not both modify and remove the same environment variable in the same command');
  return { env, remove };
}

/** keyToEnvName: upper case, other characters to `_`, with kubectl's warning when it changed the key. */
function keyToEnvName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
  if (name !== key) process.stderr.write(`Warning: key ${key} transferred to ${name}\n`);
  return name;
}

/** The env vars that `--from` adds, one per key of the ConfigMap or Secret. */
async function envFrom(flags: SetEnvFlags): Promise<EnvVar[]> {
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args: [flags.from!] });
    const { throwCollected } = await import('./common.js');
    await throwCollected(fetched.errors);
    const env: EnvVar[] = [];
    for (const { obj } of fetched.infos) {
      const ref = obj.kind === 'Secret' ? 'secretKeyRef' : obj.kind === 'ConfigMap' ? 'configMapKeyRef' : undefined;
      if (!ref) throw new Error('unsupported resource specified in --from');
      // Go ranges over the data map in random order; sorted keys are one of its orders.
      for (const key of Object.keys(obj.data ?? {}).sort()) {
        if (flags.keys.length > 0 && !flags.keys.includes(key)) continue;
        env.push({ name: keyToEnvName(key), valueFrom: { [ref]: { key, name: obj.metadata.name } } });
      }
    }
    return env;
  } finally {
    await conn.client.close();
  }
}

/** updateEnv: existing vars replaced in place or dropped, new ones appended. */
function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const covered = new Set(remove);
  const out: EnvVar[] = [];
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((n) => n.name === e.name);
    if (newer) covered.add(e.name);
    out.push(newer ?? e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(e);
  }
  return out;
}

/** env.GetEnvVarRefString. */
function refString(from: any): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

function listEnv(info: Info, c: Container): void {
  process.stdout.write(`# ${info.obj.kind} ${info.name}, container ${c.name}\n`);
  for (const e of (c.env ?? []) as EnvVar[]) {
    process.stdout.write(e.valueFrom ? `# ${e.name} from ${refString(e.valueFrom)}\n` : `${e.name}=${e.value ?? ''}\n`);
  }
}

/** Runs `set env` with the positional arguments and flags. */
export async function runSetEnv(args: string[], flags: SetEnvFlags): Promise<void> {
  const split = splitEnvironment(args);
  if (!split) throw new Error(`all resources must be specified before environment changes: ${args.join(' ')}`);
  if (flags.filename.length === 0 && split.resources.length < 1) throw new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (flags.list && flags.output) throw new Error('--list and --output may not be specified together');
  if (flags.keys.length > 0 && !flags.from) throw new Error('when specifying --keys, a configmap or secret must be provided with --from');
  const { env, remove } = parseEnv([...flags.env, ...split.envArgs]);
  if (flags.from) env.push(...(await envFrom(flags)));
  if (flags.prefix) for (const e of env) e.name = `${flags.prefix}${e.name}`;
  if (flags.list) return listAll(split.resources, flags, { env, remove });
  await runSet({
    args: split.resources,
    flags,
    operation: 'env updated',
    fields: ['env'],
    what: 'env',
    update: (spec, info) => {
      const containers = [...((spec.containers ?? []) as Container[]), ...((spec.initContainers ?? []) as Container[])].filter((c) => matchesGlob(flags.containers, c.name));
      if (containers.length === 0) process.stderr.write(`Warning: ${info.obj.kind}/${info.name} does not have any containers matching ${JSON.stringify(flags.containers)}\n`);
      for (const c of containers) {
        const next = updateEnv(c.env ?? [], env, remove);
        if (next.length > 0 || c.env) c.env = next;
        if (c.env?.length === 0) delete c.env;
      }
      return [];
    },
  });
}

/** `--list`: the env of every selected container after the requested change, nothing written. */
async function listAll(resources: string[], flags: SetEnvFlags, change: { env: EnvVar[]; remove: string[] }): Promise<void> {
  if (flags.local) {
    const { checkLocalDryRun, readLocalInfos } = await import('./local.js');
    const { infos } = await readLocalInfos(flags.filename, flags.recursive);
    checkLocalDryRun(dryRunStrategy(flags.dryRun));
    for (const info of infos) listInfo(info, flags, change);
    return;
  }
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args: resources, filenames: flags.filename, selector: flags.selector, all: flags.all });
    const { throwCollected } = await import('./common.js');
    await throwCollected(fetched.errors);
    for (const info of fetched.infos) listInfo(info, flags, change);
  } finally {
    await conn.client.close();
  }
}

/** The env of one object's selected containers after the change. */
function listInfo(info: Info, flags: SetEnvFlags, change: { env: EnvVar[]; remove: string[] }): void {
  const spec = podSpecOf(info);
  const containers = [...((spec.containers ?? []) as Container[]), ...((spec.initContainers ?? []) as Container[])].filter((c) => matchesGlob(flags.containers, c.name));
  for (const c of containers) {
    c.env = updateEnv(c.env ?? [], change.env, change.remove);
    listEnv(info, c);
  }
}
