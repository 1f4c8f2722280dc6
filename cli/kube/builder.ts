/**
 * What kubectl's resource builder (cli-runtime pkg/resource/builder.go) does for every verb: turn
 * `TYPE NAME…` / `TYPE/NAME…` arguments into targets, and `-f` files, directories and stdin into
 * objects, each with the served resource it belongs to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ApiResource } from './discovery.js';

/** One request a command makes: a type, and a name unless it lists. */
export interface Target {
  resource: ApiResource;
  name?: string;
}

/** An object read from `-f`, with where it came from (for kubectl's `from "<source>"` texts). */
export interface Manifest {
  source: string;
  obj: any;
}

/** Extensions kubectl reads from a directory (FileExtensions in the builder). */
const MANIFEST_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/**
 * kubectl's ResourceTypeOrNameArgs: `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…`. A type named twice
 * (`endpoints,ep`) is fetched once, as the builder does.
 */
export async function resolveTargets(
  args: string[],
  resolve: (arg: string) => Promise<ApiResource[]>,
  allNamespaces = false,
): Promise<{ targets: Target[]; singleItemImplied: boolean }> {
  let targets: Target[];
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new Error(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      );
    }
    targets = [];
    for (const a of args) {
      const at = a.indexOf('/');
      targets.push({ resource: (await resolve(a.slice(0, at)))[0]!, name: a.slice(at + 1) });
    }
  } else {
    const types: ApiResource[] = [];
    for (const t of args[0]!.split(',').filter((t) => t !== '')) types.push(...(await resolve(t)));
    types.splice(0, types.length, ...new Set(types));
    const names = args.slice(1);
    targets = names.length === 0 ? types.map((resource) => ({ resource })) : types.flatMap((resource) => names.map((name) => ({ resource, name })));
  }
  if (allNamespaces && targets.some((t) => t.name !== undefined)) throw new Error('a resource cannot be retrieved by name across all namespaces');
  return { targets, singleItemImplied: targets.length === 1 && targets[0]!.name !== undefined };
}

/**
 * Reads the objects of `-f` arguments in order: `-` is stdin (passed in as text), a directory
 * gives its .json/.yaml/.yml files in name order (recursively with `-R`), a file any extension.
 * YAML streams give one object per non-empty document and `kind: List`s are flattened, as kubectl.
 */
export async function readManifests(filenames: string[], opts: { recursive?: boolean; stdin?: () => Promise<string> } = {}): Promise<Manifest[]> {
  const { parseAllDocuments } = await import('yaml');
  const out: Manifest[] = [];
  for (const f of filenames) {
    const sources = f === '-' ? [{ source: 'STDIN', text: await (opts.stdin ?? readStdin)() }] : filesOf(f, !!opts.recursive).map((p) => ({ source: p, text: readFileSync(p, 'utf8') }));
    for (const { source, text } of sources) {
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length > 0) throw new Error(`error parsing ${source}: ${doc.errors[0]!.message}`);
        const obj = doc.toJS();
        if (obj === null || obj === undefined) continue;
        for (const item of flattenList(obj)) out.push({ source, obj: item });
      }
    }
  }
  return out;
}

function filesOf(path: string, recursive: boolean): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const p = join(path, name);
      if (statSync(p).isDirectory()) return recursive ? filesOf(p, true) : [];
      return MANIFEST_EXTENSIONS.has(extname(name)) ? [p] : [];
    });
}

function flattenList(obj: any): any[] {
  if (typeof obj === 'object' && typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) return obj.items.flatMap(flattenList);
  return [obj];
}

/** All of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
