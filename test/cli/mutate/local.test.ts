/**
 * Unit tests of cli/mutate/local.ts: the offline mapping of file objects, whether one item is
 * implied, and the empty structs a typed round trip adds to workloads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NO_RESOURCES, readLocalInfos, withTypedDefaults } from '../../../cli/mutate/local.js';

const dir = mkdtempSync(join(tmpdir(), 'kd-local-unit-'));
writeFileSync(join(dir, 'two.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  namespace: team\n');

test('readLocalInfos maps each object by its apiVersion and lower-case kind', async () => {
  const { infos, singleItemImplied } = await readLocalInfos([join(dir, 'two.yaml')]);
  assert.equal(singleItemImplied, true);
  assert.deepEqual(
    infos.map((i) => [i.resource.group, i.resource.version, i.resource.resource, i.name, i.namespace]),
    [
      ['apps', 'v1', 'deployment', 'web', undefined],
      ['', 'v1', 'configmap', 'c1', 'team'],
    ],
  );
});

test('a directory or several files imply no single item; no files is the builder error', async () => {
  assert.equal((await readLocalInfos([dir])).singleItemImplied, false);
  assert.equal((await readLocalInfos([join(dir, 'two.yaml'), join(dir, 'two.yaml')])).singleItemImplied, false);
  await assert.rejects(readLocalInfos([]), { message: NO_RESOURCES });
});

test('withTypedDefaults adds the empty structs of a Deployment and a CronJob, and leaves other kinds alone', () => {
  const deploy: any = { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'c' }] } } } };
  withTypedDefaults(deploy);
  assert.deepEqual(deploy, { kind: 'Deployment', spec: { strategy: {}, template: { metadata: {}, spec: { containers: [{ name: 'c', resources: {} }] } } }, status: {} });
  const cj: any = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } } };
  withTypedDefaults(cj);
  assert.deepEqual(cj.spec.jobTemplate.metadata, {});
  assert.deepEqual(cj.spec.jobTemplate.spec.template.metadata, {});
  assert.deepEqual(cj.spec.jobTemplate.spec.template.spec.containers[0].resources, {});
  const cm: any = { kind: 'ConfigMap', data: {} };
  withTypedDefaults(cm);
  assert.deepEqual(cm, { kind: 'ConfigMap', data: {} });
});
