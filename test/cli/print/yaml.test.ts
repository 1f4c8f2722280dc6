import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toYaml } from '../../../cli/print/yaml.js';

test('keys are sorted, sequences sit at their key’s indent, empty collections are inline', () => {
  const text = toYaml({ spec: { containers: [{ name: 'a', image: 'nginx', ports: [] }], z: {} }, apiVersion: 'v1' });
  assert.equal(text, 'apiVersion: v1\nspec:\n  containers:\n  - image: nginx\n    name: a\n    ports: []\n  z: {}\n');
});

test('strings YAML 1.1 reads as other types are double-quoted; indicator strings single-quoted', () => {
  const text = toYaml({ a: '1', b: 'yes', c: '', d: '2026-01-01T00:00:00Z', e: 'a: b', f: '*x', g: 'True', h: '1.5', i: 'plain text', j: "it's" });
  assert.equal(text, `a: "1"\nb: "yes"\nc: ""\nd: "2026-01-01T00:00:00Z"\ne: 'a: b'\nf: '*x'\ng: "True"\nh: "1.5"\ni: plain text\nj: it's\n`);
});

test('numbers, booleans and null stay plain; a key YAML 1.1 reads as a bool is quoted', () => {
  assert.equal(toYaml({ num: 3, b: true, z: null, n: 'x' }), 'b: true\n"n": x\nnum: 3\nz: null\n');
});

test('multi-line strings become literal blocks with the right chomping', () => {
  assert.equal(toYaml({ k: 'l1\nl2' }), 'k: |-\n  l1\n  l2\n');
  assert.equal(toYaml({ k: 'l1\n\nl2\n' }), 'k: |\n  l1\n\n  l2\n');
});

test('long plain and single-quoted strings fold at the first space past column 80', () => {
  const words = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints';
  assert.equal(toYaml({ m: { description: words } }), 'm:\n  description: Contains a CA bundle that can be used to verify the kube-apiserver\n    when using internal endpoints\n');
  const quoted = `${words}: yes`;
  assert.match(toYaml({ q: quoted }), /^q: 'Contains .* verify the kube-apiserver when using\n  internal endpoints: yes'\n$/);
});

test('tabs and control characters force double quotes with escapes', () => {
  assert.equal(toYaml({ t: 'a\tb' }), 't: "a\\tb"\n');
});

test('a multi-line string with a space at its end or before a line break is double-quoted and folded, as kubectl prints it', () => {
  const words = Array(30).fill('word').join(' ');
  const pairs = Array(30).fill('ab').join('  ');
  const text = toYaml({ data: { a: '  lead\nsecond  ', b: 'line one \nline two', c: 'ends with space \n', d: '  leading only\nok', e: `${words} \ntail `, f: `${pairs}  x\n `, g: 'tab\there\nx ' } });
  // The real kubectl v1.35.2: `create configmap x --dry-run=client -o yaml --from-literal=…` with these values.
  assert.equal(text, [
    'data:',
    '  a: "  lead\\nsecond  "',
    '  b: "line one \\nline two"',
    '  c: "ends with space \\n"',
    '  d: |2-',
    '      leading only',
    '    ok',
    '  e: "word word word word word word word word word word word word word word word word',
    '    word word word word word word word word word word word word word word \\ntail "',
    '  f: "ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  ab',
    '    \\ ab  ab  ab  ab  ab  ab  ab  ab  ab  ab  x\\n "',
    '  g: "tab\\there\\nx "',
    '',
  ].join('\n'));
});
