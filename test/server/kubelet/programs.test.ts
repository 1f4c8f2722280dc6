import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executableNotFoundMessage, startProgram, type ProgramSpec } from '../../../server/kubelet/programs.js';

const T0 = Date.UTC(2026, 0, 5, 9, 3, 7);
const sh = (script: string): string[] => ['sh', '-c', script];

/** [offset from T0 in ms, stream ('o' stdout, 'e' stderr), text] */
type Line = [number, 'o' | 'e', string];
interface Case {
  name: string;
  spec: Omit<ProgramSpec, 'now'>;
  untilMs: number;
  logs: Line[];
  /** [offset, exit code]; null when still running at untilMs. */
  exit: [number, number] | null;
  /** Offset of nextEventAt() after advancing (null = nothing scheduled). */
  next?: number | null;
}

const cases: Case[] = [
  { name: 'echo, sleep, exit code', spec: { image: 'busybox', command: sh('echo start; sleep 5; exit 3') }, untilMs: 60_000,
    logs: [[0, 'o', 'start']], exit: [5_000, 3] },
  { name: 'while loop logs date every 10s', spec: { image: 'busybox:1.28', command: sh('while true; do date; sleep 10; done') }, untilMs: 25_000,
    logs: [[0, 'o', 'Mon Jan  5 09:03:07 UTC 2026'], [10_000, 'o', 'Mon Jan  5 09:03:17 UTC 2026'], [20_000, 'o', 'Mon Jan  5 09:03:27 UTC 2026']],
    exit: null, next: 30_000 },
  { name: 'for loop, quotes and $VAR from env', spec: { image: 'alpine:3.20', command: ['/bin/sh', '-c'], args: ['for i in 1 2 3; do echo "hello $NAME #$i"; sleep 1; done'], env: [{ name: 'NAME', value: 'world' }] },
    untilMs: 10_000, logs: [[0, 'o', 'hello world #1'], [1_000, 'o', 'hello world #2'], [2_000, 'o', 'hello world #3']], exit: [3_000, 0] },
  { name: '&& and || short-circuit', spec: { image: 'busybox', command: sh("false && echo no; true && echo yes; false || echo 'fallback $HOME'; exit 0") }, untilMs: 1,
    logs: [[0, 'o', 'yes'], [0, 'o', 'fallback $HOME']], exit: [0, 0] },
  { name: 'files: touch, redirect, cat, rm', spec: { image: 'busybox', command: sh('echo ok > /tmp/x; echo more >> /tmp/x; cat /tmp/x; rm /tmp/x; cat /tmp/x') }, untilMs: 1,
    logs: [[0, 'o', 'ok'], [0, 'o', 'more'], [0, 'e', "cat: can't open '/tmp/x': No such file or directory"]], exit: [0, 1] },
  { name: 'GNU wording on debian', spec: { image: 'debian:12', command: ['bash', '-c', 'rm /nope; cat /nope; nosuchcmd'] }, untilMs: 1,
    logs: [[0, 'e', "rm: cannot remove '/nope': No such file or directory"], [0, 'e', 'cat: /nope: No such file or directory'], [0, 'e', 'bash: line 1: nosuchcmd: command not found']],
    exit: [0, 127] },
  { name: 'counter loop with $(( )) and if', spec: { image: 'busybox', command: sh('n=0; until [ $n -ge 2 ]; do n=$((n+1)); sleep 2; done; if [ "$n" = 2 ]; then echo "n is $n"; else echo bad; fi; exit $n') },
    untilMs: 10_000, logs: [[4_000, 'o', 'n is 2']], exit: [4_000, 2] },
  { name: 'date +FORMAT and $(...)', spec: { image: 'busybox', command: sh('sleep 1.5; echo "at $(date +%T) epoch `date +%s`"') }, untilMs: 2_000,
    logs: [[1_500, 'o', 'at 09:03:08 epoch 1767603788']], exit: [1_500, 0] },
  { name: 'sleep command directly', spec: { image: 'busybox', command: ['sleep', '3600'] }, untilMs: 3_599_999, logs: [], exit: null, next: 3_600_000 },
  { name: 'sleep infinity never ends', spec: { image: 'ubuntu', command: ['sleep', 'infinity'] }, untilMs: 86_400_000, logs: [], exit: null, next: null },
  { name: 'exit via args only (entrypoint kept)', spec: { image: 'busybox', args: ['sh', '-c', 'exit 42'] }, untilMs: 1, logs: [], exit: [0, 42] },
  { name: 'true / false / echo as commands', spec: { image: 'busybox', command: ['false'] }, untilMs: 1, logs: [], exit: [0, 1] },
  { name: 'echo as command', spec: { image: 'busybox', command: ['echo', 'hi', 'there'] }, untilMs: 1, logs: [[0, 'o', 'hi there']], exit: [0, 0] },
  { name: 'shell images exit at once without stdin', spec: { image: 'busybox' }, untilMs: 1, logs: [], exit: [0, 0] },
  { name: 'python REPL exits at once', spec: { image: 'python:3.12' }, untilMs: 1, logs: [], exit: [0, 0] },
  { name: 'pause runs forever silently', spec: { image: 'registry.k8s.io/pause:3.10' }, untilMs: 600_000, logs: [], exit: null, next: null },
  { name: 'syntax error exits 2', spec: { image: 'busybox', command: sh('echo "oops') }, untilMs: 1,
    logs: [[0, 'e', 'sh: syntax error: unterminated quoted string']], exit: [0, 2] },
  { name: 'stderr redirect and 2>&1', spec: { image: 'busybox', command: sh('echo err >&2; cat /missing 2>/dev/null || echo quiet; echo both 1>&2 2>&1') }, untilMs: 1,
    logs: [[0, 'e', 'err'], [0, 'o', 'quiet'], [0, 'e', 'both']], exit: [0, 0] },
  { name: 'pipes, ${VAR:-default}, break and positional parameters', spec: { image: 'busybox', command: ['sh', '-c', 'echo piped | cat; echo "${MISSING:-dflt} $0 $1"; for i in 1 2 3; do [ $i = 2 ] && break; echo $i; done', 'me', 'arg1'] },
    untilMs: 1, logs: [[0, 'o', 'piped'], [0, 'o', 'dflt me arg1'], [0, 'o', '1']], exit: [0, 0] },
  { name: 'missing done is a syntax error', spec: { image: 'busybox', command: sh('while true; do echo x') }, untilMs: 1,
    logs: [[0, 'e', 'sh: syntax error: unexpected end of file (expecting "done")']], exit: [0, 2] },
  { name: 'busy loop is throttled after the free iterations', spec: { image: 'busybox', command: sh('while true; do :; done') }, untilMs: 330, logs: [], exit: null, next: 400 },
  { name: 'redis start-up lines', spec: { image: 'redis:7.2' }, untilMs: 10, exit: null, next: null, logs: [
    [0, 'o', "1:C 05 Jan 2026 09:03:07.000 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect."],
    [0, 'o', '1:C 05 Jan 2026 09:03:07.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'],
    [0, 'o', '1:C 05 Jan 2026 09:03:07.000 * Redis version=7.2.0, bits=64, commit=00000000, modified=0, pid=1, just started'],
    [0, 'o', '1:C 05 Jan 2026 09:03:07.000 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf'],
    [2, 'o', '1:M 05 Jan 2026 09:03:07.002 * monotonic clock: POSIX clock_gettime'],
    [2, 'o', '1:M 05 Jan 2026 09:03:07.002 * Running mode=standalone, port=6379.'],
    [3, 'o', '1:M 05 Jan 2026 09:03:07.003 * Server initialized'],
    [3, 'o', '1:M 05 Jan 2026 09:03:07.003 * Ready to accept connections tcp']] },
  { name: 'httpd start-up lines', spec: { image: 'httpd:2.4', podIP: '10.244.1.5' }, untilMs: 100, exit: null, logs: [
    [0, 'e', "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.1.5. Set the 'ServerName' directive globally to suppress this message"],
    [0, 'e', "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.1.5. Set the 'ServerName' directive globally to suppress this message"],
    [30, 'e', '[Mon Jan 05 09:03:07.030000 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations'],
    [30, 'e', "[Mon Jan 05 09:03:07.030000 2026] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"]] },
  { name: 'postgres without a password fails', spec: { image: 'postgres:16' }, untilMs: 1, exit: [0, 1], logs: [
    [0, 'e', 'Error: Database is uninitialized and superuser password is not specified.'],
    [0, 'e', '       You must specify POSTGRES_PASSWORD to a non-empty value for the'],
    [0, 'e', '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".'],
    [0, 'e', ''],
    [0, 'e', '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all'],
    [0, 'e', '       connections without a password. This is *not* recommended.'],
    [0, 'e', ''],
    [0, 'e', '       See PostgreSQL documentation about "trust":'],
    [0, 'e', '       https://www.postgresql.org/docs/current/auth-trust.html']] },
  { name: 'echo-server', spec: { image: 'kicbase/echo-server:1.0' }, untilMs: 1, logs: [[0, 'o', 'Echo server listening on port 8080.']], exit: null },
  { name: 'agnhost netexec', spec: { image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'] }, untilMs: 1, exit: null,
    logs: [[0, 'e', 'Started HTTP server on port 8080'], [0, 'e', 'Started UDP server on port  8081']] },
];

for (const c of cases) {
  test(`startProgram: ${c.name}`, () => {
    const p = startProgram({ ...c.spec, now: T0 });
    const step = p.advance(T0 + c.untilMs);
    const logs = step.logs.map((l): Line => [l.at - T0, l.stream === 'stdout' ? 'o' : 'e', l.text]);
    assert.deepEqual(logs, c.logs);
    assert.deepEqual(step.exit ? [step.exit.at - T0, step.exit.exitCode] : null, c.exit);
    if (c.next !== undefined) assert.equal(p.nextEventAt() === undefined ? null : p.nextEventAt()! - T0, c.next);
  });
}

test('nginx logs its entrypoint and start-up lines', () => {
  const p = startProgram({ image: 'nginx:1.25', now: T0 });
  const early = p.advance(T0 + 39);
  assert.equal(early.logs.length, 9);
  assert.deepEqual(early.logs[0], { at: T0, stream: 'stdout', text: '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration' });
  assert.equal(early.logs[8]!.text, '/docker-entrypoint.sh: Configuration complete; ready for start up');
  const rest = p.advance(T0 + 60_000).logs.map((l) => `${l.at - T0} ${l.stream} ${l.text}`);
  assert.deepEqual(rest, [
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: using the "epoll" event method',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: nginx/1.25.5',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: OS: Linux 6.8.0-51-generic',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: start worker processes',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: start worker process 29',
    '40 stderr 2026/01/05 09:03:07 [notice] 1#1: start worker process 30',
  ]);
  assert.equal(p.exit, undefined);
  assert.equal(p.nextEventAt(), undefined);
});

test('nginx replicas started alike share start-up lines only within one second, version and flavour', () => {
  const noticeLines = (image: string, now: number): string[] => startProgram({ image, now }).advance(now + 60_000).logs.filter((l) => l.stream === 'stderr').map((l) => l.text);
  const first = noticeLines('nginx:1.25', T0);
  assert.deepEqual(noticeLines('nginx:1.25', T0 + 900), first);
  // 40 ms after a start at .960 is the next second.
  assert.equal(noticeLines('nginx:1.25', T0 + 960)[0], '2026/01/05 09:03:08 [notice] 1#1: using the "epoll" event method');
  assert.equal(noticeLines('nginx:1.27', T0)[1], '2026/01/05 09:03:07 [notice] 1#1: nginx/1.27.3');
  assert.equal(noticeLines('nginx:1.25-alpine', T0)[2], '2026/01/05 09:03:07 [notice] 1#1: built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ');
  assert.equal(noticeLines('nginx:1.25', T0)[2], first[2]);
});

test('advance is incremental and does not repeat lines', () => {
  const p = startProgram({ image: 'busybox', command: sh('while true; do echo tick; sleep 10; done'), now: T0 });
  const seen = [5_000, 15_000, 15_000, 35_000].map((t) => p.advance(T0 + t).logs.map((l) => l.at - T0));
  assert.deepEqual(seen, [[0], [10_000], [], [20_000, 30_000]]);
});

test('a busy echo loop runs 1001 iterations at once, then one per 100ms', () => {
  const p = startProgram({ image: 'busybox', command: sh('while true; do echo hi; done'), now: T0 });
  const counts = [0, 250].map((t) => p.advance(T0 + t).logs.length);
  assert.deepEqual(counts, [1001, 2]);
});

test('exit is reported only once its time is reached', () => {
  const p = startProgram({ image: 'busybox', command: sh('sleep 5; exit 3'), now: T0 });
  assert.equal(p.advance(T0 + 4_999).exit, undefined);
  assert.equal(p.nextEventAt(), T0 + 5_000);
  assert.deepEqual(p.advance(T0 + 5_000).exit, { at: T0 + 5_000, exitCode: 3 });
});

test('missing executables fail to start like runc (StartError, 128)', () => {
  const cases: Array<[Omit<ProgramSpec, 'now'>, string]> = [
    [{ image: 'alpine', command: ['bash', '-c', 'echo hi'] }, 'bash'],
    [{ image: 'registry.k8s.io/pause:3.10', command: ['sh', '-c', 'echo hi'] }, 'sh'],
    [{ image: 'busybox', command: ['nginx'] }, 'nginx'],
    [{ image: 'busybox', command: ['/app/server'] }, '/app/server'],
  ];
  for (const [spec, exe] of cases) {
    const step = startProgram({ ...spec, now: T0 }).advance(T0);
    assert.deepEqual(step.exit, { at: T0, exitCode: 128, reason: 'StartError', message: executableNotFoundMessage(exe) }, exe);
  }
  assert.equal(executableNotFoundMessage('bash'),
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown');
});

test('files touched by the program drive exec probes', () => {
  const p = startProgram({ image: 'busybox', args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'], now: T0 });
  assert.deepEqual([...p.files.keys()], ['/tmp/healthy']);
  assert.deepEqual(p.exec(['cat', '/tmp/healthy'], { now: T0 + 10_000 }), { exitCode: 0, stdout: '', stderr: '', timedOut: false });
  p.advance(T0 + 30_000);
  assert.deepEqual([...p.files.keys()], []);
  assert.deepEqual(p.exec(['cat', '/tmp/healthy'], { now: T0 + 35_000 }),
    { exitCode: 1, stdout: '', stderr: "cat: can't open '/tmp/healthy': No such file or directory\n", timedOut: false });
  assert.deepEqual(p.exec(['sh', '-c', 'test -f /tmp/healthy || exit 7'], { now: T0 + 35_000 }), { exitCode: 7, stdout: '', stderr: '', timedOut: false });
  assert.deepEqual(p.exec(['sh', '-c', 'sleep 5'], { now: T0 + 35_000, timeoutMs: 1_000 }), { exitCode: -1, stdout: '', stderr: '', timedOut: true });
  assert.equal(p.exec(['/bin/grpc_health_probe'], { now: T0 }).exitCode, 127);
});

test('the same inputs give the same outputs', () => {
  const run = (): unknown => {
    const p = startProgram({ image: 'busybox', command: sh('for i in $(seq 1 3); do date +%s; sleep 7; done'), now: T0 });
    return p.advance(T0 + 100_000);
  };
  assert.deepEqual(run(), run());
  assert.deepEqual((run() as { logs: Array<{ text: string }> }).logs.map((l) => l.text), ['1767603787', '1767603794', '1767603801']);
});

test('replicas with the same variables each see their own HOSTNAME, in its place, and their own changes', () => {
  const env = (host: string) => [{ name: 'PATH', value: '/usr/bin:/bin' }, { name: 'HOSTNAME', value: host }, { name: 'APP', value: 'web' }];
  const [a, b] = ['web-a', 'web-b'].map((host) => startProgram({ image: 'busybox:1.36', command: ['sleep', '3600'], env: env(host), now: T0 }));
  assert.equal(a!.exec(['sh', '-c', 'export APP=changed; env'], { now: T0 }).stdout, 'PATH=/usr/bin:/bin\nHOSTNAME=web-a\nAPP=changed\n');
  assert.equal(b!.exec(['env'], { now: T0 }).stdout, 'PATH=/usr/bin:/bin\nHOSTNAME=web-b\nAPP=web\n');
  const sameName = startProgram({ image: 'busybox:1.36', command: ['sleep', '3600'], env: [...env('web-c'), { name: 'HOSTNAME', value: 'override' }], now: T0 });
  assert.equal(sameName.exec(['env'], { now: T0 }).stdout, 'PATH=/usr/bin:/bin\nHOSTNAME=override\nAPP=web\n');
});
