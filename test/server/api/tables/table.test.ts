import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { col, containerColumns, toTable, type TableOptions } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const cm = (name: string, rv = '7'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', resourceVersion: rv, creationTimestamp: '2024-06-01T11:00:00Z', labels: { app: 'x' } },
  data: { a: '1' },
});
const opts = (extra: Partial<TableOptions> = {}): TableOptions => ({ group: '', plural: 'configmaps', includeObject: 'Metadata', now: NOW, ...extra });

describe('toTable', () => {
  it('builds a meta.k8s.io/v1 Table with column definitions and one row per object, in order', () => {
    const table = toTable([cm('b'), cm('a')], opts({ resourceVersion: '42' }));
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '42' });
    assert.deepEqual(
      (table.columnDefinitions as Array<Record<string, unknown>>).map((c) => Object.keys(c)),
      [0, 1, 2].map(() => ['name', 'type', 'format', 'description', 'priority']),
    );
    assert.deepEqual(
      (table.rows as Array<{ cells: unknown[] }>).map((r) => r.cells),
      [
        ['b', 1, '60m'],
        ['a', 1, '60m'],
      ],
    );
  });

  it('carries PartialObjectMetadata by default', () => {
    const obj = cm('a');
    const row = (toTable([obj], opts()).rows as Array<Record<string, unknown>>)[0];
    assert.deepEqual(row?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });
  });

  it('carries the full object for includeObject=Object', () => {
    const obj = cm('a');
    const row = (toTable([obj], opts({ includeObject: 'Object' })).rows as Array<Record<string, unknown>>)[0];
    assert.deepEqual(row?.object, obj);
  });

  it('omits the object for includeObject=None', () => {
    const row = (toTable([cm('a')], opts({ includeObject: 'None' })).rows as Array<Record<string, unknown>>)[0];
    assert.equal('object' in (row ?? {}), false);
  });

  it('passes continue and remainingItemCount through', () => {
    const table = toTable([cm('a')], opts({ resourceVersion: '9', continue: 'tok', remainingItemCount: 3 }));
    assert.deepEqual(table.metadata, { resourceVersion: '9', continue: 'tok', remainingItemCount: 3 });
  });

  it("uses a single object's resourceVersion when none is given", () => {
    assert.deepEqual(toTable([cm('a', '15')], opts()).metadata, { resourceVersion: '15' });
  });

  it('omits an empty resourceVersion', () => {
    assert.deepEqual(toTable([], opts({ resourceVersion: '' })).metadata, {});
  });

  it('returns an empty row list for no objects', () => {
    assert.deepEqual(toTable([], opts()).rows, []);
  });

  it('does not set row conditions for kinds without them', () => {
    const row = (toTable([cm('a')], opts()).rows as Array<Record<string, unknown>>)[0];
    assert.equal('conditions' in (row ?? {}), false);
  });
});

describe('column helpers', () => {
  it('col fills the defaults', () => {
    const c = col({ name: 'X', description: 'd' }, () => 'v');
    assert.deepEqual({ ...c, cell: undefined }, { name: 'X', type: 'string', format: '', description: 'd', priority: 0, cell: undefined });
  });

  it('containerColumns joins names and images with commas', () => {
    const [names, images] = containerColumns((o) => (o as unknown as { c: Array<{ name: string; image: string }> }).c);
    const obj = { metadata: {}, c: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:2' }] } as KubeObject;
    assert.equal(names?.cell(obj, NOW), 'a,b');
    assert.equal(images?.cell(obj, NOW), 'x:1,y:2');
    assert.equal(names?.priority, 1);
  });
});
