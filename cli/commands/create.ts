/**
 * `kd create`: kubectl v1.35.2's create (kubectl pkg/cmd/create/create.go). `-f` POSTs each object
 * with `fieldManager=kubectl-create&fieldValidation=Strict` and prints `<kind>.<group>/<name> created`,
 * collecting per-object errors as `error when creating "<file>": …`; the subcommands are the
 * generators of create-specs.ts, plus `create token`.
 */
import type { Command } from 'commander';
import { addGenerator, collectArray } from './create-generators.js';
import { GENERATORS, SECRET_GENERATORS, SERVICE_GENERATORS } from './create-specs.js';
import { UsageError, withKubeFlags } from './kube-flags.js';

const long = 'Create a resource from a file or from stdin.';

interface CreateFlags {
  filename: string[];
  recursive?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  dryRun?: string | boolean;
  output?: string;
  fieldManager: string;
  validate?: string | boolean;
  showManagedFields?: boolean;
}

/** Adds `create` and its generators to the root program. */
export function registerCreate(program: Command): void {
  // Positional options must be on from the root down for a generator to own the flags after its name.
  program.enablePositionalOptions();
  const cmd = program
    .command('create')
    .description(long)
    .argument('[args...]')
    // Options after a generator's name belong to the generator, as with cobra.
    .enablePositionalOptions()
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to create the resource', collectArray, [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, jsonpath).')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-create')
    .option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--save-config', 'Accepted for compatibility.')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.');
  withKubeFlags(cmd).action(async (args: string[], flags: CreateFlags) => {
    await runCreate(args, flags);
  });
  for (const gen of GENERATORS) addGenerator(cmd, gen);
  const service = cmd.command('service').alias('svc').description('Create a service using a specified subcommand.');
  for (const gen of SERVICE_GENERATORS) addGenerator(service, gen);
  const secret = cmd.command('secret').description('Create a secret with specified type.');
  for (const gen of SECRET_GENERATORS) addGenerator(secret, gen);
  registerToken(cmd);
}

async function runCreate(args: string[], flags: CreateFlags): Promise<void> {
  if (args.length > 0) throw new UsageError(`Unexpected args: [${args.join(' ')}]`, 'kubectl create');
  if (flags.filename.length === 0) throw new Error('must specify one of -f and -k');
  const [{ parseDryRun, parseValidate, writePrinter, writeQuery }, { connect }, { readInfos, throwAll, withSource }, { resourcePath }] = await Promise.all([
    import('../apply/write.js'),
    import('../kube/connect.js'),
    import('../apply/manifests.js'),
    import('../kube/discovery.js'),
  ]);
  const dryRun = parseDryRun(flags.dryRun);
  const validation = parseValidate(flags.validate);
  const print = await writePrinter(flags.output, dryRun, { showManagedFields: flags.showManagedFields });
  const conn = await connect(flags);
  try {
    const read = await readInfos(conn, {
      filenames: flags.filename,
      recursive: flags.recursive,
      namespace: conn.namespace,
      enforceNamespace: !!flags.namespace,
    });
    const errors: unknown[] = [];
    for (const info of read.infos) {
      // kubectl's builder writes the namespace into each namespaced object it read.
      if (info.namespace) (info.obj.metadata ??= {}).namespace = info.namespace;
      if (dryRun === 'client') {
        process.stdout.write(print(info.obj, 'created'));
        continue;
      }
      const query = writeQuery({ fieldManager: flags.fieldManager, validation, dryRun });
      try {
        const created = await conn.client.request('POST', resourcePath(info.resource, info.namespace) + query, { body: info.obj });
        process.stdout.write(print(created, 'created'));
      } catch (err) {
        errors.push(await withSource(err, 'creating', info.source));
      }
    }
    await throwAll([...errors, ...read.errors]);
  } finally {
    await conn.client.close();
  }
}

interface TokenFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  duration?: string;
  audience: string[];
  output?: string;
}

/** `create token SA`: a TokenRequest on the ServiceAccount's token subresource; prints the token. */
function registerToken(parent: Command): void {
  const cmd = parent
    .command('token')
    .description('Request a service account token')
    .argument('[args...]')
    .option('--duration <d>', 'Requested lifetime of the issued token.')
    .option('--audience <aud>', 'Audience of the requested token.', collectArray, [])
    .option('-o, --output <format>', 'Output format.');
  withKubeFlags(cmd).action(async (args: string[], flags: TokenFlags) => {
    if (args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${args.length}`, 'kubectl create token');
    const { connect } = await import('../kube/connect.js');
    const conn = await connect(flags);
    try {
      const spec: Record<string, unknown> = { audiences: flags.audience.length ? flags.audience : null, expirationSeconds: flags.duration ? durationSeconds(flags.duration) : null, boundObjectRef: null };
      const body = { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {}, spec, status: { token: '', expirationTimestamp: null } };
      const path = `/api/v1/namespaces/${encodeURIComponent(conn.namespace)}/serviceaccounts/${encodeURIComponent(args[0]!)}/token`;
      let answer: any;
      try {
        answer = await conn.client.request('POST', path, { body });
      } catch (err) {
        throw (err as { code?: number }).code ? new Error(`failed to create token: ${(err as Error).message}`) : err;
      }
      if (flags.output) {
        const { writePrinter } = await import('../apply/write.js');
        process.stdout.write((await writePrinter(flags.output, 'none'))(answer, 'created'));
      } else process.stdout.write(`${answer.status?.token ?? ''}\n`);
    } finally {
      await conn.client.close();
    }
  });
}

/** A Go duration (`1h`, `30m`, `90s`, `1h30m`) in whole seconds. */
function durationSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * units[m[2]!]!;
    end = re.lastIndex;
  }
  if (end !== text.length || end === 0) throw new Error(`invalid argument "${text}" for "--duration" flag: time: invalid duration "${text}"`);
  return Math.floor(total);
}
