import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findDrill, loadDrills } from '../../../cli/drill/catalog.js';
import { kindInfo } from '../../../cli/drill/kinds.js';
import { formatElapsed, readDrillState, writeDrillState } from '../../../cli/drill/state.js';
import { validateDrill, type DrillCheck } from '../../../schemas/drill.js';

/** The drills the issue asks for, by the names `kd drill list` shows. */
const REQUIRED = [
  'cordon-move', 'crashloop-command', 'cronjob-schedule', 'drain-pdb', 'job-backoff', 'pending-cpu', 'pending-nodeselector',
  'pending-taint', 'readiness-probe', 'rollout-undo', 'rollout-undo-revision', 'service-selector',
];

test('every built-in drill validates against the drill schema, and the required ones exist', () => {
  const drills = loadDrills();
  assert.ok(drills.length >= 12);
  for (const name of REQUIRED) assert.ok(drills.some((d) => d.name === name), `missing drill ${name}`);
  for (const d of drills) {
    const checks: DrillCheck[] = [...d.checks, ...d.setup.flatMap((s) => s.waitFor ?? [])];
    // Every kind a check names resolves to an apiVersion without the drill spelling it out.
    for (const c of checks) {
      const ref = c.field?.object ?? c.condition?.object ?? c.event?.object ?? c.rollout?.object;
      if (ref) assert.doesNotThrow(() => kindInfo(ref.kind, ref.apiVersion), `${d.name}: ${c.name}`);
    }
    assert.equal(new Set(d.checks.map((c) => c.name)).size, d.checks.length, `${d.name}: check names must be unique`);
  }
});

test('a drill file that breaks the schema is rejected with the paths that are wrong', () => {
  const base = { name: 'x', title: 'X', difficulty: 'easy', goal: 'g', setup: [], checks: [{ name: 'c', pods: {} }], hints: ['h'] };
  assert.doesNotThrow(() => validateDrill(base, 'x.yaml'));
  assert.throws(() => validateDrill({ ...base, difficulty: 'extreme' }, 'x.yaml'), /^Error: Cannot load the drill 'x\.yaml' as it does not match the drill schema:\n {2}\/difficulty must be equal to one of the allowed values/);
  assert.throws(() => validateDrill({ ...base, checks: [{ name: 'c', pods: {}, rollout: { object: { kind: 'Deployment', name: 'w' } } }] }, 'x.yaml'), /\/checks\/0 must match exactly one schema in oneOf/);
  assert.throws(() => validateDrill({ ...base, checks: [{ name: 'c', field: { object: { kind: 'Pod', name: 'p' }, path: '.spec' , equals: 1 } }] }, 'x.yaml'), /\/checks\/0\/field\/path must match pattern/);
  assert.throws(() => validateDrill({ ...base, setup: [{ apply: 'a', advanceSeconds: 3 }] }, 'x.yaml'), /\/setup\/0 must match exactly one schema/);
  assert.throws(() => validateDrill({ ...base, hints: [] }, 'x.yaml'), /\/hints must NOT have fewer than 1 items/);
});

test('findDrill names the known drills for an unknown name and checks file names', () => {
  assert.equal(findDrill('rollout-undo').title, 'Roll back a bad image');
  assert.throws(() => findDrill('../etc'), /^Error: drill "\.\.\/etc" not found; the drills are: cordon-move, crashloop-command, /);
  const dir = mkdtempSync(join(tmpdir(), 'kd-drills-'));
  try {
    writeFileSync(join(dir, 'a.yaml'), 'name: b\ntitle: B\ndifficulty: easy\ngoal: g\nsetup: []\nchecks: [{name: c, pods: {}}]\nhints: [h]\n');
    assert.throws(() => loadDrills(dir), /Cannot load the drill 'a\.yaml' as its name must match the file: current name is b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the active drill round-trips through drill.json; elapsed time prints like kubectl ages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-drill-state-'));
  try {
    assert.equal(readDrillState(dir), undefined);
    writeDrillState(dir, { name: 'rollout-undo', startedAt: '2026-01-01T00:00:00.000Z', hintsShown: 2 });
    assert.deepEqual(readDrillState(dir), { name: 'rollout-undo', startedAt: '2026-01-01T00:00:00.000Z', hintsShown: 2 });
    writeFileSync(join(dir, 'drill.json'), '{"nope":1}');
    assert.equal(readDrillState(dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(formatElapsed(45_900), '45s');
  assert.equal(formatElapsed(192_000), '3m12s');
  assert.equal(formatElapsed(3_720_000), '1h2m');
});
