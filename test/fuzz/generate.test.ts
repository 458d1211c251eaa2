// The fuzzer's own parts: inputs are reproducible from (seed, n), the mutators
// do what their names say, and the oracle reports what it is meant to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, makeInput, Rng, DOCKERFILE_MUTATORS, IGNORE_MUTATORS, MAX_INPUT_CHARS } from './generate';
import { checkInput, signature } from './oracle';
import { sharedSkip } from '../helpers/shared';

const corpusSkip = sharedSkip('corpus/real-dockerfiles');
const corpus = corpusSkip ? { dockerfiles: [], ignores: [] } : loadCorpus();

// one line when the corpus is absent: the group is skipped whole
describe('inputs from the shared corpus', { skip: corpusSkip }, () => {
  test('input n of a seed is the same on every call, and inputs differ', () => {
    const a = [0, 1, 2, 50].map((n) => makeInput(corpus, 7, n));
    const b = [0, 1, 2, 50].map((n) => makeInput(corpus, 7, n));
    assert.deepEqual(a, b);
    assert.equal(new Set(a.map((x) => x.dockerfile)).size, 4);
    assert.notDeepEqual(makeInput(corpus, 8, 0), a[0]);
  });

  test('each mutator produces its feature', () => {
    const base = corpus.dockerfiles.find((d) => d.text.split('\n').length > 10)!.text;
    const run = (name: string, seed = 1) => {
      const m = [...DOCKERFILE_MUTATORS, ...IGNORE_MUTATORS].find(([n]) => n === name)![1];
      return m(base, new Rng(seed), corpus, name === 'hostileGlobs');
    };
    assert.ok(run('truncate').length < base.length);
    assert.ok(
      run('hugeLine')
        .split('\n')
        .some((l) => l.length > 2000),
    );
    assert.ok(
      run('deepContinuation')
        .split('\n')
        .filter((l) => l.endsWith('\\')).length > 100,
    );
    assert.match(run('unterminatedHeredoc'), /<<|^(?![\s\S]*^\s*(EOF|EOT|END)\s*$)/m);
    assert.match(run('nulBytes'), /\0/);
    assert.notEqual(run('lineShuffle'), base);
    assert.deepEqual(run('lineShuffle').split('\n').sort(), base.split('\n').sort());
    const eols = [1, 2, 3, 4, 5, 6].map((s) => run('eolMix', s));
    assert.ok(eols.some((t) => /\r\n/.test(t)) && eols.some((t) => /\r(?!\n)/.test(t)));
    assert.ok(run('hostileGlobs').split('\n').length > base.split('\n').length);
  });

  test('inputs stay under the size the server accepts', () => {
    for (let n = 0; n < 200; n++) assert.ok(makeInput(corpus, 3, n).dockerfile.length <= MAX_INPUT_CHARS);
  });
});

test('the PRNG spreads over its range', () => {
  const rng = new Rng(1, 2);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 10_000; i++) counts[rng.int(10)]++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `skewed: ${counts}`);
});

test('the oracle reports a call over budget as slow, and a clean file as clean', () => {
  const text =
    'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n';
  const clean = checkInput(text, 'node_modules\n.git\n');
  assert.deepEqual(clean.failures, []);
  assert.ok(clean.lintCalls >= 2);
  const slow = checkInput(text, undefined, { budgetMs: -1 });
  assert.ok(slow.failures.some((f) => f.kind === 'slow'));
  assert.equal(signature(slow.failures.find((f) => f.kind === 'slow')!), `slow|lint(no context)`);
});
