import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadResourceTable } from '../../../schemas/index.js';
import {
  decodeError,
  definitionFor,
  loadDefinitions,
  strictDecodingMessage,
  unknownFieldMessage,
  unknownFields,
} from '../../../server/validation/schema.js';

const PREFIX = 'Deployment in version "v1" cannot be handled as a Deployment: ';

/** A fresh, valid apps/v1 Deployment that each test edits. */
function deployment(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' }, creationTimestamp: null },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              args: ['--port', '8080'],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'MODE', value: 'prod' }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25, memory: 64 } },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            },
          ],
          terminationGracePeriodSeconds: 30,
          volumes: [{ name: 'cfg', configMap: { name: 'web-config', defaultMode: 420 } }],
        },
      },
    },
    status: {},
  };
}

function podSpec(d: Record<string, any>): Record<string, any> {
  return d.spec.template.spec;
}

describe('decodeError', () => {
  test('a valid Deployment decodes', () => {
    assert.equal(decodeError('apps', 'v1', 'Deployment', deployment()), undefined);
    assert.deepEqual(unknownFields('apps', 'v1', 'Deployment', deployment()), []);
  });

  test('a string replicas gives the apiserver wording with Go struct and type', () => {
    const d = deployment();
    d.spec.replicas = 'abc';
    assert.equal(
      decodeError('apps', 'v1', 'Deployment', d),
      `${PREFIX}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
    );
  });

  test('fractional and overflowing integers quote the number', () => {
    const d = deployment();
    d.spec.replicas = 1.5;
    assert.match(decodeError('apps', 'v1', 'Deployment', d) ?? '', /cannot unmarshal number 1\.5 into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
    d.spec.replicas = 3_000_000_000;
    assert.match(decodeError('apps', 'v1', 'Deployment', d) ?? '', /number 3000000000 into .* of type int32$/);
    d.spec.replicas = 2;
    podSpec(d).terminationGracePeriodSeconds = 3_000_000_000; // int64 field: fits
    assert.equal(decodeError('apps', 'v1', 'Deployment', d), undefined);
  });

  test('containers that are not a list name the slice type', () => {
    const d = deployment();
    podSpec(d).containers = 'nginx';
    assert.equal(
      decodeError('apps', 'v1', 'Deployment', d),
      `${PREFIX}json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container`,
    );
    podSpec(d).containers = ['nginx'];
    assert.match(decodeError('apps', 'v1', 'Deployment', d) ?? '', /into Go struct field PodSpec\.spec\.template\.spec\.containers of type v1\.Container$/);
  });

  test('a label with a number value names the map field and the element type', () => {
    const d = deployment();
    d.metadata.labels = { app: 'web', version: 1.0 };
    assert.equal(
      decodeError('apps', 'v1', 'Deployment', d),
      `${PREFIX}json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`,
    );
  });

  test('fields inside list elements use the element struct and an index-free path', () => {
    const d = deployment();
    podSpec(d).containers[0].ports[0].containerPort = '80';
    assert.equal(
      decodeError('apps', 'v1', 'Deployment', d),
      `${PREFIX}json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`,
    );
  });

  test('objects and arrays in the wrong place, named Go types and inline-embedded structs', () => {
    const cases: [(d: Record<string, any>) => void, string][] = [
      [(d) => (d.spec = []), 'array into Go struct field Deployment.spec of type v1.DeploymentSpec'],
      [(d) => (d.spec.paused = 'yes'), 'string into Go struct field DeploymentSpec.spec.paused of type bool'],
      [(d) => (podSpec(d).containers[0].args = [1]), 'number into Go struct field Container.spec.template.spec.containers.args of type string'],
      [(d) => (podSpec(d).containers[0].imagePullPolicy = 1), 'number into Go struct field Container.spec.template.spec.containers.imagePullPolicy of type v1.PullPolicy'],
      [(d) => (podSpec(d).containers[0].resources.limits = 'x'), 'string into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList'],
      [(d) => (podSpec(d).volumes[0].configMap = 'x'), 'string into Go struct field Volume.spec.template.spec.volumes.VolumeSource.configMap of type v1.ConfigMapVolumeSource'],
      [(d) => (d.metadata.creationTimestamp = 5), 'number into Go struct field ObjectMeta.metadata.creationTimestamp of type string'],
    ];
    for (const [edit, expected] of cases) {
      const d = deployment();
      edit(d);
      assert.equal(decodeError('apps', 'v1', 'Deployment', d), `${PREFIX}json: cannot unmarshal ${expected}`);
    }
  });

  test('the first type error in document order wins, but a failing unmarshaler aborts at once', () => {
    const d = deployment();
    d.spec.replicas = 'x';
    d.spec.minReadySeconds = 'y';
    assert.match(decodeError('apps', 'v1', 'Deployment', d) ?? '', /DeploymentSpec\.spec\.replicas of type int32$/);
    podSpec(d).containers[0].resources.limits.cpu = 'lots';
    assert.match(decodeError('apps', 'v1', 'Deployment', d) ?? '', /: quantities must match the regular expression/);
  });

  test('null is accepted for every kind of field', () => {
    const d = deployment();
    Object.assign(d.spec, { replicas: null, selector: null, strategy: { rollingUpdate: { maxSurge: null } } });
    Object.assign(podSpec(d).containers[0], { args: null, ports: [null], resources: { limits: { cpu: null } } });
    assert.equal(decodeError('apps', 'v1', 'Deployment', d), undefined);
  });
});

describe('int-or-string and Quantity', () => {
  test('IntOrString accepts integers and strings, rejects the rest as int32', () => {
    for (const v of [0, 2, '25%', 'http']) {
      const d = deployment();
      d.spec.strategy.rollingUpdate.maxSurge = v;
      podSpec(d).containers[0].livenessProbe.httpGet.port = v;
      assert.equal(decodeError('apps', 'v1', 'Deployment', d), undefined, `value ${v}`);
    }
    const d = deployment();
    d.spec.strategy.rollingUpdate.maxSurge = true;
    assert.equal(
      decodeError('apps', 'v1', 'Deployment', d),
      `${PREFIX}json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32`,
    );
    d.spec.strategy.rollingUpdate.maxSurge = 1.5;
    assert.match(decodeError('apps', 'v1', 'Deployment', d) ?? '', /cannot unmarshal number 1\.5 into .*maxSurge of type int32$/);
  });

  test('Quantity accepts "100m" and 1, and words parse failures like ParseQuantity', () => {
    const limits = (v: unknown) => {
      const d = deployment();
      podSpec(d).containers[0].resources.limits = { cpu: v };
      return decodeError('apps', 'v1', 'Deployment', d);
    };
    for (const ok of ['100m', 1, '1.5Gi', '2e3', '0', 0.5]) assert.equal(limits(ok), undefined, `quantity ${ok}`);
    assert.equal(limits('abc'), `${PREFIX}quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    assert.equal(limits(true), limits('abc'));
    assert.equal(limits('100mm'), `${PREFIX}unable to parse quantity's suffix`);
  });
});

describe('base64 ([]byte) fields', () => {
  test('Secret data must be standard base64', () => {
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    assert.equal(decodeError('', 'v1', 'Secret', secret({ a: 'aGVsbG8=', b: '' })), undefined);
    const prefix = 'Secret in version "v1" cannot be handled as a Secret: ';
    assert.equal(decodeError('', 'v1', 'Secret', secret({ a: 'not base64!' })), `${prefix}illegal base64 data at input byte 3`);
    assert.equal(decodeError('', 'v1', 'Secret', secret({ a: 'aGVsbG8' })), `${prefix}illegal base64 data at input byte 4`);
    assert.equal(decodeError('', 'v1', 'Secret', secret({ a: 'aGVsbA==x' })), `${prefix}illegal base64 data at input byte 8`);
  });
});

describe('unknownFields', () => {
  test('reports unknown fields at several depths in document order', () => {
    const d = deployment();
    d.metadata.foo = 1;
    d.spec.bogusField = true;
    podSpec(d).containers[0].foo = 'x';
    podSpec(d).containers.push({ name: 'side', image: 'busybox', bar: { nested: 1 } });
    podSpec(d).volumes[0].configMap.extra = 1;
    d.spec.selector.matchLabels.fine = 'map keys are never unknown';
    // bogusField was added last to spec, so it follows everything under spec.template.
    assert.deepEqual(unknownFields('apps', 'v1', 'Deployment', d), [
      'metadata.foo',
      'spec.template.spec.containers[0].foo',
      'spec.template.spec.containers[1].bar',
      'spec.template.spec.volumes[0].configMap.extra',
      'spec.bogusField',
    ]);
    assert.equal(decodeError('apps', 'v1', 'Deployment', d), undefined, 'unknown fields are not decode errors');
  });

  test('is case-sensitive like the apiserver decoder', () => {
    const d = deployment();
    d.spec.Replicas = 3;
    assert.deepEqual(unknownFields('apps', 'v1', 'Deployment', d), ['spec.Replicas']);
  });

  test('map values that are structs extend the path with the key', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, wat: 1 } };
    assert.deepEqual(unknownFields('policy', 'v1', 'PodDisruptionBudget', pdb), ['spec.wat']);
    const ss = { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Gi' } }, x: 1 } }] } };
    assert.deepEqual(unknownFields('apps', 'v1', 'StatefulSet', ss), ['spec.volumeClaimTemplates[0].spec.x']);
  });

  test('strict and warning messages use the apiserver wording', () => {
    assert.equal(unknownFieldMessage('spec.bogusField'), 'unknown field "spec.bogusField"');
    assert.equal(
      strictDecodingMessage('Deployment', 'v1', ['spec.bogusField']),
      `${PREFIX}strict decoding error: unknown field "spec.bogusField"`,
    );
    assert.equal(
      strictDecodingMessage('Deployment', 'v1', ['a', 'b']),
      `${PREFIX}strict decoding error: unknown field "a", unknown field "b"`,
    );
  });
});

describe('definitions', () => {
  test('every kind of the resource table, and every body subresource kind, has a definition', () => {
    // metrics.k8s.io (served for metrics-server) is read-only: nothing is decoded or validated.
    for (const r of loadResourceTable().resources.filter((x) => x.group !== 'metrics.k8s.io')) {
      const name = definitionFor(r.group, r.version, r.kind);
      assert.ok(name, `no definition for ${r.group}/${r.version} ${r.kind}`);
      assert.deepEqual(loadDefinitions()[name]?.['x-kubernetes-group-version-kind'], [{ group: r.group, version: r.version, kind: r.kind }]);
      for (const s of r.subresources) {
        // *Options kinds travel as query parameters, never as JSON bodies.
        if (!s.kind || s.kind.endsWith('Options')) continue;
        assert.ok(definitionFor(s.group ?? r.group, s.version ?? r.version, s.kind), `no definition for ${r.plural}/${s.name} ${s.kind}`);
      }
    }
  });

  test('names follow the Kubernetes OpenAPI names and keep descriptions', () => {
    const defs = loadDefinitions();
    assert.equal(definitionFor('apps', 'v1', 'Deployment'), 'io.k8s.api.apps.v1.Deployment');
    assert.equal(definitionFor('events.k8s.io', 'v1', 'Event'), 'io.k8s.api.events.v1.Event');
    assert.equal(definitionFor('', 'v1', 'Event'), 'io.k8s.api.core.v1.Event');
    assert.equal(defs['io.k8s.api.apps.v1.Deployment']?.properties?.metadata?.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    assert.equal(defs['io.k8s.api.core.v1.Container']?.properties?.args?.items?.type, 'string');
    assert.deepEqual(defs['io.k8s.api.apps.v1.DeploymentSpec']?.required, ['selector', 'template']);
    assert.equal(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.['x-kubernetes-int-or-string'], true);
    assert.match(defs['io.k8s.api.apps.v1.DeploymentSpec']?.properties?.replicas?.description ?? '', /Number of desired pods/);
  });

  test('unknown kinds are not checked', () => {
    assert.equal(definitionFor('example.com', 'v1', 'Widget'), undefined);
    assert.equal(decodeError('example.com', 'v1', 'Widget', { spec: { replicas: 'x' } }), undefined);
    assert.deepEqual(unknownFields('example.com', 'v1', 'Widget', { bogus: 1 }), []);
  });
});
