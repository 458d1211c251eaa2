// The rule tester's continued-line variant: what it rewrites, and how it maps
// lines and texts back, so that a rule test run through it can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { continuationVariant } from '../helpers/ruleTester';

const CODE = 'FROM node:20\nCOPY . .\nRUN npm ci && npm run build\nRUN a \\\n  b\nCMD ["x"]\n';

test('every single-line RUN is split after the keyword and before each &&; continued RUNs are left alone', () => {
  const v = continuationVariant(CODE)!;
  assert.equal(
    v.code(CODE),
    'FROM node:20\nCOPY . .\nRUN \\\n    npm ci \\\n    && npm run build\nRUN a \\\n  b\nCMD ["x"]\n',
  );
  assert.equal(v.compare(v.code(CODE)), CODE);
});

test('an original line maps to the lines its instruction spans; messages read with the original line numbers', () => {
  const v = continuationVariant(CODE)!;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(v.lines), [
    [1, 1],
    [2, 2],
    [3, 5],
    [6, 6],
    [7, 7],
    [8, 8],
  ]);
  assert.equal(v.message('the install on line 3 and the CMD on line 8'), 'the install on line 3 and the CMD on line 6');
});

test('no variant without a RUN to split, with a heredoc, or with an escape directive', () => {
  assert.equal(continuationVariant('FROM a\nCOPY . .\n'), undefined);
  assert.equal(continuationVariant('FROM a\nRUN <<EOF\nx\nEOF\n'), undefined);
  assert.equal(continuationVariant('# escape=`\nFROM a\nRUN x\n'), undefined);
});
