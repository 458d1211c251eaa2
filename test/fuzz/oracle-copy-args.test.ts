// The oracle builds each input's build context from its COPY/ADD lines. It did
// that with a multiline regular expression that is quadratic on long
// whitespace runs (seed 100 #71208 spent 320 ms in it, charged to the
// product's context step); copyLineArgs reads the same lines in one pass and
// must find exactly what the expression found, so the fuzzer's inputs keep
// their contexts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyLineArgs } from './oracle';
import { loadCorpus, makeInput } from './generate';

const byRegExp = (text: string) => [...text.matchAll(/^\s*(?:COPY|ADD)\s+([^\n]*)/gim)].map((m) => m[1]);

test('copyLineArgs finds what the multiline expression finds, on hand-picked texts', () => {
  const texts = [
    '',
    'COPY',
    'COPY a b',
    'FROM x\n\n  copy  a b\r\n ADD x y',
    'COPY a\r\nCOPY b c',
    '  \r\r\n\u2028COPY x\u2028ADD y z',
    'COPYX a\nCOPY\n\nfoo bar',
    'ADD\t\ta\n\n',
    ' \n \n \nCOPY . .',
    `${'\r'.repeat(5000)}COPY a b\r${' \r'.repeat(3000)}ADD c d`,
    'RUN echo COPY a b\nCOPY --from=x /a /b',
  ];
  for (const t of texts) assert.deepEqual(copyLineArgs(t), byRegExp(t), JSON.stringify(t.slice(0, 60)));
  assert.deepEqual(copyLineArgs('FROM x\nCOPY a b\n  add c d\n'), ['a b', 'c d']);
});

test('copyLineArgs finds what the multiline expression finds, on 300 fuzz inputs', () => {
  const corpus = loadCorpus();
  for (let i = 0; i < 300; i++) {
    const { dockerfile } = makeInput(corpus, 100, i);
    assert.deepEqual(copyLineArgs(dockerfile), byRegExp(dockerfile), `seed 100 input #${i}`);
  }
});
