// Port of the template-generation part of kubernetes pkg/registry/apps/daemonset/strategy.go: the
// apiserver numbers DaemonSet templates (1 on create, +1 whenever spec.template changes) and apps/v1
// carries the number in the `deprecated.daemonset.template.generation` annotation.
import type { KubeObject } from '../../schemas/types/meta.js';
import { jsonEqual } from './strategy.js';

/** The annotation apps/v1 keeps DaemonSet.spec.templateGeneration in. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/**
 * Sets the DaemonSet's template generation: 1 on create (`old` undefined), the old value on an
 * update that keeps the template, the old value + 1 when the template changed. Clients cannot set it.
 */
export function setDaemonSetTemplateGeneration(obj: KubeObject, old?: KubeObject): void {
  const template = (o: KubeObject): unknown => (o.spec as { template?: unknown } | undefined)?.template;
  const previous = Number(old?.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '0') || 0;
  let generation = 1;
  if (old) generation = jsonEqual(template(old), template(obj)) ? previous : previous + 1;
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}
