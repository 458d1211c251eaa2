// The cache forecast: replays a repository's first-parent history and decides,
// for each transition parent → child, which steps a build of the child right
// after a build of the parent would reuse.
//
// The model is BuildKit's cache key chain, computed per commit (keys.ts):
// only FROM, RUN, COPY, ADD and WORKDIR are steps; a step's key is the
// previous step's key, its text and what its definition holds (a RUN: the
// ENV and ARG values, USER and SHELL in effect; a COPY/ADD: the content of the
// files it copies and the values of the variables it names). ENV, ARG, LABEL,
// EXPOSE and the other config-only instructions are not in the chain.
// A child's step hits when its key is among the parent's keys. Chains follow
// from the hash: a miss invalidates every later step of the stage and of the
// stages built FROM it. Dockerfile edits change the keys of the edited steps
// and the steps after them. File lists come from `git ls-tree`, changes from
// `git log --raw` blob ids: nothing is checked out.
//
// Assumptions, checked against real BuildKit builds by bench/replay/ (results in
// docs/benchmarks.md): the build arguments CI passes are the same on every build
// except the volatile names (GIT_SHA, BUILD_DATE, …: new on every build); the
// builder cache holds the parent's build (an older build's layers that a revert
// brings back are not counted as hits); COPY --from misses when its stage's
// last step missed (an upper bound: BuildKit compares the copied content).

import { parseDockerfile, type DockerfileModel, type Instruction, type Stage } from '../parse/dockerfile';
import { analyzeCache, type CacheAnalysis } from '../cache/analysis';
import { parseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import { filesMatchingSource, type ContextFile } from '../context/view';
import type { Range } from '../parse/text';
import type { HistoryData, FileState } from './history';
import { estimateSeconds, type MeasuredSeconds } from './durations';
import { STEP_KEYWORDS, copySpec, hash, mountSpecs, normalizedText, stepKeys, type Spec } from './keys';

export { normalizedText, unquote } from './keys';

export interface StepForecast {
  range: Range;
  instruction: string;
  misses: number;
  missRate: number;
  seconds: number | null;
  secondsSource: 'build-log' | 'estimate' | null;
}

export interface Variant {
  /** the Dockerfile text at every commit (a fix's counterfactual); undefined: the text each commit had */
  dockerfileText?: string;
  /** the ignore file text at every commit; null: none; undefined: the one each commit had */
  ignoreText?: string | null;
}

export interface ForecastResult {
  transitions: number;
  steps: StepForecast[];
  expectedSecondsPerBuild: number;
}

interface CommitView {
  model?: DockerfileModel;
  cache?: CacheAnalysis;
  ignoreText: string | null;
  matcher?: IgnoreMatcher;
}

/**
 * Replays the history for one variant and counts, per step of `target` (the
 * Dockerfile the report is about: HEAD's, or a fix's), the transitions in
 * which it missed. A step of `target` is matched to a commit's instruction by
 * stage and text, or (an edited instruction) by keyword and place in the stage;
 * a step absent from a commit's Dockerfile did not run there (no miss counted),
 * unless `fallback` says what it would have done.
 */
export function replay(
  history: HistoryData,
  variant: Variant,
  target: string,
  measured?: MeasuredSeconds,
  fallback?: Outcomes,
): ForecastResult {
  return summarize(history, replayOutcomes(history, variant, target), measured, fallback);
}

/** Per step of the target (by identity), per counted transition (child commit index): missed or not; absent = the step did not exist then. */
export interface Outcomes {
  target: DockerfileModel;
  targetIds: Map<Instruction, string>;
  transitions: number[];
  missed: Map<string, Map<number, boolean>>;
}

/** Parsed Dockerfiles and ignore matchers, shared by every commit with the same text. */
class Parsed {
  private models = new Map<string, { model: DockerfileModel; cache: CacheAnalysis }>();
  private matchers = new Map<string, IgnoreMatcher>();
  dockerfile(text: string) {
    let m = this.models.get(text);
    if (!m) {
      const model = parseDockerfile(text);
      m = { model, cache: analyzeCache(model) };
      this.models.set(text, m);
    }
    return m;
  }
  matcher(text: string | null) {
    if (text === null) return undefined;
    let m = this.matchers.get(text);
    if (!m) this.matchers.set(text, (m = new IgnoreMatcher(parseIgnoreFile(text).patterns)));
    return m;
  }
}

/**
 * The build context walked forward from the oldest commit, and one token per
 * copy spec that changes whenever the files the spec matches change.
 */
class ContextTokens {
  private listing: Map<string, { oid: string; mode: string }>;
  private includedCache = new Map<IgnoreMatcher | undefined, Map<string, boolean>>();
  private specs = new Map<string, { spec: Spec; version: number }>();
  private versionCounter = 0;
  /** paths whose content a variant holds constant (a fix's Dockerfile or ignore file) */
  private constantPaths = new Set<string>();

  constructor(history: HistoryData, variant: Variant) {
    this.listing = new Map(history.base);
    if (variant.dockerfileText !== undefined && history.dockerfileContextPath !== undefined)
      this.constantPaths.add(history.dockerfileContextPath);
    if (variant.ignoreText !== undefined) for (const p of history.ignoreContextPaths) this.constantPaths.add(p);
  }

  readonly token = (spec: Spec) => {
    let s = this.specs.get(spec.key);
    if (!s) this.specs.set(spec.key, (s = { spec, version: ++this.versionCounter }));
    return `${spec.key}#${s.version}`;
  };

  private included(matcher: IgnoreMatcher | undefined, p: string) {
    if (!matcher) return true;
    let m = this.includedCache.get(matcher);
    if (!m) this.includedCache.set(matcher, (m = new Map()));
    let v = m.get(p);
    if (v === undefined) m.set(p, (v = !matcher.excludes(p)));
    return v;
  }

  private fingerprint(spec: Spec, matcher: IgnoreMatcher | undefined) {
    const files: ContextFile[] = [];
    for (const p of this.listing.keys()) if (this.included(matcher, p)) files.push({ path: p, size: 0 });
    const hit = new Set<string>();
    for (const s of spec.sources)
      for (const f of filesMatchingSource(files, s)) if (!spec.excludes?.excludes(f.path)) hit.add(f.path);
    return hash(
      [...hit].sort().map((p) => {
        const e = this.listing.get(p)!;
        return `${p}\0${this.constantPaths.has(p) ? 'constant' : `${e.mode}:${e.oid}`}`;
      }),
    );
  }

  private specMatches(spec: Spec, p: string) {
    if (spec.excludes?.excludes(p)) return false;
    return spec.sources.some((s) => filesMatchingSource([{ path: p, size: 0 }], s).length > 0);
  }

  /** A different ignore file: compares the whole matched set of every spec (the child's included). */
  advanceWithIgnoreChange(changes: Changes, prev: IgnoreMatcher | undefined, cur: CommitView): void {
    for (const ins of cur.model!.instructions)
      for (const spec of [copySpec(ins), ...mountSpecs(ins)]) if (spec) this.token(spec);
    const before = new Map([...this.specs.values()].map((s) => [s.spec.key, this.fingerprint(s.spec, prev)]));
    applyChanges(this.listing, changes);
    for (const s of this.specs.values())
      if (this.fingerprint(s.spec, cur.matcher) !== before.get(s.spec.key)) s.version = ++this.versionCounter;
  }

  /** The same ignore file: bumps the specs matching a changed path it lets through. */
  advance(changes: Changes, matcher: IgnoreMatcher | undefined): void {
    for (const ch of changes) {
      const paths = ch.oldPath !== ch.path ? [ch.oldPath, ch.path] : [ch.path];
      for (const p of paths) {
        if (this.constantPaths.has(p) || !this.included(matcher, p)) continue;
        for (const s of this.specs.values()) if (this.specMatches(s.spec, p)) s.version = ++this.versionCounter;
      }
    }
    applyChanges(this.listing, changes);
  }
}

type Changes = HistoryData['commits'][number]['changes'];

/**
 * Which step of the target a commit's instruction is: same stage (name or index) and same
 * text (nth occurrence); else, an edited instruction, same keyword at the same place in the stage.
 */
function stepIdentity(targetModel: DockerfileModel) {
  const stageId = (stage: Stage) => stage.name?.toLowerCase() ?? String(stage.index);
  const textId = (stage: Stage, ins: Instruction) => `${stageId(stage)}|${normalizedText(ins)}`;
  const targetIds = new Map<Instruction, string>();
  const byText = new Map<string, Instruction[]>();
  const byPlace = new Map<string, Instruction>();
  for (const stage of targetModel.stages) {
    [stage.from, ...stage.instructions].forEach((ins, at) => {
      const t = textId(stage, ins);
      byText.set(t, [...(byText.get(t) ?? []), ins]);
      byPlace.set(`${stageId(stage)}|${at}|${ins.keyword}`, ins);
      targetIds.set(ins, `${t}|${byText.get(t)!.length}`);
    });
  }
  const identity = (model: DockerfileModel) => {
    const ids = new Map<Instruction, string>();
    const used = new Set<Instruction>();
    const edited: [Instruction, string][] = [];
    for (const stage of model.stages) {
      [stage.from, ...stage.instructions].forEach((ins, at) => {
        const same = (byText.get(textId(stage, ins)) ?? []).find((t) => !used.has(t));
        if (same) {
          used.add(same);
          ids.set(ins, targetIds.get(same)!);
        } else edited.push([ins, `${stageId(stage)}|${at}|${ins.keyword}`]);
      });
    }
    for (const [ins, place] of edited) {
      const t = byPlace.get(place);
      if (t && !used.has(t)) {
        used.add(t);
        ids.set(ins, targetIds.get(t)!);
      }
    }
    return ids;
  };
  return { targetIds, identity };
}

export function replayOutcomes(history: HistoryData, variant: Variant, target: string): Outcomes {
  const targetModel = parseDockerfile(target);
  const parsed = new Parsed();
  const textAt = (f: FileState | undefined, fixed: string | null | undefined): string | null | undefined =>
    fixed !== undefined ? fixed : f && 'text' in f ? f.text : f ? undefined : null;
  const viewAt = (i: number): CommitView | undefined => {
    const c = history.commits[i];
    // a counterfactual Dockerfile stands in where the Dockerfile existed, so its transitions are the same ones
    const historical = c.dockerfile && 'text' in c.dockerfile ? c.dockerfile.text : undefined;
    if (historical === undefined) return undefined;
    const ignoreText = textAt(c.ignore, variant.ignoreText);
    if (ignoreText === undefined) return undefined; // unreadable ignore file at this commit
    const { model, cache } = parsed.dockerfile(variant.dockerfileText ?? historical);
    return { model, cache, ignoreText, matcher: parsed.matcher(ignoreText) };
  };
  const context = new ContextTokens(history, variant);
  const { targetIds, identity } = stepIdentity(targetModel);
  const keysOf = (v: CommitView | undefined, i: number) =>
    v?.model && v.cache ? stepKeys(v.model, v.cache, context.token, `build${i}`) : undefined;

  const missed = new Map<string, Map<number, boolean>>();
  const transitions: number[] = [];
  let prev = viewAt(0);
  let prevKeys = keysOf(prev, 0);
  for (let i = 1; i < history.commits.length; i++) {
    const cur = viewAt(i);
    // which step inputs this transition changes
    if (prev && cur && prev.ignoreText !== cur.ignoreText)
      context.advanceWithIgnoreChange(history.commits[i].changes, prev.matcher, cur);
    else context.advance(history.commits[i].changes, cur?.matcher ?? prev?.matcher);
    const keys = keysOf(cur, i);
    if (keys && prevKeys) {
      transitions.push(i);
      const before = new Set(prevKeys.values());
      const ids = identity(cur!.model!);
      for (const [ins, key] of keys) {
        const id = ids.get(ins);
        if (id === undefined) continue;
        if (!missed.has(id)) missed.set(id, new Map());
        missed.get(id)!.set(i, !before.has(key));
      }
    }
    prev = cur;
    prevKeys = keys;
  }
  return { target: targetModel, targetIds, transitions, missed };
}

/**
 * Counts and costs per step. A step the commit's Dockerfile did not have takes its outcome
 * from `fallback` (the same target held constant over the history: "had it existed then"),
 * else it did not run.
 */
export function summarize(
  history: HistoryData,
  o: Outcomes,
  measured?: MeasuredSeconds,
  fallback?: Outcomes,
): ForecastResult {
  const n = o.transitions.length;
  const steps: StepForecast[] = [];
  let expected = 0;
  for (const stage of o.target.stages) {
    for (const ins of [stage.from, ...stage.instructions]) {
      if (!STEP_KEYWORDS.has(ins.keyword)) continue;
      const id = o.targetIds.get(ins)!;
      let misses = 0;
      for (const i of o.transitions) if (o.missed.get(id)?.get(i) ?? fallback?.missed.get(id)?.get(i)) misses++;
      const missRate = n ? Math.round((misses / n) * 1000) / 1000 : 0;
      const m = measured?.secondsFor({ index: ins.index, text: ins.text });
      const seconds = m !== undefined ? m : estimateSeconds(ins, history.headSizes);
      const secondsSource = m !== undefined ? 'build-log' : seconds === null ? null : 'estimate';
      if (seconds !== null && n) expected += (misses / n) * seconds;
      steps.push({
        range: ins.range,
        instruction: firstLine(ins),
        misses,
        missRate,
        seconds: seconds === null ? null : Math.round(seconds * 10) / 10,
        secondsSource,
      });
    }
  }
  return { transitions: n, steps, expectedSecondsPerBuild: Math.round(expected * 10) / 10 };
}

function firstLine(ins: Instruction): string {
  const t = normalizedText(ins);
  return t.length > 120 ? t.slice(0, 117) + '...' : t;
}

function applyChanges(listing: Map<string, { oid: string; mode: string }>, changes: Changes): void {
  for (const ch of changes) {
    if (ch.status === 'D' || ch.status === 'R') listing.delete(ch.oldPath);
    if (ch.status !== 'D') listing.set(ch.path, { oid: ch.newOid, mode: ch.newMode });
  }
}
