// Findings are sorted in localeCompare's order and counts are worded as
// Intl.NumberFormat('en-US') words them, without creating either ICU object on
// the way to the first diagnostics (engine/collate.ts, cache/text.ts): the
// hand-made answers must be the same as ICU's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collate, rootOrderedPair } from '../../server/src/engine/collate';
import { formatCount } from '../../server/src/cache/text';

/** a small deterministic generator (xorshift) */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test('collate orders as localeCompare does: paths, rule ids, case, punctuation, prefixes, non-ASCII', () => {
  const next = random(42);
  const chars = 'aAbBdDzZ019._-/ #~[^`{@:\u00e9\u00c9\u0301\t';
  const word = () =>
    Array.from({ length: 1 + Math.floor(next() * 6) }, () => chars[Math.floor(next() * chars.length)]).join('');
  const pairs: [string, string][] = [
    ['/w/app/Dockerfile', '/w/app/.dockerignore'],
    ['/w/app/Dockerfile', '/w/app/docker/x'],
    ['/w/app/a-b', '/w/app/a_b'],
    ['/w/app/a', '/w/app/a/b'],
    ['/w/App', '/w/app'],
    ['CL001', 'CL101'],
    ['CL009', 'CL010'],
  ];
  for (let i = 0; i < 50_000; i++) pairs.push([word(), word()]);
  for (const [a, b] of pairs)
    assert.equal(
      Math.sign(collate(a, b)),
      Math.sign(a.localeCompare(b)),
      `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
    );
  // the pairs a first analysis sorts (a Dockerfile and its ignore file, rule ids) never reach ICU
  for (const i of [0, 3, 5, 6]) assert.notEqual(rootOrderedPair(...pairs[i]), 0, pairs[i].join(' vs '));
  // a first difference in case alone is left to ICU
  assert.equal(rootOrderedPair('/w/App', '/w/app'), 0);
  assert.equal(rootOrderedPair('/w/app/Dockerfile', '/w/app/docker/x'), 0);
});

test('formatCount words numbers as Intl.NumberFormat en-US does', () => {
  const intl = new Intl.NumberFormat('en-US');
  const next = random(7);
  const xs = [0, -0, 1, 12, 123, 999, 1000, 1001, 12_345, 999_999, 1_000_000, -1, -1234, 2 ** 53 - 1, -(2 ** 53 - 1)];
  xs.push(0.5, 1234.5678, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60);
  for (let i = 0; i < 2000; i++) xs.push(Math.floor(next() * 10 ** Math.floor(next() * 16)));
  for (const n of xs) assert.equal(formatCount(n), intl.format(n), String(n));
});
