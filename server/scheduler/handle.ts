// The framework Handle backed by the shared informers: namespace labels for affinity namespaceSelectors
// and the default spreading selector. Port of framework/plugins/helper/spread.go (DefaultSelector).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { BY_NAMESPACE, type InformerFactory } from '../informers/factory.js';
import type { Handle, LabelSelector } from './framework.js';

type Labels = Record<string, string>;

function selectorMatchesLabels(selector: Labels, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/**
 * Creates the Handle over the shared informers of namespaces, services, replicationcontrollers,
 * replicasets and statefulsets (registers them, so call it before the informers start).
 */
export function newInformerHandle(informers: InformerFactory): Handle {
  const namespaces = informers.for('namespaces');
  const services = informers.for('services');
  const rcs = informers.for('replicationcontrollers');
  const rss = informers.for('replicasets.apps');
  const sss = informers.for('statefulsets.apps');
  return {
    namespaceLabels: (ns) => namespaces.get(ns)?.metadata.labels ?? undefined,
    *namespaces() {
      for (const ns of namespaces.list()) yield [ns.metadata.name ?? '', ns.metadata.labels ?? {}] as [string, Labels];
    },
    defaultSelector: (pod) => defaultSelector(pod, { services: services.byIndex(BY_NAMESPACE, pod.metadata?.namespace ?? ''), get: (kind, name) => lookupOwner(kind, name) }),
  };

  function lookupOwner(kind: string, key: string): Readonly<KubeObject> | undefined {
    if (kind === 'ReplicationController') return rcs.get(key);
    if (kind === 'ReplicaSet') return rss.get(key);
    if (kind === 'StatefulSet') return sss.get(key);
    return undefined;
  }
}

/** What {@link defaultSelector} looks things up in. */
export interface DefaultSelectorListers {
  /** Services of the pod's namespace. */
  services: readonly Readonly<KubeObject>[];
  /** The owner of a kind by `namespace/name`. */
  get(kind: string, key: string): Readonly<KubeObject> | undefined;
}

const OWNER_KINDS: Readonly<Record<string, string>> = { ReplicationController: 'v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1' };

/**
 * The selector PodTopologySpread's system defaults spread by: the selectors of the Services selecting
 * the pod merged with its controller's selector (ReplicationController, ReplicaSet or StatefulSet).
 * Null when nothing selects the pod.
 */
export function defaultSelector(pod: Pod, listers: DefaultSelectorListers): LabelSelector | null {
  const podLabels = pod.metadata?.labels ?? {};
  const matchLabels: Labels = {};
  for (const svc of listers.services) {
    const sel = (svc.spec as { selector?: Labels } | undefined)?.selector;
    // A Service without a selector selects nothing.
    if (sel && Object.keys(sel).length > 0 && selectorMatchesLabels(sel, podLabels)) Object.assign(matchLabels, sel);
  }
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (owner && OWNER_KINDS[owner.kind] === owner.apiVersion) {
    const obj = listers.get(owner.kind, `${pod.metadata?.namespace ?? ''}/${owner.name}`);
    const sel = (obj?.spec as { selector?: unknown } | undefined)?.selector;
    if (owner.kind === 'ReplicationController' && sel) Object.assign(matchLabels, sel as Labels);
    else if (sel) {
      const ls = sel as LabelSelector;
      for (const [k, v] of Object.entries(ls.matchLabels ?? {})) matchExpressions.push({ key: k, operator: 'In', values: [v] });
      matchExpressions.push(...(ls.matchExpressions ?? []));
    }
  }
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return null;
  return { matchLabels, matchExpressions };
}
