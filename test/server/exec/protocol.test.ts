import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientFrame, exitCodeStatus, frame, internalErrorStatus } from '../../../server/exec/protocol.js';

test('frames carry the channel byte first', () => {
  assert.deepEqual([...frame(1, 'hi')], [1, 104, 105]);
  assert.deepEqual([...frame(3, Buffer.of(7))], [3, 7]);
});

test('client frames: stdin, resize JSON, v5 close signal, anything else ignored', () => {
  assert.deepEqual(decodeClientFrame(Buffer.from('\x00ls\n', 'latin1')), { kind: 'stdin', data: Buffer.from('ls\n') });
  assert.deepEqual(decodeClientFrame(Buffer.concat([Buffer.of(4), Buffer.from('{"Width":80,"Height":24}')])), { kind: 'resize', width: 80, height: 24 });
  assert.deepEqual(decodeClientFrame(Buffer.of(255, 0)), { kind: 'close', channel: 0 });
  assert.deepEqual(decodeClientFrame(Buffer.concat([Buffer.of(4), Buffer.from('{bad')])), { kind: 'ignored' });
  assert.deepEqual(decodeClientFrame(Buffer.of(9, 1)), { kind: 'ignored' });
  assert.deepEqual(decodeClientFrame(Buffer.alloc(0)), { kind: 'ignored' });
});

test('statuses: the exit code travels in details.causes; internal errors keep their detail as a cause', () => {
  assert.equal(JSON.stringify(exitCodeStatus(3)),
    '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: command terminated with exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}');
  assert.deepEqual(internalErrorStatus('boom'), { metadata: {}, status: 'Failure', message: 'Internal error occurred: boom', reason: 'InternalError', details: { causes: [{ message: 'boom' }] }, code: 500 });
});
