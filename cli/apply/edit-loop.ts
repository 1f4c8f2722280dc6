/**
 * The edit loop of `kd edit` (kubectl pkg/cmd/util/editor/editoptions.go, editor/editor.go): the
 * objects are written to a temp file under kubectl's header, the editor runs, and the changes go
 * back as two-way strategic merge patches; an invalid edit reopens the file with the server's
 * reasons in the header, and a second unchanged save gives up keeping a copy of the file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../kube/connect.js';
import type { Target } from '../kube/builder.js';

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** One object being edited. */
interface Edited {
  target: Target;
  namespace: string | undefined;
  path: string;
  obj: any;
}

/** A reason the header shows on the next round (editHeader.reasons). */
interface Reason {
  head: string;
  other: string[];
}

/** Options of the loop. */
export interface EditOptions {
  format: 'yaml' | 'json';
  fieldManager: string;
  validation: 'Strict' | 'Warn' | 'Ignore';
  outputPatch: boolean;
  env: NodeJS.ProcessEnv;
}

/** The header kubectl writes, with this round's reasons. */
function header(reasons: Reason[]): string {
  let text = HEADER;
  for (const r of reasons) {
    text += `# ${r.head.replaceAll('\n', '\n# ')}${r.other.length ? ':' : ''}\n`;
    for (const o of r.other) text += `# * ${o.replaceAll('\n', '\n# ')}\n`;
    text += '#\n';
  }
  return text;
}

/** The text without comment lines (cmdutil.StripComments / ManualStrip). */
function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
}

/** Runs the editor as kubectl does: a command with spaces goes through `$SHELL -c`. */
function launch(file: string, env: NodeJS.ProcessEnv): void {
  const editor = env['KUBE_EDITOR'] || env['EDITOR'] || 'vi';
  const args = editor.includes(' ') && !editor.startsWith('"') ? [env['SHELL'] || '/bin/bash', '-c', `${editor} ${JSON.stringify(file)}`] : [editor, file];
  const r = spawnSync(args[0]!, args.slice(1), { stdio: 'inherit', env });
  if (r.error || r.status !== 0) throw new Error(`there was a problem with the editor "${editor}"`);
}

function resourceString(t: Target): string {
  return `${t.resource.resource}${t.resource.group ? `.${t.resource.group}` : ''}`;
}

/**
 * Edits the objects until the changes are saved or the user gives up; prints `edited` lines through
 * `print`. Returns normally on success or cancellation, throws kubectl's errors otherwise.
 */
export async function editLoop(conn: Connection, items: Edited[], o: EditOptions, print: (obj: any, op: string) => string): Promise<void> {
  const [{ printYaml }, { printJson }, { withoutManagedFields }] = await Promise.all([import('../print/generic.js'), import('../print/generic.js'), import('./write.js')]);
  const render = (obj: any) => (o.format === 'json' ? printJson(obj) : printYaml(obj));
  const shown = items.length === 1 ? withoutManagedFields(items[0]!.obj) : { apiVersion: 'v1', items: items.map((i) => withoutManagedFields(i.obj)), kind: 'List', metadata: {} };
  const original = render(shown);
  let file = '';
  let reasons: Reason[] = [];
  let previous: string | undefined;
  for (;;) {
    const body = previous === undefined ? original : stripComments(previous);
    // A new file each round, named as kubectl names it; only the last one is kept on failure.
    if (file) rmSync(file, { force: true });
    file = join(tmpdir(), `kubectl-edit-${Math.floor(Math.random() * 4294967295)}.${o.format}`);
    writeFileSync(file, header(reasons) + body);
    launch(file, o.env);
    const edited = readFileSync(file, 'utf8');
    if (previous !== undefined && stripComments(previous) === stripComments(edited)) {
      process.stderr.write(`A copy of your changes has been stored to "${file}"\n`);
      throw new Error('Edit cancelled, no valid changes were saved.');
    }
    if (stripComments(original) === stripComments(edited)) {
      rmSync(file, { force: true });
      process.stderr.write('Edit cancelled, no changes made.\n');
      return;
    }
    if (stripComments(edited).trim() === '') {
      rmSync(file, { force: true });
      process.stderr.write('Edit cancelled, saved file was empty.\n');
      return;
    }
    try {
      reasons = await saveEdits(conn, items, edited, o, print);
    } catch (err) {
      // kubectl's preservedFile: the edits stay in the file, and the error follows.
      process.stderr.write(`A copy of your changes has been stored to "${file}"\n`);
      throw err;
    }
    if (reasons.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    previous = edited;
  }
}

/** Patches every changed object; returns the reasons of the invalid ones (to reopen the editor). */
async function saveEdits(conn: Connection, items: Edited[], edited: string, o: EditOptions, print: (obj: any, op: string) => string): Promise<Reason[]> {
  const [{ parse }, { createTwoWayMergePatch, deepEqual }, { withoutManagedFields, goCompactJson }] = await Promise.all([import('yaml'), import('./three-way.js'), import('./write.js')]);
  const doc = parse(stripComments(edited));
  const editedObjs: any[] = isList(doc) ? (doc.items ?? []) : [doc];
  requireNamespace(editedObjs, items, conn.namespace);
  const reasons: Reason[] = [];
  // Each edited object is matched to its original by uid (editoptions.go visitToPatch), so the
  // order of a List may change and objects left out of it are not touched.
  for (const after of editedObjs) {
    const item = items.find((i) => i.obj.metadata?.uid === after?.metadata?.uid);
    // kubectl v1.35.2 passes over an object whose uid matches none of the originals, silently.
    if (!item) continue;
    const before = withoutManagedFields(item.obj);
    if (deepEqual(before, after)) {
      process.stdout.write(print(item.obj, 'skipped'));
      continue;
    }
    if (after.apiVersion !== before.apiVersion || after.kind !== before.kind || after.metadata?.name !== before.metadata?.name) {
      throw new Error('At least one of apiVersion, kind and name was changed');
    }
    const patch = createTwoWayMergePatch(before, after, String(before.kind));
    if (o.outputPatch) process.stdout.write(`Patch: ${goCompactJson(patch)}\n`);
    const q = new URLSearchParams({ fieldManager: o.fieldManager });
    if (o.validation) q.set('fieldValidation', o.validation);
    try {
      const patched = await conn.client.request('PATCH', `${item.path}?${q}`, { body: patch, contentType: 'application/strategic-merge-patch+json' });
      process.stdout.write(print(patched, 'edited'));
    } catch (err) {
      const e = err as { code?: number; reason?: string; message: string; details?: { causes?: Array<{ field?: string; message?: string }> } };
      const rs = resourceString(item.target);
      if (e.reason === 'Invalid') {
        reasons.push({ head: `${rs} "${item.target.name}" was not valid`, other: (e.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
        process.stderr.write(`error: ${rs} "${item.target.name}" is invalid\n`);
      } else if (e.code === 404) {
        process.stderr.write(`error: ${rs} "${item.target.name}" could not be found on the server\n`);
      } else {
        process.stderr.write(`error: ${rs} "${item.target.name}" could not be patched: ${e.message}\n`);
      }
    }
  }
  return reasons;
}

/** resource.RequireNamespace: a namespaced object moved to another namespace stops the save. */
function requireNamespace(editedObjs: any[], items: Edited[], namespace: string): void {
  for (const after of editedObjs) {
    const ns = after?.metadata?.namespace;
    const namespaced = items.find((i) => i.obj.kind === after?.kind)?.target.resource.namespaced ?? true;
    if (namespaced && ns && ns !== namespace) {
      throw new Error(`the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`);
    }
  }
}

/** A `kind: List` (or `…List`) document, as the builder flattens it. */
function isList(doc: any): boolean {
  return typeof doc?.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items);
}

/** GETs the targets to edit; a target without a name is the list of its type in the namespace. */
export async function fetchEdited(conn: Connection, targets: Target[]): Promise<Edited[]> {
  const { resourcePath } = await import('../kube/discovery.js');
  const out: Edited[] = [];
  for (const target of targets) {
    const r = target.resource;
    const namespace = r.namespaced ? conn.namespace : undefined;
    if (target.name !== undefined) {
      const path = resourcePath(r, namespace, target.name);
      out.push({ target, namespace, path, obj: await conn.client.getJson(path) });
      continue;
    }
    const list = await conn.client.getJson(resourcePath(r, namespace));
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    for (const item of list.items ?? []) {
      const name = String(item.metadata?.name);
      out.push({ target: { resource: r, name }, namespace, path: resourcePath(r, namespace, name), obj: { apiVersion, kind: r.kind, ...item } });
    }
  }
  return out;
}
