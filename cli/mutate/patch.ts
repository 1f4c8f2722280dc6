/**
 * `kd patch`: port of kubectl pkg/cmd/patch/patch.go. The patch text goes through apimachinery's
 * yaml.ToJSON (JSON is sent as it is, YAML converted), then one PATCH per object with the content
 * type of `--type`; the object prints as `patched` or `patched (no change)` when the server's answer
 * equals what was read. patch prints no dry-run suffix: its printer's operation replaces it.
 */
import { readFileSync } from 'node:fs';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { sortKeys } from '../print/generic.js';
import { dryRunStrategy, fetchInfos, infoPath, objectPrinter, throwCollected, writeQuery, type DryRun, type Info } from './common.js';

/** Flags of patch. */
export interface PatchFlags extends KubeFlags {
  patch?: string;
  patchFile?: string;
  type?: string;
  subresource?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
}

/** The --type values and their content types (patch.go patchTypes). */
const PATCH_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** apimachinery util/yaml ToJSON: text that looks like JSON passes unchanged, YAML is converted. */
async function toJson(text: string, shown: string): Promise<string> {
  if (/^\s*[{[]/.test(text)) return text;
  const { parse } = await import('yaml');
  try {
    return JSON.stringify(parse(text) ?? null);
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    throw new Error(`unable to parse ${JSON.stringify(shown)}: yaml: ${first}`);
  }
}

function validate(flags: PatchFlags): void {
  if (flags.patch && flags.patchFile) throw new Error('cannot specify --patch and --patch-file together');
  if (!flags.patch && !flags.patchFile) throw new Error('must specify --patch or --patch-file containing the contents of the patch');
  if (flags.type && !(flags.type.toLowerCase() in PATCH_TYPES)) throw new Error(`--type must be one of [json merge strategic], not ${JSON.stringify(flags.type)}`);
}

/** Runs `patch` with the positional arguments and flags. */
export async function runPatch(args: string[], flags: PatchFlags): Promise<void> {
  const dryRun = dryRunStrategy(flags.dryRun);
  validate(flags);
  const contentType = PATCH_TYPES[(flags.type ?? 'strategic').toLowerCase()]!;
  let text = flags.patch ?? '';
  if (flags.patchFile) {
    try {
      text = readFileSync(flags.patchFile, 'utf8');
    } catch {
      throw new Error(`unable to read patch file: open ${flags.patchFile}: no such file or directory`);
    }
  }
  const body = await toJson(text, flags.patch ?? '');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args, filenames: flags.filename, recursive: flags.recursive, subresource: flags.subresource });
    const errors = [...fetched.errors];
    for (const info of fetched.infos) {
      try {
        await patchOne(conn.client, info, { body, contentType, dryRun, flags });
      } catch (err) {
        errors.push(err);
      }
    }
    await throwCollected(errors);
    if (fetched.infos.length === 0) throw new Error('no objects passed to patch');
  } finally {
    await conn.client.close();
  }
}

interface PatchRequest {
  body: string;
  contentType: string;
  dryRun: DryRun;
  flags: PatchFlags;
}

/**
 * One object. A client dry run applies a merge patch locally as kubectl does; the strategic and JSON
 * patches it asks the server to apply with dryRun=All, which has the schema they need.
 */
async function patchOne(client: import('../kube/client.js').KubeClient, info: Info, req: PatchRequest): Promise<void> {
  let patched: any;
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    parsed = undefined;
  }
  const isMap = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  // strategicpatch refuses a patch that is not a JSON object before it looks at the schema.
  if (req.dryRun === 'client' && req.contentType !== PATCH_TYPES['json'] && !isMap) throw new Error('invalid JSON document');
  if (req.dryRun === 'client' && req.contentType === PATCH_TYPES['merge']) {
    patched = mergePatch(structuredClone(info.obj), parsed);
  } else {
    const dryRun: DryRun = req.dryRun === 'none' ? 'none' : 'server';
    const query = writeQuery({ dryRun, fieldManager: req.flags.fieldManager ?? 'kubectl-patch' });
    patched = await client.request('PATCH', await infoPath(info, req.flags.subresource ?? '', query), { body: req.body, contentType: req.contentType });
  }
  const changed = JSON.stringify(sortKeys(info.obj)) !== JSON.stringify(sortKeys(patched));
  const print = await objectPrinter(req.flags.output, changed ? 'patched' : 'patched (no change)', 'none');
  process.stdout.write(print(patched));
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: any, patch: any): any {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out = typeof target === 'object' && target !== null && !Array.isArray(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
