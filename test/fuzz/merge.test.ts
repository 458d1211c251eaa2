// The fuzz summaries of several processes add up, and a range run twice is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merge, render } from './merge';
import type { JsonSummary } from './fuzz';

function run(seed: number, start: number, end: number, extra: Partial<JsonSummary> = {}): JsonSummary {
  return {
    seed,
    start,
    end,
    inputs: end - start,
    failingInputs: 0,
    failures: [],
    newSignatures: [],
    hangs: [],
    crashes: [],
    saved: [],
    slowest: { n: start, ms: 10, where: 'lint', origin: 'x', bytes: 1 },
    cpuMs: (end - start) * 50,
    lintCalls: (end - start) * 7,
    wallMs: 60_000,
    stageMs: { lint: (end - start) * 10, fixAll: (end - start) * 40 },
    options: { budgetMs: 500, hangMs: 20_000 },
    ...extra,
  };
}

test('disjoint ranges add up; the failures of one signature are counted together', () => {
  const failure = { kind: 'slow', where: 'fixAll', message: '600 ms CPU (budget 500 ms)' };
  const m = merge([
    run(1, 0, 100, { failingInputs: 1, failures: [{ signature: 'slow|fixAll', count: 1, example: 7, failure }] }),
    run(1, 100, 300, { failingInputs: 2, failures: [{ signature: 'slow|fixAll', count: 2, example: 150, failure }] }),
  ]);
  assert.equal(m.inputs, 300);
  assert.equal(m.failingInputs, 3);
  assert.equal(m.failures.get('slow|fixAll')?.count, 3);
  assert.deepEqual(m.overlaps, []);
  assert.equal(m.lintCalls, 2100);
  assert.equal(m.stageMs.fixAll, 12_000);
  // side by side: 300 inputs in the longest process's minute
  assert.match(render(m), /inputs per minute, all processes \| 300 \(150 per process\)/);
});

test('overlapping ranges of one seed are reported; other seeds may reuse the indices', () => {
  assert.deepEqual(merge([run(1, 0, 100), run(2, 0, 100)]).overlaps, []);
  assert.equal(merge([run(1, 0, 100), run(1, 50, 150)]).overlaps.length, 1);
});
