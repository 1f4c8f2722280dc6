/**
 * `kd cluster-info dump` against the real kubectl v1.35.2 on one daemon: a small settled namespace
 * dumped to stdout and to `--output-directory` trees, compared file by file. What moves between
 * the two runs (list resourceVersions, node heartbeats) is masked. kubectl encodes `-o json` from
 * Go structs, whose field order kd approximates, so JSON is compared parsed; YAML byte for byte.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { runKubectl, startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, runKd } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS = 'dump-a';
let d: Daemon;
let root: string;
const { ok } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  root = mkdtempSync(join(tmpdir(), 'kd-dump-'));
  await ok('create', 'namespace', NS);
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '-n', NS);
  await ok('expose', 'deployment', 'web', '--port=80', '-n', NS);
  await ok('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=90s');
  await ok('wait', 'pods', '--all', '--for=condition=Ready', '-n', NS, '--timeout=90s');
  // A pod no node can take: its log request fails.
  await ok('create', 'namespace', 'dump-b');
  await ok('run', 'stuck', '--image=nginx:1.27', '-n', 'dump-b', '--overrides={"spec":{"nodeSelector":{"none":"x"}}}');
});
after(async () => {
  await d.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Masks what changes between two dumps of the same state, and the output folders. */
function mask(text: string): string {
  return text
    .replaceAll(root, 'ROOT')
    .replace(/ROOT\/(kubectl|kd)-\w+/g, 'ROOT/DIR')
    .replace(/(resourceVersion"?: )"\d+"/g, '$1"N"')
    .replace(/(lastHeartbeatTime"?: )"[^"]*"/g, '$1"T"');
}

/** Splits a dump into its parts: JSON documents parsed, log lines as text. */
function parts(text: string): unknown[] {
  const out: unknown[] = [];
  let doc: string[] | undefined;
  for (const line of text.split('\n')) {
    if (doc) {
      doc.push(line);
      if (line === '}') {
        out.push(JSON.parse(doc.join('\n')));
        doc = undefined;
      }
    } else if (line === '{') doc = [line];
    else out.push(line);
  }
  return out;
}

/** Runs both and compares their JSON output parsed, with exit codes and stderr. */
async function sameJson(args: string[]): Promise<void> {
  const [want, got] = [await runKubectl(d, args), await runKd(d, args)];
  assert.equal(got.code, want.code, got.stderr);
  assert.equal(mask(got.stderr), mask(want.stderr));
  assert.deepEqual(parts(mask(got.stdout)), parts(mask(want.stdout)));
}

/** Every file under dir, by relative path. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (p: string) => {
    for (const name of readdirSync(p).sort()) {
      const full = join(p, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), mask(readFileSync(full, 'utf8')));
    }
  };
  walk(dir);
  return files;
}

/** Dumps into a fresh folder with each tool and compares the trees file by file. */
async function sameTree(extra: string[], parsed: boolean): Promise<Map<string, string>> {
  const [a, b] = [mkdtempSync(join(root, 'kubectl-')), mkdtempSync(join(root, 'kd-'))];
  const want = await runKubectl(d, ['cluster-info', 'dump', '--namespaces', NS, '--output-directory', a, ...extra]);
  const got = await runKd(d, ['cluster-info', 'dump', '--namespaces', NS, '--output-directory', b, ...extra]);
  assert.equal(want.code, 0, want.stderr);
  assert.deepEqual({ code: got.code, stdout: mask(got.stdout), stderr: got.stderr }, { code: 0, stdout: mask(want.stdout), stderr: want.stderr });
  const [wantFiles, gotFiles] = [tree(a), tree(b)];
  assert.deepEqual([...gotFiles.keys()], [...wantFiles.keys()]);
  for (const [file, text] of wantFiles) {
    if (parsed && file.endsWith('.json')) assert.deepEqual(JSON.parse(gotFiles.get(file)!), JSON.parse(text), file);
    else assert.equal(gotFiles.get(file), text, file);
  }
  return wantFiles;
}

const same = (args: string[]) => assertSameAsKubectl(d, args, { mask });

const CASES: Array<[string, string[], number]> = [
  ['-o yaml of one namespace', ['cluster-info', 'dump', '--namespaces', NS, '-o', 'yaml'], 0],
  ['-o jsonpath over a missing namespace too', ['cluster-info', 'dump', '--namespaces', `${NS},nope`, '-o', 'jsonpath={.kind} {.items[*].metadata.name}{"\\n"}'], 0],
  ['-o name cannot print lists', ['cluster-info', 'dump', '--namespaces', NS, '-o', 'name'], 1],
  ['-o wide is no format of dump', ['cluster-info', 'dump', '-o', 'wide'], 1],
  ['--pod-running-timeout=abc', ['cluster-info', 'dump', '--pod-running-timeout=abc'], 1],
  ['--pod-running-timeout=5s with --output-directory=- writes to stdout', ['cluster-info', 'dump', '--namespaces', NS, '--pod-running-timeout=5s', '--output-directory=-', '-o', 'yaml'], 0],
  ['extra arguments are ignored', ['cluster-info', 'dump', 'extra', '--namespaces', 'nope', '-o', 'yaml'], 0],
  ['the default namespaces: kube-system and -n', ['cluster-info', 'dump', '-n', NS, '-o', 'jsonpath={.kind}:{.items[*].metadata.namespace}{"\\n"}'], 0],
  ['-A dumps every namespace', ['cluster-info', 'dump', '-A', '-o', 'jsonpath={.kind}{"\\n"}'], 0],
];

for (const [name, args, code] of CASES) {
  test(`cluster-info dump: ${name}`, async () => {
    const r = await same(args);
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('cluster-info dump: a pod that cannot run gets the log request error between the markers', async () => {
  const r = await same(['cluster-info', 'dump', '--namespaces', 'dump-b', '-o', 'jsonpath={.kind}']);
  assert.match(r.stdout, /==== START logs for container stuck of pod dump-b\/stuck ====\nRequest log error: .*\(get pods stuck\)\n==== END/);
});

test('cluster-info dump: default -o json to stdout, with the container logs between markers', async () => {
  await sameJson(['cluster-info', 'dump', '--namespaces', NS]);
});

test('cluster-info dump: --output-directory tree as yaml, file by file', async () => {
  const files = await sameTree(['-o', 'yaml'], false);
  assert.ok(files.has('nodes.yaml') && files.has(join(NS, 'replication-controllers.yaml')));
  assert.ok([...files.keys()].some((f) => f.startsWith(`${NS}/web-`) && f.endsWith('/logs.txt')));
});

test('cluster-info dump: --output-directory tree as json, file by file', async () => {
  const files = await sameTree([], true);
  assert.ok(files.has('nodes.json') && files.has(join(NS, 'pods.json')));
});

test('cluster-info dump: --output-directory tree with -o jsonpath uses .txt files', async () => {
  const files = await sameTree(['-o', 'jsonpath={.kind}'], false);
  assert.equal(files.get('nodes.txt'), 'NodeList');
});
