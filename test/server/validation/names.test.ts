import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidLabelValue, isValidPercent,
  isValidPortName, nameIsDNSSubdomain, nameIsPathSegment, nameValidatorFor, regexError,
} from '../../../server/validation/names.js';

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const KEY_NAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('regexError', () => {
  it('joins examples with a double space before "or", like apimachinery', () => {
    assert.equal(regexError('bad', 'x+', 'a', 'b'), "bad (e.g. 'a',  or 'b', regex used for validation is 'x+')");
    assert.equal(regexError('bad', 'x+'), "bad (regex used for validation is 'x+')");
  });
});

describe('DNS names', () => {
  it('rejects an upper-case subdomain with the exact upstream text', () => {
    assert.deepEqual(isDNS1123Subdomain('Web'), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain('web.example.com'), []);
  });

  it('limits subdomains to 253 characters', () => {
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  });

  it('explains labels that only fail because of dots', () => {
    assert.deepEqual(isDNS1123Label('my.ns'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('Web'), [LABEL_MSG]);
  });

  it('reports both the length and the format of a long bad label', () => {
    assert.deepEqual(isDNS1123Label(`${'a'.repeat(63)}-`), ['must be no more than 63 characters', LABEL_MSG]);
    assert.deepEqual(isDNS1123Label('a'.repeat(63)), []);
  });

  it('requires DNS-1035 labels to start with a letter', () => {
    assert.deepEqual(isDNS1035Label('1web'), [DNS1035_MSG]);
    assert.deepEqual(isDNS1035Label('web-1'), []);
  });
});

describe('label keys and values', () => {
  it('explains a bad label value', () => {
    assert.deepEqual(isValidLabelValue('bad value'), [LABEL_VALUE_MSG]);
    assert.deepEqual(isValidLabelValue(''), []);
  });

  it('limits label values to 63 characters', () => {
    assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
  });

  it('checks the name part and the prefix part of a key', () => {
    assert.deepEqual(isQualifiedName('bad key'), [KEY_NAME_MSG]);
    assert.deepEqual(isQualifiedName('example.com/app'), []);
    assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
    assert.deepEqual(isQualifiedName('Example.com/app'), [`prefix part ${SUBDOMAIN_MSG}`]);
    assert.deepEqual(isQualifiedName(`${'a'.repeat(64)}`), ['name part must be no more than 63 characters']);
  });

  it('rejects keys with more than one slash', () => {
    const [msg] = isQualifiedName('a/b/c');
    assert.match(msg!, /^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  });
});

describe('values checked again', () => {
  it('a label key or value is judged the same on every check, valid or not, and a returned list is the caller\'s own', () => {
    const cases: Array<[(v: string) => string[], string, string]> = [
      [isQualifiedName, 'app.kubernetes.io/name', 'app.kubernetes.io/'],
      [isValidLabelValue, 'v1.2', '-v1'],
    ];
    for (const [check, valid, invalidValue] of cases) {
      const errs = check(invalidValue);
      assert.ok(errs.length > 0, `${check.name}(${invalidValue})`);
      for (let i = 0; i < 3; i++) {
        const ok = check(valid);
        assert.equal(ok.length, 0, `${check.name}(${valid})`);
        ok.push('changed by the caller');
        assert.deepEqual(check(invalidValue), errs, `${check.name}(${invalidValue}) after ${valid}`);
      }
    }
    // A valid key is not thereby a valid value.
    assert.deepEqual(isQualifiedName('example.com/app'), []);
    assert.deepEqual(isValidLabelValue('example.com/app'), [LABEL_VALUE_MSG]);
  });
});

describe('other formats', () => {
  it('checks ConfigMap keys, including the dot rules', () => {
    assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
    assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
    assert.deepEqual(isConfigMapKey('a b'), [
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    assert.deepEqual(isConfigMapKey('app.properties'), []);
  });

  it('explains a malformed percent', () => {
    assert.deepEqual(isValidPercent('1O%'), ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]);
  });

  it('lists every problem of a port name', () => {
    assert.deepEqual(isValidPortName('-8080-'), [
      'must contain at least one letter (a-z)',
      'must not begin or end with a hyphen',
    ]);
    assert.deepEqual(isValidPortName('http'), []);
  });

  it('recognises IPv4 and IPv6 addresses', () => {
    assert.equal(isIP('10.96.0.1'), true);
    assert.equal(isIP('10.96.0.256'), false);
    assert.equal(isIP('2001:db8::1'), true);
    assert.equal(isIP('::1'), true);
    assert.equal(isIP('10.96.0'), false);
  });
});

describe('name rules per kind', () => {
  it('uses DNS labels for namespaces, DNS-1035 for services, subdomains elsewhere', () => {
    assert.deepEqual(nameValidatorFor('', 'Namespace')('my.ns', false), ['must not contain dots']);
    assert.deepEqual(nameValidatorFor('', 'Service')('1web', false), [DNS1035_MSG]);
    assert.deepEqual(nameValidatorFor('apps', 'Deployment')('my.web', false), []);
    assert.deepEqual(nameValidatorFor('apps', 'StatefulSet')('my.web', false), ['must not contain dots']);
  });

  it('uses path-segment names for RBAC kinds', () => {
    const fn = nameValidatorFor('rbac.authorization.k8s.io', 'ClusterRole');
    assert.deepEqual(fn('system:controller:x', false), []);
    assert.deepEqual(fn('..', false), ["may not be '..'"]);
    assert.deepEqual(nameIsPathSegment('a/b%c', false), ["may not contain '/'", "may not contain '%'"]);
    assert.deepEqual(nameIsPathSegment('.', true), []);
  });

  it('accepts a trailing dash only in a generateName prefix', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.deepEqual(nameIsDNSSubdomain('web-', false), [SUBDOMAIN_MSG]);
  });
});
