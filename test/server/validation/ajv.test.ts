import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AjvValidators, validatedRoots } from '../../../server/validation/ajv.js';
import { decodeError, definitionFor, loadDefinitions, unknownFields, validatorsFile } from '../../../server/validation/schema.js';

type Obj = Record<string, any>;
type Gvk = [group: string, version: string, kind: string];
/** One corpus entry: a body, its kind, and whether it decodes with no error and no unknown field. */
type Case = [label: string, gvk: Gvk, obj: Obj, ok: boolean];

const POD: Gvk = ['', 'v1', 'Pod'];
const DEPLOYMENT: Gvk = ['apps', 'v1', 'Deployment'];
const SECRET: Gvk = ['', 'v1', 'Secret'];
const CONFIG_MAP: Gvk = ['', 'v1', 'ConfigMap'];
const CRD: Gvk = ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'];

function pod(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25, memory: 64 } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
          securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] } },
        },
      ],
      terminationGracePeriodSeconds: 30,
      volumes: [{ name: 'cfg', configMap: { name: 'web-config', defaultMode: 420 } }, { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
    },
    status: {},
  };
}

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { metadata: { labels: { app: 'web' } }, spec: pod().spec },
    },
  };
}

function crd(): Obj {
  const schema = {
    type: 'object',
    properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1, default: 3 } } } },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', kind: 'Widget' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

const secret = (data: unknown): Obj => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: data } });
const configMap = (binaryData: unknown): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { b: binaryData } });
const podSpec = (d: Obj): Obj => d.spec.template.spec;

/** A fresh base object after one edit. */
function edit<T extends Obj>(base: T, change: (o: T) => void): T {
  change(base);
  return base;
}

/** Bodies that decode: nulls, maps, free-form JSON and the edges of each range. */
function validCases(): Case[] {
  return [
    ['a Pod', POD, pod(), true],
    ['a Deployment', DEPLOYMENT, deployment(), true],
    ['a CRD with a recursive schema, $ref and free-form default', CRD, edit(crd(), (c) => (c.spec.versions[0].schema.openAPIV3Schema.properties.x = { $ref: '#/x', default: { any: [1, 'two'] } })), true],
    ['a core Event with MicroTime and Time', ['', 'v1', 'Event'], { involvedObject: { kind: 'Pod' }, metadata: { name: 'e' }, eventTime: '2024-01-01T00:00:00.000000Z', firstTimestamp: 'not even a date', count: 2 }, true],
    ['an events.k8s.io Event', ['events.k8s.io', 'v1', 'Event'], { metadata: { name: 'e' }, eventTime: null, regarding: { kind: 'Pod' }, note: 'x', deprecatedCount: 1 }, true],
    ['a Service with int and string target ports', ['', 'v1', 'Service'], { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } }, true],
    ['a PodDisruptionBudget with a percentage', ['policy', 'v1', 'PodDisruptionBudget'], { metadata: { name: 'p' }, spec: { minAvailable: '50%' } }, true],
    ['an HPA with Quantity targets', ['autoscaling', 'v2', 'HorizontalPodAutoscaler'], { metadata: { name: 'h' }, spec: { maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } }] } }, true],
    ['null for every kind of field', POD, edit(pod(), (p) => Object.assign(p, { metadata: { labels: { a: null }, creationTimestamp: null }, spec: { containers: [null, { ports: null, resources: { limits: { cpu: null } } }], terminationGracePeriodSeconds: null } })), true],
    ['an empty Pod', POD, {}, true],
    ['int32 bounds', DEPLOYMENT, edit(deployment(), (d) => ((d.spec.replicas = 2147483647), (d.spec.minReadySeconds = -2147483648))), true],
    ['an int64 beyond int32', POD, edit(pod(), (p) => (p.spec.terminationGracePeriodSeconds = 3_000_000_000)), true],
    ['the largest int64', POD, edit(pod(), (p) => (p.spec.activeDeadlineSeconds = 9223372036854775807)), true],
    ['free-form fieldsV1, even a string', POD, edit(pod(), (p) => (p.metadata.managedFields = [{ manager: 'kubectl', fieldsV1: { 'f:spec': { '.': {} } } }, { fieldsV1: 'anything' }])), true],
    ['base64 with padding and newlines', SECRET, secret('aGVs\nbG8=\r\n'), true],
    ['base64 "YQ==" with a newline between the pads', CONFIG_MAP, configMap('YQ=\n='), true],
    ['empty base64', SECRET, secret(''), true],
  ];
}

/** One type error of each kind the walker words. */
function typeErrorCases(): Case[] {
  return [
    ['string into int32', DEPLOYMENT, edit(deployment(), (d) => (d.spec.replicas = 'abc')), false],
    ['fraction into int32', DEPLOYMENT, edit(deployment(), (d) => (d.spec.replicas = 1.5)), false],
    ['int32 overflow', DEPLOYMENT, edit(deployment(), (d) => (d.spec.replicas = 2147483648)), false],
    ['int32 underflow', DEPLOYMENT, edit(deployment(), (d) => (d.spec.minReadySeconds = -2147483649)), false],
    ['int64 overflow', POD, edit(pod(), (p) => (p.spec.terminationGracePeriodSeconds = 1e19)), false],
    ['string into a list', DEPLOYMENT, edit(deployment(), (d) => (podSpec(d).containers = 'nginx')), false],
    ['string into a struct in a list', DEPLOYMENT, edit(deployment(), (d) => (podSpec(d).containers = ['nginx'])), false],
    ['array into a struct', DEPLOYMENT, edit(deployment(), (d) => (d.spec = [])), false],
    ['number into a struct', DEPLOYMENT, edit(deployment(), (d) => (d.spec.template = 5)), false],
    ['string into bool', DEPLOYMENT, edit(deployment(), (d) => (d.spec.paused = 'yes')), false],
    ['bool into string', POD, edit(pod(), (p) => (p.spec.containers[0].image = true)), false],
    ['number in a string map', POD, edit(pod(), (p) => (p.metadata.labels.version = 1)), false],
    ['string into a map', POD, edit(pod(), (p) => (p.metadata.labels = 'app=web')), false],
    ['array into a map', POD, edit(pod(), (p) => (p.metadata.annotations = [])), false],
    ['number in a string list', POD, edit(pod(), (p) => (p.spec.containers[0].args = ['--x', 1])), false],
    ['number into Time', POD, edit(pod(), (p) => (p.metadata.creationTimestamp = 5)), false],
    ['object into MicroTime', ['', 'v1', 'Event'], { metadata: { name: 'e' }, eventTime: {} }, false],
    ['string into float64', CRD, edit(crd(), (c) => (c.spec.versions[0].schema.openAPIV3Schema.minimum = '1')), false],
    ['number into a nested JSONSchemaProps string', CRD, edit(crd(), (c) => (c.spec.versions[0].schema.openAPIV3Schema.properties.spec.type = 5)), false],
    ['number into $ref', CRD, edit(crd(), (c) => (c.spec.versions[0].schema.openAPIV3Schema.$ref = 5)), false],
  ];
}

/** IntOrString, Quantity and base64 ([]byte), good and bad. */
function unmarshalerCases(): Case[] {
  const maxSurge = (v: unknown) => edit(deployment(), (d) => (d.spec.strategy.rollingUpdate.maxSurge = v));
  const cpu = (v: unknown) => edit(pod(), (p) => (p.spec.containers[0].resources.limits.cpu = v));
  const cases: Case[] = [
    ['IntOrString 0', DEPLOYMENT, maxSurge(0), true],
    ['IntOrString -2147483648', DEPLOYMENT, maxSurge(-2147483648), true],
    ['IntOrString bool', DEPLOYMENT, maxSurge(true), false],
    ['IntOrString fraction', DEPLOYMENT, maxSurge(1.5), false],
    ['IntOrString int32 overflow', DEPLOYMENT, maxSurge(3_000_000_000), false],
    ['IntOrString object', DEPLOYMENT, maxSurge({}), false],
    ['IntOrString list', DEPLOYMENT, maxSurge(['1']), false],
  ];
  const goodQuantities = ['100m', '1.5Gi', '2e3', '-1e-3', '0', '.5', '5.', '+1Ki', '1E', '1Ei', 'm', '.', ' 100m ', '\u00a0100m\u3000', '\ufeff2'];
  for (const q of goodQuantities) cases.push([`Quantity ${JSON.stringify(q)}`, POD, cpu(q), true]);
  for (const q of [1, 0.25, -3, 1e21, 1e-7]) cases.push([`Quantity number ${q}`, POD, cpu(q), true]);
  const badQuantities: unknown[] = ['abc', '100mm', '', '  ', '5e', '1i', '1e+', '1.2.3', '1 m', '1-5', '1ki', true, false, {}, [], ['1']];
  for (const q of badQuantities) cases.push([`Quantity ${JSON.stringify(q)}`, POD, cpu(q), false]);
  const badBase64 = ['not base64!', 'aGVsbG8', 'aGVsbA==x', '=', 'AB=', 'ABC==', 'ABCD=', 'A===', 'aGVs bG8=', 'aGVsbG8=\t', 'é'];
  for (const b of badBase64) cases.push([`base64 ${JSON.stringify(b)}`, SECRET, secret(b), false]);
  cases.push(['base64 number', CONFIG_MAP, configMap(5), false], ['base64 ok in ConfigMap', CONFIG_MAP, configMap('aGVsbG8h'), true]);
  return cases;
}

/** Unknown fields at several depths, including names Object.prototype carries. */
function unknownFieldCases(): Case[] {
  return [
    ['unknown at the root', POD, edit(pod(), (p) => (p.bogus = 1)), false],
    ['unknown in metadata', POD, edit(pod(), (p) => (p.metadata.foo = 'x')), false],
    ['unknown in spec', DEPLOYMENT, edit(deployment(), (d) => (d.spec.bogusField = true)), false],
    ['unknown in a list element', DEPLOYMENT, edit(deployment(), (d) => (podSpec(d).containers[0].foo = null)), false],
    ['unknown in an inline-embedded struct', DEPLOYMENT, edit(deployment(), (d) => (podSpec(d).volumes[0].configMap.extra = 1)), false],
    ['unknown in a struct inside a map', CRD, edit(crd(), (c) => (c.spec.versions[0].schema.openAPIV3Schema.properties.spec.bogus = 1)), false],
    ['unknown in a StatefulSet claim template', ['apps', 'v1', 'StatefulSet'], { spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Gi' } }, x: 1 } }] } }, false],
    ['field names are case-sensitive', DEPLOYMENT, edit(deployment(), (d) => (d.spec.Replicas = 3)), false],
    ['toString is not a field', DEPLOYMENT, edit(deployment(), (d) => (d.spec.toString = 'x')), false],
    ['__proto__ is not a field', DEPLOYMENT, edit(deployment(), (d) => (d.spec = JSON.parse('{"__proto__": {"replicas": 1}}'))), false],
    ['map keys are never unknown', DEPLOYMENT, edit(deployment(), (d) => (d.spec.selector.matchLabels = { anything: 'goes', toString: 'x' })), true],
    ['free-form JSON holds any field', CRD, edit(crd(), (c) => (c.spec.versions[0].schema.openAPIV3Schema.default = { bogus: { deeper: [null] } })), true],
    ['an unknown field beside a type error', DEPLOYMENT, edit(deployment(), (d) => ((d.spec.bogus = 1), (d.spec.replicas = 'x'))), false],
  ];
}

function corpus(): Case[] {
  return [...validCases(), ...typeErrorCases(), ...unmarshalerCases(), ...unknownFieldCases()];
}

// decodeError and unknownFields only walk once Ajv rejects, so the walker's own verdict is read
// through an extra unknown root field: Ajv rejects it, the walker lists it last (root fields come
// in document order) and skips its value, so it changes nothing else the walker reports. A failing
// unmarshaler stops the walk before the probe, but then there is a decode error to go by.
const PROBE = 'kubedojoWalkerProbe';

/** The walker's verdict alone: no decode error and no unknown field. */
function walkerAccepts(gvk: Gvk, obj: Obj): boolean {
  const probed = { ...obj, [PROBE]: 1 };
  if (decodeError(...gvk, probed) !== undefined) return false;
  const unknown = unknownFields(...gvk, probed);
  assert.equal(unknown.at(-1), PROBE, 'the probe reaches the walker');
  return unknown.length === 1;
}

describe('Ajv and the walker agree', () => {
  const validators = new AjvValidators(loadDefinitions(), validatorsFile());

  test('on every body of the corpus', () => {
    const cases = corpus();
    assert.ok(cases.length >= 40, `corpus has ${cases.length} bodies`);
    assert.ok(cases.filter((c) => c[3]).length >= 15 && cases.filter((c) => !c[3]).length >= 15, 'both verdicts are well covered');
    for (const [label, gvk, obj, ok] of cases) {
      const name = definitionFor(...gvk);
      assert.ok(name, `${label}: no definition for ${gvk.join('/')}`);
      const walker = walkerAccepts(gvk, structuredClone(obj));
      const ajv = validators.validate(name, structuredClone(obj));
      assert.equal(ajv, walker, `${label}: Ajv says ${ajv}, the walker ${walker}: ${JSON.stringify(validators.validatorFor(name).errors)}`);
      assert.equal(ajv, ok, `${label}: expected ${ok ? 'to decode' : 'a rejection'}`);
      // The public functions, Ajv gate included, say the same.
      const api = decodeError(...gvk, obj) === undefined && unknownFields(...gvk, obj).length === 0;
      assert.equal(api, ok, `${label}: decodeError/unknownFields`);
    }
  });

  test('rejected bodies keep the walker wording', () => {
    const d = edit(deployment(), (x) => (x.spec.replicas = 'abc'));
    assert.equal(
      decodeError(...DEPLOYMENT, d),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const u = edit(deployment(), (x) => ((x.spec.toString = 1), (podSpec(x).containers[0].foo = 1)));
    assert.deepEqual(unknownFields(...DEPLOYMENT, u), ['spec.template.spec.containers[0].foo', 'spec.toString']);
    assert.equal(decodeError(...DEPLOYMENT, u), undefined, 'unknown fields are not decode errors');
  });

  test('roots that are not objects', () => {
    const name = definitionFor(...POD)!;
    for (const [root, ok] of [[null, true], [[], false], ['pod', false], [5, false]] as const) {
      assert.equal(validators.validate(name, root), ok, JSON.stringify(root));
      assert.equal(decodeError(...POD, root) === undefined, ok, JSON.stringify(root));
    }
  });

  test('patterns stay linear on long hostile values', () => {
    const started = performance.now();
    const newlines = '\n'.repeat(200_000);
    assert.equal(validators.validate(definitionFor(...SECRET)!, secret(`${newlines}!`)), false);
    assert.equal(validators.validate(definitionFor(...SECRET)!, secret(`${'QUJD\n'.repeat(50_000)}!`)), false);
    assert.equal(validators.validate(definitionFor(...POD)!, edit(pod(), (p) => (p.spec.containers[0].resources.limits.cpu = `${' '.repeat(200_000)}x`))), false);
    assert.equal(validators.validate(definitionFor(...POD)!, edit(pod(), (p) => (p.spec.containers[0].resources.limits.cpu = `1${' '.repeat(200_000)}x`))), false);
    // A quadratic backtrack over 200k characters takes minutes, a linear one milliseconds.
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  });
});

describe('AjvValidators', () => {
  test("loads the build's compiled validators once, on first use, and reuses them", () => {
    const v = new AjvValidators(loadDefinitions(), validatorsFile());
    const podName = definitionFor(...POD)!;
    assert.equal(v.loads, 0, 'nothing is loaded up front');
    assert.equal(v.validate(podName, pod()), true);
    assert.equal(v.validate(podName, edit(pod(), (p) => (p.bogus = 1))), false);
    assert.equal(v.loads, 1);
    assert.equal(v.validatorFor(podName), v.validatorFor(podName));
    assert.equal(v.validate(definitionFor(...DEPLOYMENT)!, deployment()), true);
    assert.equal(v.validate(definitionFor(...DEPLOYMENT)!, edit(deployment(), (x) => (x.spec.replicas = 'abc'))), false);
    assert.equal(v.loads, 1);
  });

  test('the module holds a validator for every kind and for nothing else', () => {
    const definitions = loadDefinitions();
    const v = new AjvValidators(definitions, validatorsFile());
    const kinds = validatedRoots(definitions);
    assert.ok(kinds.length > 100, `${kinds.length} kinds`);
    for (const name of kinds) assert.equal(typeof v.validatorFor(name), 'function', name);
    assert.throws(() => v.validatorFor('io.k8s.api.core.v1.PodSpec'), /holds no validator for io\.k8s\.api\.core\.v1\.PodSpec: only kinds are compiled/);
  });

  test('a definition it does not know accepts anything and loads nothing', () => {
    const v = new AjvValidators(loadDefinitions(), validatorsFile());
    assert.equal(v.validate('io.example.v1.Widget', { spec: { replicas: 'x' } }), true);
    assert.equal(v.loads, 0);
  });

  test('a missing module says how to make it', () => {
    const v = new AjvValidators(loadDefinitions(), '/nonexistent/validators.cjs');
    assert.throws(() => v.validate(definitionFor(...POD)!, pod()), { message: "Cannot load /nonexistent/validators.cjs as it does not exist: run 'npm run build'" });
  });
});
