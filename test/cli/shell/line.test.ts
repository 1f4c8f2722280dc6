/**
 * Shell line parsing: POSIX-like word splitting, the kubectl/k/kd prefixes, and which lines take
 * multi-line input (explicit heredoc or the implicit `-f -` … `EOF`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommand, readsStdin, splitLine } from '../../../cli/shell/line.js';

test('words split on blanks; quotes and backslashes work as in sh', () => {
  assert.deepEqual(splitLine(`get pods -l 'app in (a, b)'`), { words: ['get', 'pods', '-l', 'app in (a, b)'], open: true, unterminated: false });
  assert.deepEqual(splitLine(`annotate pod x "note=a \\"b\\" c" e\\ f `), { words: ['annotate', 'pod', 'x', 'note=a "b" c', 'e f'], open: false, unterminated: false });
  assert.deepEqual(splitLine(`get pods -o jsonpath='{.items[*]}'`).words, ['get', 'pods', '-o', 'jsonpath={.items[*]}']);
  assert.deepEqual(splitLine(`label pod x a=''`).words, ['label', 'pod', 'x', 'a=']);
  assert.equal(splitLine(`get 'pods`).unterminated, true);
});

test('a leading kubectl, k or kd is dropped', () => {
  for (const line of ['get pods', 'k get pods', 'kubectl get pods', 'kd get pods']) assert.deepEqual(parseCommand(line), { args: ['get', 'pods'] });
  assert.deepEqual(parseCommand('kubectl'), { args: [] });
});

test('-f - reads the lines up to EOF; <<WORD chooses the terminator', () => {
  assert.deepEqual(parseCommand('apply -f -'), { args: ['apply', '-f', '-'], terminator: 'EOF' });
  assert.deepEqual(parseCommand('k create --filename=-'), { args: ['create', '--filename=-'], terminator: 'EOF' });
  assert.deepEqual(parseCommand('apply -f - <<END'), { args: ['apply', '-f', '-'], terminator: 'END' });
  assert.deepEqual(parseCommand("apply -f - << 'YAML'"), { args: ['apply', '-f', '-'], terminator: 'YAML' });
  assert.deepEqual(parseCommand('apply -f web.yaml'), { args: ['apply', '-f', 'web.yaml'] });
  assert.equal(readsStdin(['replace', '--filename', '-']), true);
  assert.equal(readsStdin(['get', 'pods', '-f', 'x.yaml']), false);
});
