import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { loadResourceTable } from '../../../../schemas/index.js';
import { columnsFor, hasColumnsFor, rowConditionsFor } from '../../../../server/api/tables/registry.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

// Column names of the v1.35 apiserver printers; `*` marks priority-1 (wide) columns.
const EVENT_COLUMNS = ['Last Seen', 'Type', 'Reason', 'Object', '*Subobject', '*Source', 'Message', '*First Seen', '*Count', '*Name'];
const DEFAULT_CONVERTOR = ['Name', 'Created At'];
const EXPECTED: Record<string, string[]> = {
  '/configmaps': ['Name', 'Data', 'Age'],
  '/endpoints': ['Name', 'Endpoints', 'Age'],
  '/events': EVENT_COLUMNS,
  '/namespaces': ['Name', 'Status', 'Age'],
  '/nodes': ['Name', 'Status', 'Roles', 'Age', 'Version', '*Internal-IP', '*External-IP', '*OS-Image', '*Kernel-Version', '*Container-Runtime'],
  '/persistentvolumeclaims': ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', '*VolumeMode'],
  '/persistentvolumes': ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', '*VolumeMode'],
  '/pods': ['Name', 'Ready', 'Status', 'Restarts', 'Age', '*IP', '*Node', '*Nominated Node', '*Readiness Gates'],
  '/podtemplates': ['Name', 'Containers', 'Images', 'Pod Labels'],
  '/replicationcontrollers': ['Name', 'Desired', 'Current', 'Ready', 'Age', '*Containers', '*Images', '*Selector'],
  '/resourcequotas': ['Name', 'Request', 'Limit', 'Age'],
  '/secrets': ['Name', 'Type', 'Data', 'Age'],
  '/serviceaccounts': ['Name', 'Secrets', 'Age'],
  '/services': ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '*Selector'],
  'apps/controllerrevisions': ['Name', 'Controller', 'Revision', 'Age'],
  'apps/daemonsets': ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', '*Containers', '*Images', '*Selector'],
  'apps/deployments': ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', '*Containers', '*Images', '*Selector'],
  'apps/replicasets': ['Name', 'Desired', 'Current', 'Ready', 'Age', '*Containers', '*Images', '*Selector'],
  'apps/statefulsets': ['Name', 'Ready', 'Age', '*Containers', '*Images'],
  'autoscaling/horizontalpodautoscalers': ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  'batch/cronjobs': ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', '*Containers', '*Images', '*Selector'],
  'batch/jobs': ['Name', 'Status', 'Completions', 'Duration', 'Age', '*Containers', '*Images', '*Selector'],
  'coordination.k8s.io/leases': ['Name', 'Holder', 'Age'],
  'discovery.k8s.io/endpointslices': ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  'events.k8s.io/events': EVENT_COLUMNS,
  'networking.k8s.io/ingressclasses': ['Name', 'Controller', 'Parameters', 'Age'],
  'networking.k8s.io/ingresses': ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  'networking.k8s.io/networkpolicies': ['Name', 'Pod-Selector', 'Age'],
  'policy/poddisruptionbudgets': ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
  'rbac.authorization.k8s.io/clusterrolebindings': ['Name', 'Role', 'Age', '*Users', '*Groups', '*ServiceAccounts'],
  'rbac.authorization.k8s.io/rolebindings': ['Name', 'Role', 'Age', '*Users', '*Groups', '*ServiceAccounts'],
  // Upstream gives PreemptionPolicy no priority, and the apiserver always prints wide.
  'scheduling.k8s.io/priorityclasses': ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
  'storage.k8s.io/storageclasses': ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
  // No printer upstream: the apiserver's default table convertor.
  '/bindings': DEFAULT_CONVERTOR,
  '/limitranges': DEFAULT_CONVERTOR,
  'rbac.authorization.k8s.io/roles': DEFAULT_CONVERTOR,
  'rbac.authorization.k8s.io/clusterroles': DEFAULT_CONVERTOR,
};

describe('registry', () => {
  for (const [key, want] of Object.entries(EXPECTED)) {
    it(`${key} columns`, () => {
      const [group = '', plural = ''] = key.split('/');
      const got = columnsFor(group, plural).map((c) => (c.priority === 1 ? `*${c.name}` : c.name));
      assert.deepEqual(got, want);
    });
  }

  it('covers every listable resource in resources.json', () => {
    // Reviews and bindings are create-only: never read, so never printed. metrics.k8s.io is an
    // aggregated API whose Tables server/metrics/table.ts builds, as metrics-server does.
    for (const r of loadResourceTable().resources.filter((x) => x.verbs.includes('list') && x.group !== 'metrics.k8s.io')) {
      assert.equal(hasColumnsFor(r.group, r.plural), true, `${r.group}/${r.plural}`);
      assert.ok(`${r.group}/${r.plural}` in EXPECTED, `no expectation for ${r.group}/${r.plural}`);
    }
  });

  it('gives every column set a Name column of format name', () => {
    for (const key of Object.keys(EXPECTED)) {
      const [group = '', plural = ''] = key.split('/');
      const name = columnsFor(group, plural).find((c) => c.name === 'Name');
      assert.equal(name?.format, 'name', key);
    }
  });

  it('prints the default convertor Created At as RFC 3339', () => {
    const [name, created] = columnsFor('rbac.authorization.k8s.io', 'roles');
    const role = { metadata: { name: 'r', creationTimestamp: '2024-05-01T10:00:00Z' } } as KubeObject;
    assert.equal(name?.cell(role, NOW), 'r');
    assert.equal(created?.type, 'date');
    assert.equal(created?.cell(role, NOW), '2024-05-01T10:00:00Z');
    assert.equal(created?.cell({ metadata: { name: 'r' } } as KubeObject, NOW), '0001-01-01T00:00:00Z');
  });

  it('falls back to Name and a date-typed Age for unknown resources', () => {
    assert.equal(hasColumnsFor('example.com', 'widgets'), false);
    const cols = columnsFor('example.com', 'widgets');
    assert.deepEqual(cols.map((c) => [c.name, c.type, c.format]), [
      ['Name', 'string', 'name'],
      ['Age', 'date', ''],
    ]);
    assert.equal(cols[1]?.cell({ metadata: { creationTimestamp: '2024-06-01T11:59:00Z' } } as KubeObject, NOW), '60s');
  });

  it('sets row conditions only for pods', () => {
    assert.equal(typeof rowConditionsFor('', 'pods'), 'function');
    assert.equal(rowConditionsFor('apps', 'deployments'), undefined);
  });
});
