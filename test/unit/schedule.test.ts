// When the language server analyses a changed document (lsp/schedule.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  analysisDelay,
  recordAnalysis,
  BURST_MS,
  DEBOUNCE_MS,
  SLOW_ANALYSIS_MS,
  RECENT_ANALYSES,
} from '../../server/src/lsp/schedule';

describe('analysisDelay', () => {
  it('analyses the first change of a document at once', () => {
    assert.equal(analysisDelay({ now: 1000, recentAnalysisMs: [] }), 0);
  });
  it('analyses a change that follows a pause at once', () => {
    assert.equal(analysisDelay({ now: 1000, previousChangeAt: 1000 - BURST_MS, recentAnalysisMs: [5, 6, 7] }), 0);
    assert.equal(analysisDelay({ now: 1000, previousChangeAt: 200, recentAnalysisMs: [5] }), 0);
  });
  it('waits for the debounce when changes come in a burst', () => {
    assert.equal(
      analysisDelay({ now: 1000, previousChangeAt: 1000 - BURST_MS + 1, recentAnalysisMs: [5] }),
      DEBOUNCE_MS,
    );
    assert.equal(analysisDelay({ now: 1000, previousChangeAt: 1000, recentAnalysisMs: [] }), DEBOUNCE_MS);
  });
  it('waits for the debounce when every recent analysis was slow', () => {
    const slow = [SLOW_ANALYSIS_MS, SLOW_ANALYSIS_MS + 50, 400];
    assert.equal(analysisDelay({ now: 1000, previousChangeAt: 0, recentAnalysisMs: slow }), DEBOUNCE_MS);
  });
  it('one slow analysis among fast ones (a GC pause, a busy machine) does not make a document slow', () => {
    assert.equal(analysisDelay({ now: 1000, previousChangeAt: 0, recentAnalysisMs: [300, 6, 7] }), 0);
    assert.equal(analysisDelay({ now: 1000, previousChangeAt: 0, recentAnalysisMs: [6, 7, 300] }), 0);
  });
});

describe('recordAnalysis', () => {
  it(`keeps the last ${RECENT_ANALYSES}, oldest first`, () => {
    let recent: number[] | undefined;
    for (const ms of [1, 2, 3, 4, 5]) recent = recordAnalysis(recent, ms);
    assert.deepEqual(recent, [3, 4, 5]);
  });
});
