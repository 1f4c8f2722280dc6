import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  computeHash,
  copyDeploymentAnnotationsToReplicaSet,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  getNonNegativeInt32FromAnnotation,
  maxRevision,
  maxSurge,
  maxUnavailable,
  minAvailable,
  replicasAnnotationsNeedUpdate,
  resolveFenceposts,
  safeEncodeString,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from '../../../../server/controllers/deployment/util.js';
import { generateDeployment, generateRS, rollingDeployment } from './fixtures.js';

const HASH = 'pod-template-hash';

describe('resolveFenceposts', () => {
  // Upstream TestResolveFenceposts, plus the 25%/25% default table from k8s-behavior.md §1.4.
  const cases: Array<[string | undefined, string | undefined, number, number, number]> = [
    ['0%', '0%', 0, 0, 1],
    ['39%', '39%', 10, 4, 3],
    [undefined, '39%', 10, 0, 3],
    ['39%', undefined, 10, 4, 0],
    [undefined, undefined, 10, 0, 1],
    ['25%', '25%', 1, 1, 0],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
  ];
  for (const [surge, unavailable, desired, expSurge, expUnavailable] of cases) {
    test(`${surge}/${unavailable} of ${desired} → ${expSurge}/${expUnavailable}`, () => {
      assert.deepEqual(resolveFenceposts(surge, unavailable, desired), { surge: expSurge, unavailable: expUnavailable });
    });
  }
  test('absolute counts are used as is', () => {
    assert.deepEqual(resolveFenceposts(2, 0, 10), { surge: 2, unavailable: 0 });
    assert.deepEqual(resolveFenceposts(0, 0, 10), { surge: 0, unavailable: 1 });
  });
  test('strings that are not percentages throw', () => {
    assert.throws(() => resolveFenceposts('oops', '39%', 10), /invalid value for IntOrString/);
    assert.throws(() => resolveFenceposts('55%', 'urg', 10), /invalid value for IntOrString/);
    assert.throws(() => resolveFenceposts('x%', '1', 10), /invalid value for IntOrString/);
  });
});

describe('maxUnavailable / maxSurge / minAvailable', () => {
  // Upstream TestMaxUnavailable: maxSurge fixed at 1.
  const unavailableCases: Array<[string, number, number | string, number]> = [
    ['less than replicas', 10, 5, 5],
    ['equal replicas', 10, 10, 10],
    ['greater than replicas', 5, 10, 5],
    ['replicas is 0', 0, 10, 0],
    ['less than replicas with percents', 10, '50%', 5],
    ['equal replicas with percents', 10, '100%', 10],
    ['greater than replicas with percents', 5, '100%', 5],
  ];
  for (const [name, replicas, mu, expected] of unavailableCases) {
    test(`maxUnavailable ${name}`, () => assert.equal(maxUnavailable(rollingDeployment(replicas, 1, mu)), expected));
  }
  // Upstream TestMinAvailable.
  const minCases: Array<[number, number | string, number]> = [
    [10, 5, 5],
    [10, 10, 0],
    [5, 10, 0],
    [0, 10, 0],
    [10, '60%', 4],
    [10, '100%', 0],
    [5, '100%', 0],
  ];
  for (const [replicas, mu, expected] of minCases) {
    test(`minAvailable ${replicas} replicas, maxUnavailable ${mu} → ${expected}`, () => {
      assert.equal(minAvailable(rollingDeployment(replicas, 1, mu)), expected);
    });
  }
  test('Recreate has no surge and no unavailability budget', () => {
    const d = generateDeployment('nginx');
    d.spec!.replicas = 10;
    d.spec!.strategy = { type: 'Recreate' };
    assert.equal(maxUnavailable(d), 0);
    assert.equal(maxSurge(d), 0);
    assert.equal(minAvailable(d), 0);
  });
  test('maxSurge rounds percentages up', () => {
    assert.equal(maxSurge(rollingDeployment(10, '25%', '25%')), 3);
    assert.equal(maxSurge(rollingDeployment(1, '25%', '25%')), 1);
    assert.equal(maxSurge(rollingDeployment(10, 4, 0)), 4);
  });
});

describe('computeHash', () => {
  const template = (): PodTemplateSpec => structuredClone(generateDeployment('nginx').spec!.template);

  test('is 1-10 characters from the SafeEncodeString digit alphabet', () => {
    for (const cc of [undefined, 0, 1, 7, 2 ** 31 - 1]) assert.match(computeHash(template(), cc), /^[4-9bcdf]{1,10}$/);
  });
  test('maps decimal digits like SafeEncodeString', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });
  test('is FNV-1a 32 over sorted-key JSON, then the collision count as 8 little-endian bytes', () => {
    const t: PodTemplateSpec = { spec: { containers: [{ name: 'a', image: 'b' }] }, metadata: { labels: { z: '1', [HASH]: 'old', a: '2' } } };
    const json = '{"metadata":{"labels":{"a":"2","z":"1"}},"spec":{"containers":[{"image":"b","name":"a"}]}}';
    const bytes = [...new TextEncoder().encode(json)];
    assert.equal(computeHash(t), safeEncodeString(String(referenceFnv1a(bytes))));
    assert.equal(computeHash(t, 3), safeEncodeString(String(referenceFnv1a([...bytes, 3, 0, 0, 0, 0, 0, 0, 0]))));
    assert.equal(computeHash(t, 0x01020304), safeEncodeString(String(referenceFnv1a([...bytes, 4, 3, 2, 1, 0, 0, 0, 0]))));
  });
  test('is stable across key order and ignores the hash label', () => {
    const a = template();
    const b: PodTemplateSpec = { spec: a.spec, metadata: { labels: { [HASH]: 'abc', ...a.metadata!.labels } } };
    assert.equal(computeHash(a), computeHash(b));
    assert.equal(computeHash(a, 2), computeHash(b, 2));
  });
  test('changes with the template and with the collision count', () => {
    const a = template();
    const b = template();
    b.spec!.containers[0]!.image = 'nginx:1.27';
    assert.notEqual(computeHash(a), computeHash(b));
    assert.notEqual(computeHash(a), computeHash(a, 1));
    assert.notEqual(computeHash(a, 1), computeHash(a, 2));
  });
});

/** Independent FNV-1a 32 with BigInt, to check the production version against. */
function referenceFnv1a(bytes: number[]): number {
  let h = 2166136261n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 16777619n) % 2n ** 32n;
  return Number(h);
}

describe('equalIgnoreHash', () => {
  // Upstream TestEqualIgnoreHash: (name, nodeName, annotations, labels) for each side.
  const pts = (name: string, nodeName: string, annotations: Record<string, string>, labels: Record<string, string>): PodTemplateSpec => ({
    metadata: { name, annotations, labels },
    spec: { nodeName, containers: [] },
  });
  const cases: Array<[string, PodTemplateSpec, PodTemplateSpec, boolean]> = [
    ['same spec, same labels', pts('foo', 'n', {}, { [HASH]: 'v1', something: 'else' }), pts('foo', 'n', {}, { [HASH]: 'v1', something: 'else' }), true],
    ['only the hash value differs', pts('foo', 'n', {}, { [HASH]: 'v1', something: 'else' }), pts('foo', 'n', {}, { [HASH]: 'v2', something: 'else' }), true],
    ['one side lacks the hash label', pts('foo', 'n', {}, { something: 'else' }), pts('foo', 'n', {}, { [HASH]: 'v2', something: 'else' }), true],
    ['labels differ, former lacks hash, same count', pts('foo', 'n', {}, { something: 'else' }), pts('foo', 'n', {}, { [HASH]: 'v2' }), false],
    ['labels differ, latter lacks hash, same count', pts('foo', 'n', {}, { [HASH]: 'v1' }), pts('foo', 'n', {}, { something: 'else' }), false],
    ['labels differ, same hash value', pts('foo', 'n', {}, { [HASH]: 'v1' }), pts('foo', 'n', {}, { [HASH]: 'v1', something: 'else' }), false],
    ['annotations differ', pts('foo', 'n', { former: 'value' }, { [HASH]: 'v1' }), pts('foo', 'n', { latter: 'value' }, { [HASH]: 'v1' }), false],
    ['name differs, hash differs', pts('foo-1', 'n', {}, { [HASH]: 'v1' }), pts('foo-2', 'n', {}, { [HASH]: 'v2' }), false],
    ['spec differs, one lacks hash', pts('foo-1', 'n1', {}, { something: 'else' }), pts('foo-2', 'n2', {}, { [HASH]: 'v2', something: 'else' }), false],
    ['spec differs, labels differ', pts('foo', 'n1', {}, { something: 'else' }), pts('foo', 'n2', {}, { nothing: 'else' }), false],
    ['empty maps and lists equal absent ones', pts('foo', 'n', {}, { a: 'b' }), { metadata: { name: 'foo', labels: { a: 'b' } }, spec: { nodeName: 'n' } } as unknown as PodTemplateSpec, true],
  ];
  for (const [name, former, latter, expected] of cases) {
    test(name, () => {
      const before = structuredClone([former, latter]);
      assert.equal(equalIgnoreHash(former, latter), expected);
      assert.equal(equalIgnoreHash(latter, former), expected, 'reverse order');
      assert.deepEqual([former, latter], before, 'inputs untouched');
    });
  }
});

describe('findNewReplicaSet / findOldReplicaSets', () => {
  // Upstream TestFindNewReplicaSet / TestFindOldReplicaSets.
  const deployment = generateDeployment('nginx');
  const newRS = generateRS(deployment, 'new', '2026-01-01T00:01:00Z');
  newRS.spec!.replicas = 1;
  newRS.spec!.template!.metadata!.labels![HASH] = 'hash';
  const newRSDup = generateRS(deployment, 'new-dup', '2026-01-01T00:00:00Z');
  newRSDup.spec!.template!.metadata!.labels![HASH] = 'different-hash';
  const oldDeployment = generateDeployment('nginx');
  oldDeployment.spec!.template.spec!.containers[0]!.name = 'nginx-old-1';
  const oldRS = generateRS(oldDeployment, 'old', '2025-12-31T23:59:00Z');

  const findCases: Array<[string, ReplicaSet[], ReplicaSet | undefined]> = [
    ['same template, different hash', [newRS, oldRS], newRS],
    ['oldest of two matching RSs', [newRS, oldRS, newRSDup], newRSDup],
    ['no match', [oldRS], undefined],
  ];
  for (const [name, rsList, expected] of findCases) {
    test(`findNewReplicaSet: ${name}`, () => assert.equal(findNewReplicaSet(deployment, rsList), expected));
  }
  test('findNewReplicaSet breaks timestamp ties by name', () => {
    const b = generateRS(deployment, 'b');
    const a = generateRS(deployment, 'a');
    assert.equal(findNewReplicaSet(deployment, [b, a]), a);
  });

  const oldCases: Array<[string, ReplicaSet[], ReplicaSet[], ReplicaSet[]]> = [
    ['old RSs', [newRS, oldRS], [oldRS], []],
    ['no new RS', [oldRS], [oldRS], []],
    ['only the oldest matching RS is new', [oldRS, newRS, newRSDup], [oldRS, newRS], [newRS]],
    ['no old RSs', [newRS], [], []],
  ];
  for (const [name, rsList, all, active] of oldCases) {
    test(`findOldReplicaSets: ${name}`, () => {
      assert.deepEqual(findOldReplicaSets(deployment, rsList), { oldRSs: active, allOldRSs: all });
    });
  }
});

describe('revision annotations', () => {
  test('setNewReplicaSetAnnotations raises the revision and trims revision-history from the front', () => {
    // Upstream TestAnnotationUtils with a 5-character history limit: revisions 11..20 in turn.
    const d = generateDeployment('nginx');
    d.metadata!.annotations![REVISION_ANNOTATION] = '1';
    const rs = generateRS(d, 'nginx-1');
    for (let i = 10; i < 20; i++) {
      setNewReplicaSetAnnotations(d, rs, { newRevision: String(i + 1), exists: true, revHistoryLimitInChars: 5 });
      assert.equal(rs.metadata!.annotations![REVISION_ANNOTATION], String(i + 1));
      if (i === 11) assert.equal(rs.metadata!.annotations![REVISION_HISTORY_ANNOTATION], '11');
      if (i >= 12) assert.equal(rs.metadata!.annotations![REVISION_HISTORY_ANNOTATION], `${i - 1},${i}`);
    }
  });
  test('revision-history fills the limit exactly and never exceeds it', () => {
    const d = generateDeployment('nginx');
    const history = (old: string, rev: string, limit: number): string | undefined => {
      const rs = generateRS(d, 'nginx-1');
      rs.metadata!.annotations = { [REVISION_ANNOTATION]: rev, [REVISION_HISTORY_ANNOTATION]: old };
      setNewReplicaSetAnnotations(d, rs, { newRevision: '100', exists: true, revHistoryLimitInChars: limit });
      return rs.metadata!.annotations[REVISION_HISTORY_ANNOTATION];
    };
    assert.equal(history('1,2', '34', 6), '1,2,34'); // 6 characters: fits
    assert.equal(history('1,2', '34', 5), '2,34'); // one over: the oldest entry goes
    assert.equal(history('1,2', '34567', 4), '1,2'); // cannot fit even alone: history unchanged
  });
  test('a lower or equal revision is left alone and compares as integers', () => {
    const d = generateDeployment('nginx');
    const rs = generateRS(d, 'nginx-1');
    rs.metadata!.annotations = { [REVISION_ANNOTATION]: '10' };
    assert.equal(setNewReplicaSetAnnotations(d, rs, { newRevision: '9', exists: true }), false);
    assert.equal(setNewReplicaSetAnnotations(d, rs, { newRevision: '10', exists: true }), false);
    assert.equal(rs.metadata!.annotations[REVISION_ANNOTATION], '10');
    assert.equal(rs.metadata!.annotations[REVISION_HISTORY_ANNOTATION], undefined);
  });
  test('a fresh RS gets revision, desired-replicas and max-replicas; copies skip the reserved keys', () => {
    const d = rollingDeployment(10, '25%', '25%');
    d.metadata!.annotations = {
      'kubernetes.io/change-cause': 'v2',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [REVISION_ANNOTATION]: '7',
      [DESIRED_REPLICAS_ANNOTATION]: '99',
      'deprecated.deployment.rollback.to': '3',
    };
    const rs = generateRS(d, 'nginx-1');
    assert.equal(setNewReplicaSetAnnotations(d, rs, { newRevision: '3', exists: false }), true);
    assert.deepEqual(rs.metadata!.annotations, {
      'kubernetes.io/change-cause': 'v2',
      [REVISION_ANNOTATION]: '3',
      [DESIRED_REPLICAS_ANNOTATION]: '10',
      [MAX_REPLICAS_ANNOTATION]: '13',
    });
    assert.equal(copyDeploymentAnnotationsToReplicaSet(d, rs), false);
  });
  test('re-using an old RS moves its revision into the history', () => {
    const d = generateDeployment('nginx');
    const rs = generateRS(d, 'nginx-1');
    rs.metadata!.annotations = { [REVISION_ANNOTATION]: '2', [REVISION_HISTORY_ANNOTATION]: '1' };
    assert.equal(setNewReplicaSetAnnotations(d, rs, { newRevision: '5', exists: true }), true);
    assert.equal(rs.metadata!.annotations[REVISION_ANNOTATION], '5');
    assert.equal(rs.metadata!.annotations[REVISION_HISTORY_ANNOTATION], '1,2');
    assert.equal(rs.metadata!.annotations[DESIRED_REPLICAS_ANNOTATION], undefined);
  });
  test('maxRevision skips unparseable revisions and counts missing ones as 0', () => {
    const d = generateDeployment('nginx');
    const rs = (name: string, rev?: string): ReplicaSet => {
      const r = generateRS(d, name);
      if (rev !== undefined) r.metadata!.annotations = { [REVISION_ANNOTATION]: rev };
      return r;
    };
    assert.equal(maxRevision([]), 0);
    assert.equal(maxRevision([rs('a', '3'), rs('b', 'x'), rs('c'), rs('d', '12'), rs('e', '9')]), 12);
  });
  test('setDeploymentRevision reports changes', () => {
    const d = generateDeployment('nginx');
    assert.equal(setDeploymentRevision(d, '4'), true);
    assert.equal(setDeploymentRevision(d, '4'), false);
    assert.equal(d.metadata!.annotations![REVISION_ANNOTATION], '4');
  });
});

describe('replica annotations', () => {
  // Upstream TestGetNonNegativeInt32FromAnnotation.
  const cases: Array<[string, string | undefined, number | undefined]> = [
    ['absent', undefined, undefined],
    ['invalid', 'invalid', undefined],
    ['negative', '-1', undefined],
    ['zero', '0', 0],
    ['valid', '13', 13],
    ['max int32', String(2 ** 31 - 1), 2 ** 31 - 1],
    ['out of range', String(2 ** 31), undefined],
    ['far out of range', String(2 ** 32), undefined],
  ];
  for (const [name, value, expected] of cases) {
    test(`getNonNegativeInt32FromAnnotation: ${name}`, () => {
      const rs = generateRS(generateDeployment('nginx'), 'rs');
      rs.metadata!.annotations = { foo: '2', ...(value === undefined ? {} : { test: value }) };
      assert.equal(getNonNegativeInt32FromAnnotation(rs, 'test'), expected);
    });
  }
  // Upstream TestReplicasAnnotationsNeedUpdate against (desired 10, max 20).
  const needCases: Array<[string, Record<string, string> | undefined, boolean]> = [
    ['annotations absent', undefined, true],
    ['desired differs', { [DESIRED_REPLICAS_ANNOTATION]: '8', [MAX_REPLICAS_ANNOTATION]: '20' }, true],
    ['max differs', { [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '16' }, true],
    ['up to date', { [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '20' }, false],
  ];
  for (const [name, annotations, expected] of needCases) {
    test(`replicasAnnotationsNeedUpdate: ${name}`, () => {
      const rs: ReplicaSet = { metadata: { name: 'hello', ...(annotations ? { annotations } : {}) } };
      assert.equal(replicasAnnotationsNeedUpdate(rs, 10, 20), expected);
      assert.equal(setReplicasAnnotations(rs, 10, 20), expected);
      assert.equal(replicasAnnotationsNeedUpdate(rs, 10, 20), false);
    });
  }
});
