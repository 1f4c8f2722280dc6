import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProgram } from '../../../server/kubelet/programs.js';
import { StdinBuffer } from '../../../server/kubelet/shell-programs.js';

test('StdinBuffer hands out complete lines, then the rest at end of input, then null', () => {
  const b = new StdinBuffer();
  b.push('a\nb');
  assert.equal(b.nextLine(), 'a');
  assert.equal(b.nextLine(), undefined);
  b.close();
  b.push('ignored');
  assert.equal(b.nextLine(), 'b');
  assert.equal(b.nextLine(), null);
});

test('a shell started with stdin open waits for input, runs each line as it comes and ends at end of input', () => {
  const p = startProgram({ image: 'busybox', command: ['sh'], stdin: true, now: 0, env: { HOSTNAME: 'box' } });
  assert.equal(p.advance(60_000).exit, undefined, 'blocks on stdin');
  assert.equal(p.nextEventAt(), undefined);
  p.writeStdin('echo $HOSTNAME; sleep 2; ech', 60_000);
  assert.deepEqual(p.advance(60_000).logs, [], 'an incomplete line waits');
  p.writeStdin('o done\n', 61_000);
  assert.deepEqual(p.advance(61_000).logs, [{ at: 61_000, stream: 'stdout', text: 'box' }]);
  assert.deepEqual(p.advance(63_000).logs, [{ at: 63_000, stream: 'stdout', text: 'done' }]);
  p.closeStdin(64_000);
  assert.deepEqual(p.advance(64_000).exit, { at: 64_000, exitCode: 0 });
});

test('without stdin the same shell exits at once', () => {
  const p = startProgram({ image: 'busybox', command: ['sh'], now: 0 });
  assert.deepEqual(p.advance(0).exit, { at: 0, exitCode: 0 });
});
