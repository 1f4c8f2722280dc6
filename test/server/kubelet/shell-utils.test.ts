import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScript, runScript, ShellExit, type ShellHost } from '../../../server/kubelet/shell.js';
import { resolvePath } from '../../../server/kubelet/shell-utils.js';

const NOW = Date.UTC(2026, 0, 1, 9, 5);

function host(flavor: ShellHost['flavor'], extra: Partial<ShellHost> = {}): ShellHost & { out: string; err: string } {
  const h = {
    now: NOW, flavor, out: '', err: '',
    files: new Map([['/etc/hostname', 'web\n'], ['/etc/config/color', 'blue'], ['/etc/config/mode', 'dev'], ['/etc/config/.hidden', 'x'], ['/etc/hosts', 'a\nb\nc\n']]),
    dirs: new Set(['/tmp', '/etc', '/root']),
    env: new Map([['HOSTNAME', 'web'], ['HOME', '/root']]),
    write(stream: 'stdout' | 'stderr', text: string) {
      if (stream === 'stdout') h.out += text;
      else h.err += text;
    },
    ...extra,
  };
  return h;
}

function run(h: ShellHost, script: string, argv0 = 'sh'): number {
  const gen = runScript(parseScript(script), h, { argv0 });
  try {
    for (let r = gen.next(); ; r = gen.next()) if (r.done) return r.value;
  } catch (e) {
    if (e instanceof ShellExit) return e.code;
    throw e;
  }
}

test('resolvePath: relative to the working directory, . and .. resolved', () => {
  assert.equal(resolvePath('../etc/./hosts', { cwd: '/tmp' }), '/etc/hosts');
  assert.equal(resolvePath('x', {}), '/x');
  assert.equal(resolvePath('/../..', { cwd: '/a' }), '/');
});

test('ls: one name per line off a terminal, columns on one, -a and -l, missing paths per flavor', () => {
  const h = host('busybox');
  assert.equal(run(h, 'ls /etc/config; ls -a /etc/config; cd /etc && ls config/color'), 0);
  assert.equal(h.out, 'color\nmode\n.\n..\n.hidden\ncolor\nmode\nconfig/color\n');
  const tty = host('gnu', { tty: true });
  run(tty, 'ls /etc');
  assert.equal(tty.out, 'config    hostname  hosts\n');
  const long = host('gnu');
  run(long, 'ls -l /etc/config');
  assert.equal(long.out, 'total 8\n-rw-r--r-- 1 root root 4 Jan  1 09:05 color\n-rw-r--r-- 1 root root 3 Jan  1 09:05 mode\n');
  const bb = host('busybox');
  assert.equal(run(bb, 'ls /nope'), 1);
  assert.equal(bb.err, 'ls: /nope: No such file or directory\n');
  const gnu = host('gnu');
  assert.equal(run(gnu, 'ls /nope'), 2);
  assert.equal(gnu.err, "ls: cannot access '/nope': No such file or directory\n");
});

test('cd, pwd, mkdir -p, touch, rm -r and test -d follow the working directory', () => {
  const h = host('busybox');
  assert.equal(run(h, 'cd /tmp; pwd; mkdir -p a/b; cd a; touch b/f; ls b; cd ..; rm -r a; [ -d /tmp/a ] || echo gone; cd; pwd; cd /nope'), 2);
  assert.equal(h.out, '/tmp\nf\ngone\n/root\n');
  assert.equal(h.err, "sh: cd: can't cd to /nope: No such file or directory\n");
});

test('grep, wc, head and tail over files and pipes', () => {
  const h = host('gnu');
  run(h, 'cat /etc/hosts | grep -v b; grep -c . /etc/hosts; grep -n c /etc/hosts; head -n 1 /etc/hosts; tail -2 /etc/hosts; wc -l /etc/hosts; cat /etc/hosts | wc -l; grep -q zzz /etc/hosts; echo $?');
  assert.equal(h.out, 'a\nc\n3\n3:c\na\nb\nc\n3 /etc/hosts\n3\n1\n');
});

test('whoami, id, uname and unknown commands per shell', () => {
  const h = host('busybox');
  assert.equal(run(h, 'whoami; id; uname; uname -r; nosuch'), 127);
  assert.equal(h.out, 'root\nuid=0(root) gid=0(root) groups=0(root),10(wheel)\nLinux\n6.8.0-51-generic\n');
  assert.equal(h.err, 'sh: nosuch: not found\n');
  const bash = host('gnu');
  run(bash, 'nosuch', 'bash');
  assert.equal(bash.err, 'bash: line 1: nosuch: command not found\n');
});

test('wget saves or prints what the network answers, with busybox wording; only busybox images have it', () => {
  const network = {
    resolve: (h: string) => (h === 'web' ? '10.96.0.5' : undefined),
    get: (_ip: string, port: number, path: string) => (port !== 80 ? { kind: 'refused' as const } : path === '/' ? { kind: 'response' as const, status: 200, reason: 'OK', body: 'hello\n' } : { kind: 'response' as const, status: 404, reason: 'Not Found', body: '' }),
  };
  const h = host('busybox', { network, cwd: '/tmp' });
  assert.equal(run(h, 'wget web; cat index.html; wget -qO- web:81; wget -qO- web/x; wget -qO- nope'), 1);
  assert.equal(h.out, 'hello\n');
  assert.equal(h.err, [
    'Connecting to web (10.96.0.5:80)', "saving to 'index.html'", 'index.html           100% |********************************|     6  0:00:00 ETA', "'index.html' saved",
    "wget: can't connect to remote host (10.96.0.5): Connection refused", 'wget: server returned error: HTTP/1.1 404 Not Found', "wget: bad address 'nope'", ''].join('\n'));
  const gnu = host('gnu', { network });
  assert.equal(run(gnu, 'wget web'), 127);
  assert.equal(run(gnu, 'curl -s web'), 0);
  assert.equal(gnu.out, 'hello\n');
});
