/**
 * `--local` of set, label and annotate (kubectl's builder `.Local()`): the objects come from `-f`
 * files only and are changed and printed without any request, so no kubeconfig or server is needed.
 */
import { statSync } from 'node:fs';
import type { ApiResource } from '../kube/discovery.js';
import type { DryRun, Info } from './common.js';

/** kubectl's text when a local run is asked for a server dry run. */
export const LOCAL_SERVER_DRY_RUN = 'cannot specify --local and --dry-run=server - did you mean --dry-run=client?';

/** The builder's error when neither arguments nor files name anything. */
export const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** set image/resources: a TYPE NAME argument next to --local (set_image.go Complete). */
export const LOCAL_FILES_ONLY = "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'";

/** Throws kubectl's error for `--local` with `--dry-run=server`. */
export function checkLocalDryRun(dryRun: DryRun): void {
  if (dryRun === 'server') throw new Error(LOCAL_SERVER_DRY_RUN);
}

/**
 * The mapping kubectl's offline builder gives an object: its group and version from apiVersion and,
 * lacking discovery, the lower-case kind as resource (so errors read `configmap/c1`).
 */
function localResource(obj: any): ApiResource {
  const apiVersion = String(obj?.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  const kind = String(obj?.kind ?? '');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    resource: kind.toLowerCase(),
    singular: kind.toLowerCase(),
    kind,
    namespaced: obj?.metadata?.namespace !== undefined,
    shortNames: [],
    categories: [],
    verbs: [],
  };
}

/** The objects of the files, and whether one item is implied (a single file, not stdin or a directory). */
export async function readLocalInfos(filenames: string[], recursive?: boolean): Promise<{ infos: Info[]; singleItemImplied: boolean }> {
  if (filenames.length === 0) throw new Error(NO_RESOURCES);
  const { readManifests } = await import('../kube/builder.js');
  const manifests = await readManifests(filenames, { recursive });
  const infos = manifests.map((m) => ({ resource: localResource(m.obj), namespace: m.obj?.metadata?.namespace, name: String(m.obj?.metadata?.name ?? ''), obj: m.obj, source: m.source }));
  return { infos, singleItemImplied: filenames.length === 1 && filenames[0] !== '-' && !isDirectory(filenames[0]!) };
}

/** The struct-valued fields kubectl's typed decoding adds to a workload with a pod template. */
const TEMPLATE_PATHS: Record<string, string[][]> = {
  Pod: [],
  ReplicationController: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  Deployment: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  CronJob: [['spec', 'jobTemplate'], ['spec', 'jobTemplate', 'spec', 'template']],
};

/** Non-pointer strategy structs of each kind's spec. */
const STRATEGY_FIELDS: Record<string, string> = { Deployment: 'strategy', DaemonSet: 'updateStrategy', StatefulSet: 'updateStrategy' };

/**
 * The `{}` a typed round trip prints for empty non-pointer structs (status, strategies, template
 * metadata, container resources), as set's --local output shows for a hand-written file.
 * Unknown fields, which the typed decoding would drop, are kept.
 */
export function withTypedDefaults(obj: any): void {
  const kind = String(obj?.kind ?? '');
  const templates = TEMPLATE_PATHS[kind];
  if (!templates || typeof obj !== 'object') return;
  obj.spec ??= {};
  obj.status ??= {};
  const strategy = STRATEGY_FIELDS[kind];
  if (strategy) obj.spec[strategy] ??= {};
  let podSpec = obj.spec;
  for (const path of templates) {
    let at = obj;
    for (const key of path) at = at[key] ??= {};
    at.metadata ??= {};
    podSpec = (at.spec ??= {});
  }
  for (const list of ['initContainers', 'containers']) for (const c of podSpec[list] ?? []) if (c && typeof c === 'object') c.resources ??= {};
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
