// The shell splitter keeps a command substitution in the word it belongs to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCommands } from '../../server/src/parse/shell';

const argvs = (s: string) => splitCommands(s).map((c) => c.argv);

test('shell: $(…) is part of one word, nested and quoted parentheses included', () => {
  assert.deepEqual(argvs('poetry install && rm -rf $(poetry config cache-dir)'), [
    ['poetry', 'install'],
    ['rm', '-rf', '$(poetry config cache-dir)'],
  ]);
  assert.deepEqual(argvs('echo $(dirname $(which go))/x ")" ; ls'), [
    ['echo', '$(dirname $(which go))/x', ')'],
    ['ls'],
  ]);
  assert.deepEqual(argvs('X=$(echo "a)b") make'), [['make']]);
});

test('shell: a plain subshell still splits', () => {
  assert.deepEqual(argvs('(cd web && npm ci)'), [
    ['cd', 'web'],
    ['npm', 'ci'],
  ]);
});
