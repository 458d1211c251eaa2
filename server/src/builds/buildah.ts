// buildah / podman `--layers` output, sequential or with `--jobs N`.
//
// From buildah's imagebuildah/stage_executor.go and executor.go:
// - every instruction of a stage, FROM included, is logged through the
//   executor's log function as `[<stage>/<stages>] STEP k/m: <as written>`
//   (no `[i/n]` for a single stage), on stderr;
// - a cache hit prints `--> Using cache <full id>` (logCacheHit) and then the
//   step's image id `--> <id[:11 or 12]>` (logImageID); a step that ran prints
//   only `--> <new id>` after its commit; a FROM prints neither. These two are
//   written straight to stdout, with no stage prefix;
// - `[i/n] COMMIT <name>` announces the final commit of the last stage;
// - a failure ends with `building at STEP "<step>": <error>`.
//
// With `--jobs N` stages run in parallel goroutines and their lines
// interleave, so an unprefixed `-->` line does not say whose it is. Each
// stage's steps run one after another, and a stage prints its next STEP right
// after the previous step's `-->` line: so when stage X prints a STEP, the
// outcome line closest before it (and not yet claimed) is that of X's previous
// step. An outcome line is also claimed at once when only one step is open.

import type { LogBuild, LogReader, LogVertex, ParsedLog } from './logTypes';

export const BUILDAH_STEP = /^(?:\[(\d+)\/(\d+)\] )?STEP (\d+)\/(\d+): (.*)$/s;
const BUILDAH_COMMIT_STEP = /^(?:\[(\d+)\/(\d+)\] )?COMMIT\b/;
const BUILDAH_CACHE = /^--> Using cache ([0-9a-f]+)/;
const BUILDAH_IMAGE = /^--> ([0-9a-f]{6,})\s*$/;
const BUILDAH_ERROR = /building at STEP "(.*)": (.*)$/;

interface Outcome {
  kind: 'cached' | 'ran';
  /** line number */
  at: number;
}

export class BuildahReader implements LogReader {
  private builds: LogBuild[] = [];
  private cur: LogBuild | undefined;
  /** steps announced whose outcome line is not yet assigned, in announcement order */
  private open: LogVertex[] = [];
  /** line number of each open step's STEP line */
  private announced = new Map<LogVertex, number>();
  /** outcome lines not yet assigned to a step, in log order */
  private outcomes: Outcome[] = [];
  /** full ids of recent hits: their `--> <id prefix>` echo is not another outcome */
  private hits: string[] = [];
  private lines = 0;
  private interleaved = false;

  push(line: string): void {
    this.lines++;
    const s = BUILDAH_STEP.exec(line);
    if (s) {
      this.step(s, line);
      return;
    }
    if (BUILDAH_COMMIT_STEP.test(line)) return;
    const hit = BUILDAH_CACHE.exec(line);
    if (hit) {
      this.hits.push(hit[1]);
      if (this.hits.length > 16) this.hits.shift();
      this.outcome({ kind: 'cached', at: this.lines });
      return;
    }
    const img = BUILDAH_IMAGE.exec(line);
    if (img) {
      const echo = this.hits.findIndex((h) => h.startsWith(img[1]));
      if (echo >= 0) this.hits.splice(echo, 1);
      else this.outcome({ kind: 'ran', at: this.lines });
      return;
    }
    const e = BUILDAH_ERROR.exec(line);
    if (e && this.cur) {
      const failed =
        this.open.find((v) => v.text === e[1]) ??
        [...this.cur.vertices].reverse().find((v) => v.text === e[1]) ??
        this.open.at(-1) ??
        this.cur.vertices.at(-1);
      if (failed) failed.error = e[2];
    }
  }

  private step(s: RegExpExecArray, line: string): void {
    const stage = s[1] ? Number(s[1]) : 1;
    const step = Number(s[3]);
    const key = `${stage}:${step}`;
    if (!this.cur || this.cur.vertices.some((v) => v.key === key)) {
      this.settleAll();
      this.cur = { builder: 'buildah', format: 'buildah', vertices: [], errorLines: [] };
      this.builds.push(this.cur);
    }
    // this stage's previous step has printed its outcome by now: the latest unclaimed one
    const prev = this.open.find((v) => v.tags[0] === String(stage - 1));
    if (prev) {
      if (this.open.length > 1) this.interleaved = true;
      this.settle(prev, this.claim(prev));
    }
    const v: LogVertex = {
      key,
      name: line,
      tags: [String(stage - 1)],
      index: step,
      total: Number(s[4]),
      internal: false,
      text: s[5],
      cached: false,
      done: false,
      canceled: false,
      seconds: null,
    };
    this.cur.vertices.push(v);
    // a FROM prints no outcome line (the mapping shows it as resolved)
    if (/^FROM\s/i.test(s[5])) v.done = true;
    else {
      this.open.push(v);
      this.announced.set(v, this.lines);
    }
  }

  /** The latest unclaimed outcome printed after v's STEP line. */
  private claim(v: LogVertex): Outcome | undefined {
    const since = this.announced.get(v) ?? 0;
    for (let i = this.outcomes.length - 1; i >= 0; i--)
      if (this.outcomes[i].at > since) return this.outcomes.splice(i, 1)[0];
    return undefined;
  }

  private outcome(o: Outcome): void {
    if (this.open.length === 1 && !this.outcomes.length) this.settle(this.open[0], o);
    else this.outcomes.push(o);
  }

  private settle(v: LogVertex, o: Outcome | undefined): void {
    this.open.splice(this.open.indexOf(v), 1);
    this.announced.delete(v);
    if (o?.kind === 'cached') v.cached = true;
    else if (!v.error) v.done = true;
    // one step left open and one outcome waiting after it: that is its
    if (this.open.length === 1 && this.outcomes.length === 1) {
      const last = this.open[0];
      const o2 = this.claim(last);
      if (o2) this.settle(last, o2);
    }
  }

  /** End of a build: what is still open takes the remaining outcomes in order. */
  private settleAll(): void {
    while (this.open.length) this.settle(this.open[0], this.claim(this.open[0]));
    this.outcomes = [];
    this.hits = [];
  }

  finish(): ParsedLog {
    this.settleAll();
    const notes = this.interleaved
      ? ['buildah --jobs: stages ran in parallel; their lines were told apart by stage']
      : [];
    return { format: 'buildah', builds: this.builds, lines: this.lines, notes };
  }
}
