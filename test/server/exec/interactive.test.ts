import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/clock.js';
import { InteractiveShell, promptFor } from '../../../server/exec/interactive.js';
import type { ShellHost } from '../../../server/kubelet/shell.js';

function session(flavor: ShellHost['flavor'], shell: string) {
  const clock = new FakeClock();
  const host: ShellHost = {
    now: clock.now(), flavor, files: new Map([['/root/.profile', '']]), dirs: new Set(['/tmp', '/root']),
    env: new Map([['HOSTNAME', 'web-1'], ['HOME', '/root']]), write: () => {},
  };
  let out = '';
  let code: number | undefined;
  const sh = new InteractiveShell({ host, shell, clock, out: (t) => (out += t), done: (c) => (code = c) });
  sh.start();
  return { sh, clock, out: (): string => out, code: (): number | undefined => code };
}

test('promptFor: busybox shows the directory, dash a bare #, bash user@host:dir with ~', () => {
  const env = new Map([['HOSTNAME', 'web-1'], ['HOME', '/root']]);
  assert.equal(promptFor({ flavor: 'busybox', cwd: '/tmp', env }, 'sh'), '/tmp # ');
  assert.equal(promptFor({ flavor: 'gnu', env }, 'sh'), '# ');
  assert.equal(promptFor({ flavor: 'gnu', cwd: '/root', env }, 'bash'), 'root@web-1:~# ');
  assert.equal(promptFor({ flavor: 'gnu', cwd: '/usr/share', env }, 'bash'), 'root@web-1:/usr/share# ');
});

test('the terminal echoes input, erases with backspace, translates newlines and runs each line', () => {
  const s = session('gnu', 'bash');
  s.sh.input('echo hj\x7fi\r');
  s.sh.input('cd ~\r');
  assert.equal(s.out(), 'root@web-1:/# echo hj\b \bi\r\nhi\r\nroot@web-1:/# cd ~\r\nroot@web-1:~# ');
});

test('a sleeping command holds the prompt until virtual time passes; ^C interrupts it; ^D and exit end the shell', () => {
  const s = session('busybox', 'sh');
  s.sh.input('sleep 10; echo woke\r');
  assert.equal(s.out(), '/ # sleep 10; echo woke\r\n');
  s.clock.advance(10_000);
  assert.equal(s.out(), '/ # sleep 10; echo woke\r\nwoke\r\n/ # ');
  s.sh.input('sleep 100\r\x03');
  assert.ok(s.out().endsWith('/ # sleep 100\r\n^C\r\n/ # '));
  s.sh.input('echo $?\r');
  assert.ok(s.out().endsWith('130\r\n/ # '));
  s.sh.input('\x04');
  assert.equal(s.code(), 0, 'the status of the last command, echo');
  const bash = session('gnu', 'bash');
  bash.sh.input('exit 7\r');
  assert.equal(bash.code(), 7);
  assert.ok(bash.out().endsWith('exit 7\r\nexit\r\n'));
});
