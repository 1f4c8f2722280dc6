import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGoTemplate, TemplatePrintError } from '../../../cli/print/go-template.js';
import { formatFloat, sprintf } from '../../../cli/print/go-fmt.js';
import { printKyaml } from '../../../cli/print/kyaml.js';

const pod = {
  kind: 'Pod',
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'demo', tier: 'front' }, creationTimestamp: null },
  spec: { replicas: 3, containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox' }] },
  data: { pw: 'aHVudGVyMg==' },
};
const run = (text: string, obj: unknown = pod, allowMissingKeys = true) => compileGoTemplate(text, { allowMissingKeys })(obj);

/** The message of what a template run throws. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return assert.fail('expected an error');
}

test('fields, nested fields, dot and $ print as Go prints decoded JSON', () => {
  assert.equal(run('{{.metadata.name}} {{.spec.replicas}}'), 'web 3');
  assert.equal(run('{{.metadata.labels}}'), 'map[app.kubernetes.io/name:demo tier:front]');
  assert.equal(run('{{.spec.containers}}'), '[map[image:nginx name:a] map[image:busybox name:b]]');
  assert.equal(run('{{with .spec}}{{$.kind}}/{{.replicas}}{{end}}'), 'Pod/3');
  assert.equal(run('{{.missing}}|{{.missing.deeper}}|{{.metadata.creationTimestamp}}'), '<no value>|<no value>|<no value>');
});

test('range with and without variables, else, break and continue', () => {
  assert.equal(run('{{range .spec.containers}}{{.name}},{{end}}'), 'a,b,');
  assert.equal(run('{{range $i, $c := .spec.containers}}{{$i}}:{{$c.image}} {{end}}'), '0:nginx 1:busybox ');
  assert.equal(run('{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}'), 'app.kubernetes.io/name=demo;tier=front;');
  assert.equal(run('{{range .nothing}}x{{else}}empty{{end}}'), 'empty');
  assert.equal(run('{{range .spec.containers}}{{if eq .name "b"}}{{break}}{{end}}{{.name}}{{end}}'), 'a');
  assert.equal(run('{{range .spec.containers}}{{if eq .name "a"}}{{continue}}{{end}}{{.name}}{{end}}'), 'b');
});

test('if / else if / else, with, and, or, not, comparisons', () => {
  const t = '{{if eq .metadata.name "x"}}x{{else if eq .metadata.name "web"}}web{{else}}other{{end}}';
  assert.equal(run(t), 'web');
  assert.equal(run('{{with .nope}}a{{else}}b{{end}}'), 'b');
  assert.equal(run('{{and 1 0}} {{or 0 "" "z"}} {{not true}} {{lt 1 2}} {{ge 2.5 2.5}} {{ne "a" "b"}}'), '0 z false true true true');
  assert.equal(run('{{eq .missing "x"}}'), 'false');
});

test('index with a label key containing dots and slashes, len, slice, printf, pipelines', () => {
  assert.equal(run('{{index .metadata.labels "app.kubernetes.io/name"}}'), 'demo');
  assert.equal(run('{{len .spec.containers}} {{len .metadata.name}} {{(index .spec.containers 1).name}}'), '2 3 b');
  assert.equal(run('{{slice "abcdef" 1 3}}'), 'bc');
  assert.equal(run('{{.metadata.name | printf "%s-%s" "p"}}'), 'p-web');
  assert.equal(run('{{printf "%5s|%-4d|%q|%v|%t|%.2f" .metadata.name 3 "x" .metadata.labels true 1.5}}'), '  web|3   |"x"|map[app.kubernetes.io/name:demo tier:front]|true|1.50');
  assert.equal(run('{{print 1 2 "x" 3}}|{{println "a" 1}}'), '1 2x3|a 1\n');
  assert.equal(run('{{html "<a>"}} {{urlquery "a b&c"}}'), '&lt;a&gt; a+b%26c');
});

test('kubectl functions: base64decode and exists', () => {
  assert.equal(run('{{.data.pw | base64decode}}'), 'hunter2');
  assert.equal(run('{{exists . "metadata" "labels" "tier"}} {{exists . "nope"}}'), 'true false');
});

test('trim markers, comments, raw strings and variables', () => {
  assert.equal(run('a  {{- /* note */ -}}  b {{- `raw\\n` }} {{$x := "v"}}{{$x = "w"}}{{$x}}'), 'abraw\\n w');
});

test('define, template and block', () => {
  assert.equal(run('{{define "c"}}<{{.name}}>{{end}}{{range .spec.containers}}{{template "c" .}}{{end}}{{block "b" .kind}}[{{.}}]{{end}}'), '<a><b>[Pod]');
  assert.match(failure(() => run('{{template "nope"}}')), /at <\{\{template "nope"\}\}>: template "nope" not defined$/);
});

test('Go formatting of float64 and printf verbs', () => {
  assert.equal(formatFloat(3), '3');
  assert.equal(formatFloat(1000000), '1e+06');
  assert.equal(formatFloat(123456), '123456');
  assert.equal(formatFloat(0.00001), '1e-05');
  assert.equal(formatFloat(2.5), '2.5');
  assert.equal(sprintf('%d', [3]), '%!d(float64=3)');
  assert.equal(sprintf('%s %d', ['a']), 'a %!d(MISSING)');
  assert.equal(sprintf('%s', ['a', 'b']), 'a%!(EXTRA string=b)');
  assert.equal(sprintf('%05d|%x|%6.2f', [42n, 255n, 3.14159]), '00042|ff|  3.14');
});

test('parse errors in kubectl wording', () => {
  assert.equal(failure(() => run('{{.x')), 'error parsing template {{.x, template: output:1: unclosed action');
  assert.equal(failure(() => run('{{foo .}}')), 'error parsing template {{foo .}}, template: output:1: function "foo" not defined');
  assert.equal(failure(() => run('{{if .x}}')), 'error parsing template {{if .x}}, template: output:1: unexpected EOF');
  assert.equal(failure(() => run('{{end}}')), 'error parsing template {{end}}, template: output:1: unexpected {{end}}');
  assert.equal(failure(() => run('{{$y}}')), 'error parsing template {{$y}}, template: output:1: undefined variable "$y"');
});

test('execution errors carry line:col, the node and the debugging dump', () => {
  let caught: unknown;
  try {
    run('{{.metadata.name}}{{.x.y.z}}', { metadata: { name: 'n' } }, false);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof TemplatePrintError);
  assert.equal(caught.message, 'error executing template "{{.metadata.name}}{{.x.y.z}}": template: output:1:22: executing "output" at <.x.y.z>: map has no entry for key "x"');
  assert.ok(caught.stdout.startsWith('nError executing template: template: output:1:22:'));
  assert.ok(caught.stdout.includes('\traw data was:\n\t\t{"metadata":{"name":"n"}}\n\tobject given to template engine was:\n\t\tmap[metadata:map[name:n]]\n\n'));
  assert.match(failure(() => run('{{.metadata.name.z}}')), /at <\.metadata\.name\.z>: can't evaluate field z in type interface \{\}$/);
  assert.equal(run('{{eq .spec.replicas 3}} {{printf "%d|%v" .spec.replicas 2.5}}'), 'true 3|2.5');
  assert.match(failure(() => run('{{gt .spec.replicas 2.0}}')), /at <gt .spec.replicas 2.0>: error calling gt: incompatible types for comparison: int64 and float64$/);
  assert.match(failure(() => run('{{base64decode .metadata.name}}')), /error calling base64decode: base64 decode failed: illegal base64 data at input byte 0$/);
});

test('kyaml: quoted strings, bare safe keys, cuddled lists of maps, folded multi-line strings', () => {
  const text = printKyaml({ data: { n: '12', script: 'a\nb\n', k: 'v' }, list: [{ x: 1 }, { y: true }], tags: ['a', 'b'], empty: {} });
  assert.equal(
    text,
    '---\n{\n  data: {\n    k: "v",\n    "n": "12",\n    script: "\\\n       a\\n\\\n       b\\n\\\n      ",\n  },\n  empty: {},\n  list: [{\n    x: 1,\n  }, {\n    "y": true,\n  }],\n  tags: [\n    "a",\n    "b",\n  ],\n}\n',
  );
});
