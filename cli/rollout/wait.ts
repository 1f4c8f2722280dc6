/**
 * `kubectl wait` (kubectl pkg/cmd/wait/wait.go): the `--for` conditions (delete, create,
 * condition=Name[=value], jsonpath=expr[=value]) checked against each object, first on a plain
 * GET when `--timeout=0`, else on a list-then-watch sharing one deadline across all objects.
 */
import type { KubeClient } from '../kube/client.js';
import { ApiStatusError } from '../kube/errors.js';
import { groupResource, pathOf, type Info } from './targets.js';
import { deadline, untilWithSync, WaitTimeoutError, type WatchEvent } from './watch.js';

/** A parsed `--for`: how to judge one state of the object. */
export type WaitFor =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; name: string; value: string }
  | { kind: 'jsonpath'; path: string; value: string | undefined };

/** How often `--for=create` polls for the object, like kubectl's 0.5 s poll. */
const CREATE_POLL_MS = 500;

/** kubectl's RelaxedJSONPathExpression: `{.a.b}`, `{a.b}`, `.a.b` or `a.b` become `.a.b`. */
function relaxedPath(expr: string): string {
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `.${m[1] ?? m[2]}`;
}

/** Parses `--for`, with kubectl's errors for what it does not accept. */
export async function parseWaitFor(text: string): Promise<WaitFor> {
  if (text.toLowerCase() === 'delete') return { kind: 'delete' };
  if (text.toLowerCase() === 'create') return { kind: 'create' };
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq < 0 ? { kind: 'condition', name: rest, value: 'true' } : { kind: 'condition', name: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (text.startsWith('jsonpath=')) {
    const rest = text.slice('jsonpath='.length);
    // The value follows the last `=` after the expression's closing brace.
    const eq = rest.lastIndexOf('=');
    const hasValue = eq >= 0 && eq > rest.lastIndexOf('}');
    const expr = hasValue ? rest.slice(0, eq) : rest;
    if (expr === '') throw new Error('jsonpath expression cannot be empty');
    if (hasValue && rest.slice(eq + 1) === '') throw new Error("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
    const path = relaxedPath(expr);
    const { compileJsonPath } = await import('../print/jsonpath.js');
    try {
      compileJsonPath(`{${path}}`);
    } catch (err) {
      throw new Error((err as Error).message.slice(`error parsing jsonpath {${path}}, `.length));
    }
    return { kind: 'jsonpath', path, value: hasValue ? rest.slice(eq + 1).replace(/^['"]+|['"]+$/g, '') : undefined };
  }
  throw new Error(`unrecognized condition: ${JSON.stringify(text)}`);
}

const equalFold = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** ConditionalWait.checkCondition: the named condition's status, once its generation is observed. */
function conditionMet(obj: any, name: string, value: string): boolean {
  for (const c of obj.status?.conditions ?? []) {
    if (typeof c.type !== 'string' || !equalFold(c.type, name) || typeof c.status !== 'string') continue;
    const generation = obj.metadata?.generation;
    const observed = c.observedGeneration ?? obj.status?.observedGeneration;
    if (generation !== undefined && observed !== undefined && observed < generation) return false;
    return equalFold(c.status, value);
  }
  return false;
}

/** JSONPathWait.checkCondition. */
async function jsonPathMet(obj: any, path: string, value: string | undefined): Promise<boolean> {
  const { evalPath } = await import('../print/jsonpath.js');
  const results = evalPath(path, [obj]);
  if (results.length === 0) return false;
  if (results.length > 1) throw new Error('given jsonpath expression matches more than one value');
  if (value === undefined) return true;
  const r = results[0];
  if (r !== null && typeof r === 'object') throw new Error('jsonpath leads to a nested object or list which is not supported');
  return String(r ?? '<nil>').trim() === value.trim();
}

async function check(obj: any, f: WaitFor): Promise<boolean> {
  if (f.kind === 'condition') return conditionMet(obj, f.name, f.value);
  if (f.kind === 'jsonpath') return jsonPathMet(obj, f.path, f.value);
  return true;
}

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

/**
 * Waits for one object until `endMs` (Date.now() based; undefined with `--timeout=0`, which checks
 * once); resolves with the object to print.
 */
export async function waitOne(client: KubeClient, info: Info, f: WaitFor, endMs: number | undefined): Promise<any> {
  const name = info.obj.metadata.name;
  const objectName = `${info.resource.resource}/${name}`;
  const path = await pathOf(info, name);
  const timedOut = () => new WaitTimeoutError(`timed out waiting for the condition on ${objectName}`);
  if (endMs === undefined) {
    if (f.kind === 'delete') {
      try {
        await client.getJson(path);
      } catch (err) {
        if (isNotFound(err)) return info.obj;
        throw err;
      }
    } else if (await check(await client.getJson(path), f)) return client.getJson(path);
    throw new Error(`condition not met for ${objectName}`);
  }
  const remaining = endMs - Date.now();
  if (remaining <= 0) throw timedOut();
  let result = info.obj;
  const query = new URLSearchParams({ fieldSelector: `metadata.name=${name}` });
  let synced = false;
  const onEvent = async (e: WatchEvent): Promise<boolean> => {
    synced = true;
    if (f.kind === 'delete') return e.type === 'DELETED';
    if (e.type === 'DELETED' || e.type === 'ERROR') return false;
    result = e.object;
    return check(e.object, f);
  };
  try {
    await untilWithSync(client, await pathOf(info), query, onEvent, remaining, () => {
      // The precondition: an object gone by the time the list came back ends the wait.
      if (synced) return false;
      if (f.kind === 'delete') return true;
      throw new ApiStatusError(404, 'NotFound', `${groupResource(info.resource)} "${name}" not found`);
    });
  } catch (err) {
    if (err instanceof WaitTimeoutError) throw timedOut();
    throw err;
  }
  return result;
}

/** `--for=create`: polls for the named object until it exists. */
export async function waitCreated(client: KubeClient, path: string, timeoutMs: number): Promise<any> {
  const limit = deadline(timeoutMs);
  let stopped = false;
  try {
    const poll = async (): Promise<any> => {
      while (!stopped) {
        try {
          return await client.getJson(path);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        await new Promise((r) => setTimeout(r, CREATE_POLL_MS));
      }
    };
    return await Promise.race([poll(), limit.promise]);
  } finally {
    stopped = true;
    limit.cancel();
  }
}
