/**
 * Shared steps of the drill end-to-end tests: `kd drill …` against a real daemon (by its data
 * directory, as a user's shell would find it), the real kubectl v1.35.2 for fixes, and bounded
 * polls of `kd drill check` until the grade settles.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run, runKubectl, type Daemon, type RunResult } from '../support/daemon.js';
import { repoRoot } from '../support/kubectl.js';

/** Wall limit of a poll on `kd drill check`. */
const PASS_TIMEOUT_MS = 90_000;
const POLL_MS = 300;

/** The drill steps bound to one daemon. */
export interface DrillHarness {
  /** Runs `kd drill <args> --data-dir <dataDir>`. */
  kd(...args: string[]): Promise<RunResult>;
  /** Runs the real kubectl and asserts success; returns stdout. */
  ok(...args: string[]): Promise<string>;
  /** kubectl with a manifest on stdin (`apply -f -` and friends), asserting success. */
  okStdin(stdin: string, ...args: string[]): Promise<string>;
  /** `kd drill start NAME`, asserting it prints the task. */
  start(name: string): Promise<string>;
  /** `kd drill check`, asserting it fails, and that every named check is among the FAIL lines. */
  expectFail(...failing: string[]): Promise<string>;
  /** Polls `kd drill check` until it exits 0; fails the test with the last report on timeout. */
  waitPass(): Promise<string>;
  /** Polls kubectl `get … -o jsonpath` until the output satisfies the predicate. */
  waitJsonPath(args: string[], pred: (out: string) => boolean, what: string): Promise<string>;
}

/** Binds the drill steps to a daemon read lazily (tests start it in `before`). */
export function drillHarness(daemon: () => Daemon): DrillHarness {
  const kd = (...args: string[]): Promise<RunResult> => {
    const d = daemon();
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home };
    return run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), 'drill', ...args, '--data-dir', d.dataDir], { env });
  };
  const ok = async (...args: string[]): Promise<string> => {
    const r = await runKubectl(daemon(), args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}`);
    return r.stdout;
  };
  const okStdin = async (stdin: string, ...args: string[]): Promise<string> => {
    const r = await runKubectl(daemon(), args, { stdin });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}`);
    return r.stdout;
  };
  return {
    kd,
    ok,
    okStdin,
    async start(name) {
      const r = await kd('start', name);
      if (r.code !== 0) assert.fail(`kd drill start ${name} failed:\n${r.stdout}\n${r.stderr}\n${daemon().output().slice(-3000)}\n${await stuckPods(daemon())}`);
      assert.match(r.stdout, new RegExp(`\\(${name} · (easy|medium|hard)`));
      assert.match(r.stdout, /Fix it with kubectl, then run 'kd drill check'/);
      return r.stdout;
    },
    async expectFail(...failing) {
      const r = await kd('check');
      assert.equal(r.code, 1, `kd drill check passed unexpectedly:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /not passed yet: \d+\/\d+ checks pass/);
      for (const name of failing) assert.ok(r.stdout.includes(`FAIL  ${name}\n`), `expected FAIL  ${name} in:\n${r.stdout}`);
      return r.stdout;
    },
    async waitPass() {
      const t0 = Date.now();
      let last: RunResult;
      do {
        last = await kd('check');
        if (last.code === 0) {
          assert.doesNotMatch(last.stdout, /^FAIL/m);
          assert.match(last.stdout, /passed: (\d+)\/\1 checks pass/);
          return last.stdout;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      } while (Date.now() - t0 < PASS_TIMEOUT_MS);
      assert.fail(`kd drill check never passed; last report:\n${last.stdout}${last.stderr}`);
    },
    async waitJsonPath(args, pred, what) {
      const t0 = Date.now();
      for (;;) {
        const out = await ok(...args);
        if (pred(out)) return out;
        if (Date.now() - t0 > PASS_TIMEOUT_MS) assert.fail(`timed out waiting for ${what}; last: ${out}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
  };
}

/**
 * What a failed drill start leaves behind: every pod, and `kd why pod` for each one not Running, so
 * a setup that never settles (a pod the scheduler never placed) shows why in the test's output.
 */
async function stuckPods(d: Daemon): Promise<string> {
  const pods = await runKubectl(d, ['get', 'pods', '-A', '-o', 'wide']);
  const lines = pods.stdout.split('\n').slice(1).filter((l) => l.trim() && !/\bRunning\b/.test(l));
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home };
  const why: string[] = [];
  for (const l of lines) {
    const [namespace, name] = l.trim().split(/\s+/);
    const r = await run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), 'why', 'pod', name!, '-n', namespace!, '--data-dir', d.dataDir], { env });
    why.push(`kd why pod ${name} -n ${namespace}:\n${r.stdout}${r.stderr}`);
  }
  return `kubectl get pods -A -o wide:\n${pods.stdout}${pods.stderr}\n${why.join('\n')}`;
}
