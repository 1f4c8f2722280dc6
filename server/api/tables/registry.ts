// The column set of every served resource, registered in one place like printers.go AddHandlers.
// Column sets are built on first use: the kind modules import table.ts, which imports this module.
import type { KubeObject } from '../../../schemas/types/meta.js';
import { parseTimestamp, translateTimestampSince } from '../../../schemas/format/human-duration.js';
import { col, CREATION_TIMESTAMP_DESCRIPTION, nameColumn, type Column, type RowConditions } from './table.js';
import { configMapColumns } from './configmaps.js';
import { controllerRevisionColumns } from './controllerrevisions.js';
import { cronJobColumns } from './cronjobs.js';
import { daemonSetColumns } from './daemonsets.js';
import { deploymentColumns } from './deployments.js';
import { endpointsColumns, endpointSliceColumns } from './endpoints.js';
import { eventColumns } from './events.js';
import { horizontalPodAutoscalerColumns } from './horizontalpodautoscalers.js';
import { ingressClassColumns, ingressColumns } from './ingresses.js';
import { jobColumns } from './jobs.js';
import { leaseColumns } from './leases.js';
import { namespaceColumns } from './namespaces.js';
import { networkPolicyColumns } from './networkpolicies.js';
import { nodeColumns } from './nodes.js';
import { persistentVolumeClaimColumns, persistentVolumeColumns } from './persistentvolumes.js';
import { podDisruptionBudgetColumns } from './poddisruptionbudgets.js';
import { podColumns, podRowConditions, podTemplateColumns } from './pods.js';
import { priorityClassColumns } from './priorityclasses.js';
import { clusterRoleBindingColumns, roleBindingColumns } from './rbac.js';
import { replicaSetColumns, replicationControllerColumns } from './replicasets.js';
import { resourceQuotaColumns } from './resourcequotas.js';
import { secretColumns } from './secrets.js';
import { serviceAccountColumns } from './serviceaccounts.js';
import { serviceColumns } from './services.js';
import { statefulSetColumns } from './statefulsets.js';
import { storageClassColumns } from './storageclasses.js';

/**
 * Columns of the apiserver's default table convertor (rest.NewDefaultTableConvertor), used for built-in
 * kinds that have no printer: `Name` and `Created At`, an RFC 3339 timestamp rather than an age.
 */
export function defaultTableColumns(): Column[] {
  return [nameColumn(), col({ name: 'Created At', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION }, (o) => createdAt(o))];
}

// Go formats the zero metav1.Time as year 1 rather than leaving the cell empty.
function createdAt(obj: KubeObject): string {
  const ms = parseTimestamp(obj.metadata.creationTimestamp) ?? Date.parse('0001-01-01T00:00:00Z');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Columns for resources no printer knows (custom resources without additionalPrinterColumns): `Name`
 * and an `Age` column of type date, as the CRD table convertor prints them.
 */
export function fallbackColumns(): Column[] {
  return [nameColumn(), col({ name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION }, (o, now) => translateTimestampSince(o.metadata.creationTimestamp, now))];
}

const FACTORIES: Record<string, () => Column[]> = {
  '/bindings': defaultTableColumns,
  '/configmaps': configMapColumns,
  '/endpoints': endpointsColumns,
  '/events': eventColumns,
  '/limitranges': defaultTableColumns,
  '/namespaces': namespaceColumns,
  '/nodes': nodeColumns,
  '/persistentvolumeclaims': persistentVolumeClaimColumns,
  '/persistentvolumes': persistentVolumeColumns,
  '/pods': podColumns,
  '/podtemplates': podTemplateColumns,
  '/replicationcontrollers': replicationControllerColumns,
  '/resourcequotas': resourceQuotaColumns,
  '/secrets': secretColumns,
  '/serviceaccounts': serviceAccountColumns,
  '/services': serviceColumns,
  'apps/controllerrevisions': controllerRevisionColumns,
  'apps/daemonsets': daemonSetColumns,
  'apps/deployments': deploymentColumns,
  'apps/replicasets': replicaSetColumns,
  'apps/statefulsets': statefulSetColumns,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerColumns,
  'batch/cronjobs': cronJobColumns,
  'batch/jobs': jobColumns,
  'coordination.k8s.io/leases': leaseColumns,
  'discovery.k8s.io/endpointslices': endpointSliceColumns,
  'events.k8s.io/events': eventColumns,
  'networking.k8s.io/ingressclasses': ingressClassColumns,
  'networking.k8s.io/ingresses': ingressColumns,
  'networking.k8s.io/networkpolicies': networkPolicyColumns,
  'policy/poddisruptionbudgets': podDisruptionBudgetColumns,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingColumns,
  'rbac.authorization.k8s.io/clusterroles': defaultTableColumns,
  'rbac.authorization.k8s.io/rolebindings': roleBindingColumns,
  'rbac.authorization.k8s.io/roles': defaultTableColumns,
  'scheduling.k8s.io/priorityclasses': priorityClassColumns,
  'storage.k8s.io/storageclasses': storageClassColumns,
};

const ROW_CONDITIONS: Record<string, RowConditions> = {
  '/pods': podRowConditions,
};

const built = new Map<string, Column[]>();
let fallback: Column[] | undefined;

/**
 * The table columns of a resource; resources without a printer get `Name` + `Age`.
 * @example columnsFor('apps', 'deployments').map((c) => c.name) // ['Name', 'Ready', 'Up-to-date', ...]
 */
export function columnsFor(group: string, plural: string): Column[] {
  const key = `${group}/${plural}`;
  const factory = FACTORIES[key];
  if (!factory) return (fallback ??= fallbackColumns());
  let columns = built.get(key);
  if (!columns) {
    columns = factory();
    built.set(key, columns);
  }
  return columns;
}

/** Whether a resource has its own column set (a printer or the default table convertor). */
export function hasColumnsFor(group: string, plural: string): boolean {
  return `${group}/${plural}` in FACTORIES;
}

/** The row-condition function of a resource, if its printer sets row conditions (only pods do). */
export function rowConditionsFor(group: string, plural: string): RowConditions | undefined {
  return ROW_CONDITIONS[`${group}/${plural}`];
}
