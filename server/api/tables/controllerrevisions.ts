// ControllerRevision columns. Port of printControllerRevision in kubernetes pkg/printers/internalversion/printers.go.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ageColumn, col, int, nameColumn, view, type Column } from './table.js';

// The controller is printed as `<kind>.<group>/<name>` in lower case (`statefulset.apps/web`), or
// `<kind>/<name>` for core kinds; `<none>` when no owner reference is the controller.
function controllerOf(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const apiVersion = ref.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
}

/** ControllerRevision columns: Name, Controller, Revision, Age. */
export function controllerRevisionColumns(): Column[] {
  return [
    nameColumn(),
    col({ name: 'Controller', description: 'Controller of the object' }, controllerOf),
    col({ name: 'Revision', description: 'Revision indicates the revision of the state represented by Data.' }, (o) => int(view<ControllerRevision>(o).revision)),
    ageColumn(),
  ];
}
