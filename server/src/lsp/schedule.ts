// When the server analyses a changed document. A change that follows a pause
// is analysed at once, so a typed character gets its diagnostics in the time
// one analysis takes; changes that come faster than BURST_MS apart (a paste,
// multi-cursor edits, an editor replaying edits, 100 edits a second) wait
// until the burst has been quiet for DEBOUNCE_MS and are analysed once. A
// document whose last three analyses all took SLOW_ANALYSIS_MS or more always
// waits for a pause in typing, so a large file cannot keep the server busy.

export const DEBOUNCE_MS = 120;
export const BURST_MS = 30;
export const SLOW_ANALYSIS_MS = 40;
/** how many recent analysis times decide whether a document is slow */
export const RECENT_ANALYSES = 3;

export interface ChangeTiming {
  /** when this change arrived (ms, any monotonic clock) */
  now: number;
  /** when the previous change of the same document arrived, if any */
  previousChangeAt?: number;
  /** the document's most recent analysis times after a change (ms), oldest first */
  recentAnalysisMs: readonly number[];
}

/** 0: analyse now; otherwise wait this long for more changes. */
export function analysisDelay(t: ChangeTiming): number {
  const afterPause = t.previousChangeAt === undefined || t.now - t.previousChangeAt >= BURST_MS;
  // the fastest of the recent ones: one analysis slowed by a GC pause or a busy machine does not make a document slow
  const slow = t.recentAnalysisMs.length > 0 && Math.min(...t.recentAnalysisMs) >= SLOW_ANALYSIS_MS;
  return afterPause && !slow ? 0 : DEBOUNCE_MS;
}

/** The recent analysis times with a new one added. */
export function recordAnalysis(recent: readonly number[] | undefined, ms: number): number[] {
  return [...(recent ?? []), ms].slice(-RECENT_ANALYSES);
}

/**
 * Pending analyses per document: `schedule` runs `run(uri)` now or after a
 * pause in a burst of changes (analysisDelay), cancelling the one pending.
 */
export class AnalysisScheduler {
  /** pending analyses: how to cancel each */
  private timers = new Map<string, () => void>();
  private lastChangeAt = new Map<string, number>();
  /** the durations of each open document's last analyses after a change (the first, on open, runs on cold code) */
  private recentAnalysisMs = new Map<string, number[]>();

  constructor(
    private readonly run: (uri: string) => void,
    private readonly now: () => number,
  ) {}

  schedule(uri: string): void {
    const now = this.now();
    const delay = analysisDelay({
      now,
      previousChangeAt: this.lastChangeAt.get(uri),
      recentAnalysisMs: this.recentAnalysisMs.get(uri) ?? [],
    });
    this.lastChangeAt.set(uri, now);
    this.timers.get(uri)?.();
    const run = () => {
      this.timers.delete(uri);
      this.run(uri);
    };
    if (delay === 0) {
      // setImmediate, not a 0 ms timer (which waits 1 ms); a change that comes before it runs cancels it and joins a burst
      const immediate = setImmediate(run);
      this.timers.set(uri, () => clearImmediate(immediate));
    } else {
      const timer = setTimeout(run, delay);
      this.timers.set(uri, () => clearTimeout(timer));
    }
  }

  /** An analysis after a change took this long. */
  analysed(uri: string, ms: number): void {
    this.recentAnalysisMs.set(uri, recordAnalysis(this.recentAnalysisMs.get(uri), ms));
  }

  /** The document closed: cancel its pending analysis and forget its timings. */
  forget(uri: string): void {
    this.timers.get(uri)?.();
    this.timers.delete(uri);
    this.lastChangeAt.delete(uri);
    this.recentAnalysisMs.delete(uri);
  }
}
