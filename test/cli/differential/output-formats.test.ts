/**
 * The `-o` formats beyond json/yaml/name against the real kubectl v1.35.2 on one daemon: go-template
 * (and its template, go-template-file and templatefile spellings, `--template`,
 * `--allow-missing-template-keys`), jsonpath-file, jsonpath-as-json and kyaml, on get and on verbs
 * that change objects. Read-only cases compare stdout, stderr and exit code directly; mutating
 * cases act on twin objects in two namespaces.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['fmt-a', 'fmt-b'];
const dir = mkdtempSync(join(tmpdir(), 'kd-output-formats-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const GO_TEMPLATE_FILE = file('names.tmpl', '{{range .items}}{{.metadata.name}}={{len .data}}\n{{end}}');
const SINGLE_TEMPLATE_FILE = file('one.tmpl', '{{.kind}}/{{.metadata.name}}\n');
const JSONPATH_FILE = file('names.jsonpath', '{.metadata.name}{"\\n"}');
const MANIFEST = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: b\n');

let d: Daemon;
const { ok } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await ok('create', 'configmap', 'cfg', '--from-literal=k=v', '--from-literal=n=12');
  await ok('label', 'configmap', 'cfg', 'app.kubernetes.io/name=demo');
  await ok('create', 'configmap', 'multi', '--from-literal=script=line1\nline2 "q"\n', '--from-literal=yes=true', '--from-literal=t=0x1F');
  await ok('create', 'secret', 'generic', 'creds', '--from-literal=pw=hunter2');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'configmap', 'twin', '--from-literal=a=1', '-n', ns);
  }
});
after(async () => {
  await d.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Each read-only case: the arguments, and the exit code kubectl gives. */
const CASES: Array<[string[], number]> = [
  [['get', 'cm', '-o', 'go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.metadata.name}} {{.data}} {{.metadata.labels}} {{.metadata.namespace}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{index .metadata.labels "app.kubernetes.io/name"}}'], 0],
  [['get', 'cm', '-o', 'go-template={{range .items}}{{if eq .metadata.name "cfg"}}{{printf "%-6s|%3d|%q" .metadata.name (len .data) .data.k}}{{else if eq .metadata.name "multi"}}M{{else}}-{{end}}{{end}}'], 0],
  [['get', 'deploy', 'web', '-o', 'go-template={{.spec.replicas}} {{printf "%d %v" .spec.replicas .spec.template.spec.containers}} {{eq .spec.replicas 2}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.missing}} {{.missing.deeper}} {{index .data "nope"}} {{exists . "data" "k"}} {{exists . "nope"}}'], 0],
  [['get', 'secret', 'creds', '-o', 'go-template={{.data.pw | base64decode}}{{"\\n"}}'], 0],
  [['get', 'cm', '-o', 'go-template={{range $i, $e := .items}}{{- /* index and name */ -}} {{$i}}:{{$e.metadata.name}} {{- end}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{with .data}}{{.k}}{{end}}|{{with .nope}}x{{else}}none{{end}}|{{$x := "a"}}{{$x = "b"}}{{$x}}|{{and 1 0}} {{or "" "z"}} {{not true}}|{{html "<a>"}} {{js "a\'b"}} {{urlquery "a b&c"}}|{{println 1 "x"}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{range $k, $v := .data}}{{$k}}={{$v}};{{end}} {{slice "abcdef" 1 3}} {{print 1 2 "x"}} {{printf "%5.2f|%x|%s" 3.14159 255 .kind}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'template={{.kind}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template', '--template={{.metadata.name}}'], 0],
  [['get', 'cm', 'cfg', '--template={{.kind}}'], 0],
  [['get', 'cm', '-o', `go-template-file=${GO_TEMPLATE_FILE}`], 0],
  [['get', 'cm', 'cfg', '-o', `templatefile=${SINGLE_TEMPLATE_FILE}`], 0],
  [['get', 'cm', 'cfg', '-o', `jsonpath-file=${JSONPATH_FILE}`], 0],
  [['get', 'cm', 'cfg', '-o', `go-template-file=${join(dir, 'missing.tmpl')}`], 1],
  [['get', 'cm', '-o', 'jsonpath-as-json={.items[*].metadata.name}'], 0],
  [['get', 'cm', 'cfg', '-o', 'jsonpath-as-json={.data}x{.nope}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.x'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{foo .}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{if .x}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{$y}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.metadata.name}}{{.data.k.z}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.x.y}}', '--allow-missing-template-keys=false'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.metadata.name}}', '--allow-missing-template-keys=false'], 0],
  [['get', 'deploy', 'web', '-o', 'go-template={{gt .spec.replicas 2.0}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{base64decode .data.k}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{len .missing}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template='], 1],
  [['get', 'cm', 'cfg', 'nope', '-o', 'go-template={{range .items}}{{.metadata.name}} {{end}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'kyaml'], 0],
  [['get', 'cm', 'multi', '-o', 'kyaml'], 0],
  [['get', 'deploy', 'web', '-o', 'kyaml'], 0],
  [['get', 'cm', 'cfg', 'multi', '-o', 'kyaml'], 0],
  [['get', 'cm', 'cfg', '-o', 'bogus'], 1],
  [['get', 'cm', 'cfg', '-o', 'jsonpath={.metadata.name} {.nope}', '--allow-missing-template-keys=false'], 1],
  [['get', 'cm', '-o', 'jsonpath={.items[9]}'], 1],
  [['get', 'cm', 'cfg', '-o', 'jsonpath-as-json={.nope}', '--allow-missing-template-keys=false'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.x}}', '--allow-missing-template-keys=maybe'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{"a" "b"}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{index .metadata.labels "x" "y"}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{printf "%+v|%#v|%T" 1 .data .data.k}}'], 0],
  [['get', 'cm', '-o', 'go-template={{define "row"}}{{.metadata.name}}={{len .data}}{{end}}{{range .items}}{{template "row" .}};{{end}}{{block "tail" .kind}}[{{.}}]{{end}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{template "nope"}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{printf "%q|%s|%U" .metadata.labels .data 65}}'], 0],
  [['get', 'cm', 'cfg', '-o', 'go-template={{.data.}}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{range .items}}{{end}'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template=line1\n{{.metadata.name}}\nline3 {{.x\n'], 1],
  [['get', 'cm', 'cfg', '-o', 'go-template={{"a\\qb"}}'], 1],
  // Client dry runs change nothing, so they compare on the same objects.
  [['run', 'p1', '--image=nginx', '--dry-run=client', '-o', 'kyaml'], 0],
  [['expose', 'deploy', 'web', '--port=80', '--dry-run=client', '-o', 'jsonpath-as-json={.spec.ports}'], 0],
  [['scale', 'deploy', 'web', '--replicas=3', '--dry-run=client', '-o', 'go-template={{.spec.replicas}}'], 0],
  [['set', 'image', 'deploy/web', 'nginx=nginx:1.28', '--dry-run=client', '-o', 'go-template={{range .spec.template.spec.containers}}{{.image}}{{end}}'], 0],
  [['create', 'deployment', 'd1', '--image=nginx', '--dry-run=client', '-o', 'kyaml'], 0],
  [['create', 'secret', 'generic', 's9', '--from-literal=a=b', '--dry-run=client', '-o', 'go-template={{.data.a | base64decode}}'], 0],
];

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameAsKubectl(d, args);
    assert.equal(r.code, code, r.stderr);
  });
}

/** Template error dumps show the whole object: its uid, resourceVersion and times differ between the twins. */
const maskVolatile = (t: string) =>
  t
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'TIME')
    .replace(/("resourceVersion":"|resourceVersion:)\d+/g, '$1RV');

/** Cases on verbs that write: arguments for a namespace and kubectl's exit code. */
const WRITE_CASES: Array<[(ns: string) => string[], number]> = [
  [(ns) => ['label', 'cm', 'twin', 'x=y', '-n', ns, '-o', 'go-template={{.metadata.name}}:{{.metadata.labels.x}}{{"\\n"}}'], 0],
  [(ns) => ['annotate', 'cm', 'twin', 'note=hi', '-n', ns, '-o', 'go-template', '--template={{.metadata.annotations.note}}'], 0],
  [(ns) => ['label', 'cm', 'twin', 'z=1', '-n', ns, '-o', 'go-template={{.nope}}', '--allow-missing-template-keys=false'], 1],
  [(ns) => ['create', 'configmap', 'gen', '--from-literal=a=b', '--dry-run=client', '-n', ns, '-o', 'go-template={{.metadata.name}} {{.data}} {{.metadata.namespace}}'], 0],
  [(ns) => ['create', 'configmap', 'gen', '--from-literal=a=b', '--dry-run=client', '-n', ns, '-o', 'kyaml'], 0],
  [(ns) => ['apply', '-f', MANIFEST, '-n', ns, '-o', `jsonpath-file=${JSONPATH_FILE}`], 0],
  [(ns) => ['apply', '-f', MANIFEST, '-n', ns, '-o', 'jsonpath-as-json={.data}'], 0],
  [(ns) => ['label', 'cm', 'twin', 'w=2', '-n', ns, '-o', 'bogus'], 1],
];

for (const [args, code] of WRITE_CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const r = await assertSameInNamespaces(d, args, NS, { mask: maskVolatile });
    assert.equal(r.code, code, r.stderr);
  });
}
