/**
 * `kd explain` (kubectl pkg/cmd/explain): a kind or a field path of it, from the server's OpenAPI
 * v3 documents, printed by cli/explain/render.ts as kubectl's plaintext template prints it.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { PreformattedError, withKubeFlags } from './kube-flags.js';

interface ExplainFlags extends KubeFlags {
  recursive?: boolean;
  apiVersion?: string;
  output: string;
}

/** Adds `explain` to the root program. */
export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .description('Get documentation for a resource')
    .argument('[resource]', 'TYPE[.FIELD…]')
    .option('--recursive', 'When true, print the name of all the fields recursively.')
    .option('--api-version <group/version>', 'Use given api-version (group/version) of the resource.')
    .option('--output <format>', 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).', 'plaintext');
  withKubeFlags(cmd).action(async (resource: string | undefined, flags: ExplainFlags) => {
    await runExplain(resource, flags);
  });
}

async function runExplain(arg: string | undefined, flags: ExplainFlags): Promise<void> {
  if (!arg) throw new Error('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.');
  const [typeArg, ...path] = arg.split('.');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    let resource;
    try {
      resource = (await conn.resolve(typeArg!))[0]!;
    } catch (err) {
      // kubectl prints this one without its `error: ` prefix.
      throw new PreformattedError([err]);
    }
    let version = resource.version;
    if (flags.apiVersion) {
      const slash = flags.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : flags.apiVersion.slice(0, slash);
      version = flags.apiVersion.slice(slash + 1);
      if (group !== resource.group) throw new Error(`couldn't find resource for "${flags.apiVersion}, Resource=${resource.resource}"`);
    }
    if (flags.output === 'plaintext-openapiv2') {
      const { ApiStatusError } = await import('../kube/errors.js');
      await conn.client.getJson('/openapi/v2?timeout=32s').catch(() => {
        throw new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource');
      });
      throw new Error('kd explains from OpenAPI v3 only');
    }
    if (flags.output !== 'plaintext') throw new Error(`unsupported output format: ${flags.output}, supported formats: plaintext, plaintext-openapiv2`);
    const index = await conn.client.getJson('/openapi/v3?timeout=32s');
    const entry = index.paths?.[resource.group ? `apis/${resource.group}/${version}` : `api/${version}`];
    if (!entry) throw new Error(`couldn't find resource for "${resource.group ? `${resource.group}/` : ''}${version}, Resource=${resource.resource}"`);
    const doc = await conn.client.getJson(entry.serverRelativeURL);
    process.stdout.write(await render(doc, { group: resource.group, kind: resource.kind, version }, path, !!flags.recursive));
  } finally {
    await conn.client.close();
  }
}

/** Finds the kind's schema, walks the field path and renders; an unknown field fails after the header, as kubectl. */
async function render(doc: any, target: { group: string; kind: string; version: string }, path: string[], recursive: boolean): Promise<string> {
  const { fieldsHolder, renderExplain } = await import('../explain/render.js');
  const components = doc.components?.schemas ?? {};
  const kindSchema = Object.values<any>(components).find((s) =>
    (s['x-kubernetes-group-version-kind'] ?? []).some((g: any) => g.group === target.group && g.version === target.version && g.kind === target.kind),
  );
  if (!kindSchema) throw new Error(`couldn't find resource for "${target.group ? `${target.group}/` : ''}${target.version}, Kind=${target.kind}"`);
  let field: { name: string; schema: any } | undefined;
  let holder = kindSchema;
  for (const name of path) {
    const schema = holder.properties?.[name];
    if (!schema) {
      process.stdout.write(`${target.group ? `GROUP:      ${target.group}\n` : ''}KIND:       ${target.kind}\nVERSION:    ${target.version}\n\n`);
      throw new Error(`field "${name}" does not exist`);
    }
    field = { name, schema };
    holder = fieldsHolder(schema, components);
  }
  return renderExplain(target, kindSchema, components, field, recursive);
}
