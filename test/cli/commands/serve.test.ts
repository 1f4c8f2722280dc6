import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DAEMON_NODE_FLAGS, daemonArgs, daemonEnv } from '../../../cli/commands/serve.js';
import { repoRoot } from '../../support/kubectl.js';

test('kd serve forwards only the flags that were given', () => {
  assert.deepEqual(daemonArgs({}), []);
  assert.deepEqual(
    daemonArgs({ port: '0', host: '::1', dataDir: '/tmp/x', insecureHttp: true, speed: '10', randomSeed: '3', compactionRetain: '50' }),
    ['--port', '0', '--host', '::1', '--data-dir', '/tmp/x', '--insecure-http', '--speed', '10', '--random-seed', '3', '--compaction-retain', '50'],
  );
});

test('the daemon runs with one malloc arena and fixed malloc thresholds unless the caller set them', () => {
  const env = daemonEnv({ PATH: '/bin' });
  assert.equal(env['MALLOC_ARENA_MAX'], '1');
  assert.equal(env['MALLOC_MMAP_THRESHOLD_'], '131072');
  assert.equal(env['MALLOC_TRIM_THRESHOLD_'], '131072');
  assert.equal(env['PATH'], '/bin');
  assert.equal(daemonEnv({ MALLOC_ARENA_MAX: '4' })['MALLOC_ARENA_MAX'], '4');
  assert.equal(daemonEnv({ MALLOC_TRIM_THRESHOLD_: '0' })['MALLOC_TRIM_THRESHOLD_'], '0');
});

test('kd serve runs the daemon in the foreground, with its node flags and environment, and exits 0 on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-serve-'));
  try {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), 'serve', '--port', '0', '--data-dir', dir, '--insecure-http'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const ready = new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('listening on')) resolve();
    }));
    await ready;
    assert.match(out, /^kubedojo API server listening on http:\/\/127\.0\.0\.1:\d+ \(kubeconfig: .*kubeconfig\)\n$/);
    const [daemonPid] = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ');
    const argv = readFileSync(`/proc/${daemonPid}/cmdline`, 'utf8').split('\0');
    assert.deepEqual(argv.slice(1, 1 + DAEMON_NODE_FLAGS.length), DAEMON_NODE_FLAGS);
    assert.match(argv[1 + DAEMON_NODE_FLAGS.length] ?? '', /kd-daemon\.js$/);
    const environ = readFileSync(`/proc/${daemonPid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes(`MALLOC_ARENA_MAX=${process.env['MALLOC_ARENA_MAX'] ?? '1'}`), 'one malloc arena');
    assert.ok(environ.includes(`MALLOC_MMAP_THRESHOLD_=${process.env['MALLOC_MMAP_THRESHOLD_'] ?? '131072'}`), 'a fixed mmap threshold');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
