/**
 * `kd set image` and `kd set resources`: ports of kubectl pkg/cmd/set/set_image.go and
 * set_resources.go on top of cli/mutate/set.ts.
 */
import { matchesGlob, runSet, type Container, type SetFlags } from './set.js';

/** set_image.go getResourcesAndImages: `TYPE NAME… CONTAINER=IMAGE…`. */
function resourcesAndImages(args: string[]): { resources: string[]; images: Map<string, string> } {
  const resources: string[] = [];
  const images = new Map<string, string>();
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0 || (eq === 0 && a.length > 1)) images.set(a.slice(0, eq), a.slice(eq + 1));
    else resources.push(a);
  }
  return { resources, images };
}

/** Runs `set image` with the positional arguments and flags. */
export async function runSetImage(args: string[], flags: SetFlags): Promise<void> {
  const { resources, images } = resourcesAndImages(args);
  await runSet({
    args: resources,
    flags,
    operation: 'image updated',
    fields: ['image'],
    what: 'image',
    localRejectsArgs: true,
    validate: () => {
      const errs: string[] = [];
      if (flags.all && flags.selector) errs.push('cannot set --all and --selector at the same time');
      if (resources.length < 1 && flags.filename.length === 0) errs.push('one or more resources must be specified as <resource> <name> or <resource>/<name>');
      if (images.size < 1) errs.push('at least one image update is required');
      else if (images.size > 1 && images.has('*')) errs.push('all containers are already specified by *, but saw more than one container_name=container_image pairs');
      if (errs.length === 1) throw new Error(errs[0]);
      if (errs.length > 1) throw new Error(`[${errs.join(', ')}]`);
    },
    update: (spec) => {
      const errors: Error[] = [];
      for (const [name, image] of images) {
        let found = false;
        for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
          for (const c of (spec[list] ?? []) as Container[]) {
            if (name !== '*' && c.name !== name) continue;
            c.image = image;
            found = true;
          }
        }
        if (!found) errors.push(new Error(`error: unable to find container named ${JSON.stringify(name)}`));
      }
      return errors;
    },
  });
}

/** Flags of set resources. */
export interface SetResourcesFlags extends SetFlags {
  containers: string;
  limits?: string;
  requests?: string;
}

/** A decimal CPU or memory amount as resource.Quantity prints it (0.5 → 500m). */
function canonicalQuantity(value: string): string {
  const m = /^(\d*)\.(\d+)$/.exec(value);
  if (!m) return value;
  const milli = Number(value) * 1000;
  return Number.isInteger(milli) ? (milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`) : value;
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** generateversioned.populateResourceListV1: `cpu=100m,memory=64Mi` into a resource list. */
function parseResourceList(spec: string | undefined): Record<string, string> | undefined {
  if (!spec) return undefined;
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const parts = pair.split('=');
    if (parts.length !== 2) throw new Error(`Invalid argument syntax ${pair}, expected <resource>=<value>`);
    if (!QUANTITY.test(parts[1]!)) throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    out[parts[0]!] = canonicalQuantity(parts[1]!);
  }
  return out;
}

/** Runs `set resources` with the positional arguments and flags. */
export async function runSetResources(args: string[], flags: SetResourcesFlags): Promise<void> {
  if (!flags.limits && !flags.requests) throw new Error('you must specify an update to requests or limits (in the form of --requests/--limits)');
  if (flags.all && flags.selector) throw new Error('cannot set --all and --selector at the same time');
  const limits = parseResourceList(flags.limits);
  const requests = parseResourceList(flags.requests);
  await runSet({
    args,
    flags,
    operation: 'resource requirements updated',
    fields: ['resources'],
    what: 'resources',
    localRejectsArgs: true,
    update: (spec) => {
      const chosen = [...((spec.initContainers ?? []) as Container[]), ...((spec.containers ?? []) as Container[])].filter((c) => matchesGlob(flags.containers, c.name));
      if (chosen.length === 0) return [new Error(`error: unable to find container named ${flags.containers}`)];
      for (const c of chosen) {
        c.resources ??= {};
        if (limits) c.resources.limits = { ...c.resources.limits, ...limits };
        if (requests) c.resources.requests = { ...c.resources.requests, ...requests };
      }
      return [];
    },
  });
}
