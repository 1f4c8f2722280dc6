/**
 * Creating a generated object as kubectl's generator verbs (run, expose, autoscale) do: a client dry
 * run prints the object as built, in the field order of its Go type (kubectl prints the typed
 * object); otherwise one POST with the verb's fieldManager and the server's answer printed.
 */
import type { KubeClient } from '../kube/client.js';
import { objectPrinter, writeQuery, type DryRun } from './common.js';

/** What a generator verb creates. */
export interface CreateRequest {
  client: KubeClient;
  /** The collection path, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  obj: any;
  operation: string;
  fieldManager: string;
  dryRun: DryRun;
  output?: string;
}

/** `-o kyaml` of a typed object: KYAML of its JSON, which keeps struct field order. */
async function typedKyaml(): Promise<(obj: any) => string> {
  const [{ printKyaml }, { withoutManagedFields }] = await Promise.all([import('../print/kyaml.js'), import('../apply/write.js')]);
  return (obj) => printKyaml(withoutManagedFields(obj), { sorted: false });
}

/** Creates (or, for a client dry run, only prints) the object; throws the server's error. */
export async function createAndPrint(req: CreateRequest): Promise<void> {
  process.stdout.write(await createObject(req));
}

/** Creates the object (nothing for a client dry run) and returns what to print of it; throws the server's error. */
export async function createObject(req: CreateRequest): Promise<string> {
  const { printTypedJson } = await import('../print/generic.js');
  const print = req.output === 'json' ? printTypedJson : req.output === 'kyaml' ? await typedKyaml() : await objectPrinter(req.output, req.operation, req.dryRun);
  if (req.dryRun === 'client') return print(req.obj);
  const created = await req.client.request('POST', req.path + writeQuery({ dryRun: req.dryRun, fieldManager: req.fieldManager }), { body: req.obj });
  return req.output === 'json' ? (await objectPrinter('json', '', req.dryRun))(created) : print(created);
}

/** kubectl's label list parsing for --labels (`a=b,c=d`), with its error for a bad pair. */
export function parseLabelList(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2 || kv[0] === '') throw new Error(`unexpected label spec: ${pair}`);
    out[kv[0]!] = kv[1]!;
  }
  return out;
}
