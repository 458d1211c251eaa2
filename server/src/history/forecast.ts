// The cache forecast: replays a repository's first-parent history and decides,
// for each transition parent → child, which steps a build of the child right
// after a build of the parent would reuse.
//
// The model is BuildKit's cache key chain, computed per commit:
//   key(FROM)    = the FROM line (image as written; a stage FROM another stage: that stage's last key)
//   key(step)    = hash(key(previous step), the instruction's text, its inputs)
//   inputs COPY/ADD  = the set and content (path, mode, blob id) of the files its sources match
//                      after that commit's ignore file (Docker-exact matcher); heredoc: none
//   inputs COPY --from=stage = that stage's last key (an upper bound: BuildKit compares the
//                      copied files, so an unchanged output still hits)
//   inputs RUN   = bind mounts from the context as for COPY; an ARG with a volatile name
//                  (CL003's table) in scope takes a new value on every build (assumption)
// A child's step hits when its key is among the parent's keys. Chains follow
// from the hash: a miss invalidates every later step of the stage and of the
// stages built FROM it. Dockerfile edits change the texts from the first
// edited instruction on. File lists come from `git ls-tree`, changes from
// `git log --raw` blob ids: nothing is checked out.

import { createHash } from 'node:crypto';
import { parseDockerfile, type DockerfileModel, type Instruction, type Stage, findStage } from '../parse/dockerfile';
import { analyzeCache, type CacheAnalysis } from '../cache/analysis';
import { parseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import { filesMatchingSource, type ContextFile } from '../context/view';
import { isVolatileArgName } from '../ecosystems/volatile';
import type { Range } from '../parse/text';
import type { HistoryData, FileState } from './history';
import { estimateSeconds, type MeasuredSeconds } from './durations';

/** Instructions BuildKit runs as steps (the others only change the metadata and later keys). */
const STEP_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR']);

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

const hash = (parts: string[]) => createHash('sha1').update(parts.join('\0')).digest('hex');

/** Instruction text as BuildKit compares it: continuations joined, whitespace runs collapsed. */
export function normalizedText(ins: Instruction): string {
  return ins.text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf('$'); at >= 0; at = text.indexOf('$', at + 1)) {
    const start = text[at + 1] === '{' ? at + 2 : at + 1;
    if (text.startsWith(name, start) && !/[A-Za-z0-9_]/.test(text[start + name.length] ?? '')) return true;
  }
  return false;
}

/** What decides which context files a step reads: its sources and excludes. */
interface Spec {
  key: string;
  sources: string[];
  excludes: IgnoreMatcher | undefined;
}

function copySpec(ins: Instruction): Spec | undefined {
  const c = ins.copy;
  if (!c || c.from !== undefined || c.heredoc) return undefined;
  // a leading '/' is the context root; a source built from a variable may name anything: the whole context (an upper bound)
  const sources = c.sources
    .map((s) => unquote(s.value))
    .filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.startsWith('git@'))
    .map((s) => (s.includes('$') ? '.' : s.replace(/^\/+/, '') || '.'));
  if (!sources.length) return undefined;
  return {
    key: `copy|${sources.join('\n')}|${c.excludes.join('\n')}`,
    sources,
    excludes: c.excludes.length ? new IgnoreMatcher(c.excludes) : undefined,
  };
}

/** A source word as BuildKit reads it: surrounding quotes removed. */
export function unquote(word: string): string {
  return word.length > 1 && (word[0] === '"' || word[0] === "'") && word[word.length - 1] === word[0]
    ? word.slice(1, -1)
    : word;
}

function mountSpecs(ins: Instruction): Spec[] {
  const out: Spec[] = [];
  for (const m of ins.run?.mounts ?? []) {
    if (m.type !== 'bind' || m.options.from !== undefined) continue;
    const raw = m.options.source ?? m.options.src ?? '.';
    const src = raw.includes('$') ? '.' : raw.replace(/^\/+/, '') || '.';
    out.push({ key: `bind|${src}`, sources: [src], excludes: undefined });
  }
  return out;
}

/** Per-instruction cache keys of one Dockerfile at one commit. */
function stepKeys(
  model: DockerfileModel,
  cache: CacheAnalysis,
  token: (spec: Spec) => string,
  buildId: string,
): Map<Instruction, string> {
  const keys = new Map<Instruction, string>();
  const stageKey = new Map<Stage, string>();
  const volatileGlobals = model.globalArgs.flatMap((a) => (a.vars ?? []).map((v) => v.name)).filter(isVolatileArgName);
  for (const stage of model.stages) {
    const fromText = normalizedText(stage.from).replace(/\s+as\s+\S+$/i, '');
    const fromVolatile = volatileGlobals.some((n) => mentions(fromText, n));
    let key =
      stage.parent && stageKey.has(stage.parent)
        ? hash(['stage', stageKey.get(stage.parent)!, fromText])
        : hash(['from', fromText, fromVolatile ? buildId : '']);
    keys.set(stage.from, key);
    for (const ins of stage.instructions) {
      const parts = [key, normalizedText(ins)];
      const scope = cache.info(ins).argsInScope.filter(isVolatileArgName);
      if (ins.run ? scope.length > 0 : scope.some((n) => mentions(ins.text, n))) parts.push(buildId);
      if (ins.copy) {
        if (ins.copy.from !== undefined) {
          const src = findStage(model.stages, ins.copy.from);
          parts.push(src && src !== stage ? (stageKey.get(src) ?? 'unknown-stage') : `image:${ins.copy.from}`);
        } else {
          const spec = copySpec(ins);
          if (spec) parts.push(token(spec));
        }
      }
      if (ins.run) {
        for (const spec of mountSpecs(ins)) parts.push(token(spec));
        for (const m of ins.run.mounts) {
          const src = m.options.from !== undefined ? findStage(model.stages, m.options.from) : undefined;
          if (src && src !== stage) parts.push(stageKey.get(src) ?? 'unknown-stage');
        }
      }
      key = hash(parts);
      keys.set(ins, key);
    }
    stageKey.set(stage, key);
  }
  return keys;
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

export function replayOutcomes(history: HistoryData, variant: Variant, target: string): Outcomes {
  const targetModel = parseDockerfile(target);
  const models = new Map<string, { model: DockerfileModel; cache: CacheAnalysis }>();
  const parsed = (text: string) => {
    let m = models.get(text);
    if (!m) {
      const model = parseDockerfile(text);
      m = { model, cache: analyzeCache(model) };
      models.set(text, m);
    }
    return m;
  };
  const matchers = new Map<string, IgnoreMatcher>();
  const matcherFor = (text: string | null) => {
    if (text === null) return undefined;
    let m = matchers.get(text);
    if (!m) matchers.set(text, (m = new IgnoreMatcher(parseIgnoreFile(text).patterns)));
    return m;
  };

  const textAt = (f: FileState | undefined, fixed: string | null | undefined): string | null | undefined =>
    fixed !== undefined ? fixed : f && 'text' in f ? f.text : f ? undefined : null;
  const viewAt = (i: number): CommitView | undefined => {
    const c = history.commits[i];
    // a counterfactual Dockerfile stands in where the Dockerfile existed, so its transitions are the same ones
    const historical = c.dockerfile && 'text' in c.dockerfile ? c.dockerfile.text : undefined;
    if (historical === undefined) return undefined;
    const df = variant.dockerfileText ?? historical;
    const ignoreText = textAt(c.ignore, variant.ignoreText);
    if (ignoreText === undefined) return undefined; // unreadable ignore file at this commit
    const { model, cache } = parsed(df);
    return { model, cache, ignoreText, matcher: matcherFor(ignoreText) };
  };

  // the context listing, walked forward from the oldest commit
  const listing = new Map(history.base);
  const includedCache = new Map<IgnoreMatcher | undefined, Map<string, boolean>>();
  const included = (matcher: IgnoreMatcher | undefined, p: string) => {
    if (!matcher) return true;
    let m = includedCache.get(matcher);
    if (!m) includedCache.set(matcher, (m = new Map()));
    let v = m.get(p);
    if (v === undefined) m.set(p, (v = !matcher.excludes(p)));
    return v;
  };
  const constantPaths = new Set<string>();
  if (variant.dockerfileText !== undefined && history.dockerfileContextPath !== undefined)
    constantPaths.add(history.dockerfileContextPath);
  if (variant.ignoreText !== undefined) for (const p of history.ignoreContextPaths) constantPaths.add(p);
  const contentOf = (p: string, e: { oid: string; mode: string }) =>
    constantPaths.has(p) ? 'constant' : `${e.mode}:${e.oid}`;
  const specMatches = (spec: Spec, p: string) => {
    if (spec.excludes?.excludes(p)) return false;
    return spec.sources.some((s) => filesMatchingSource([{ path: p, size: 0 }], s).length > 0);
  };
  const fingerprint = (spec: Spec, matcher: IgnoreMatcher | undefined) => {
    const files: ContextFile[] = [];
    for (const p of listing.keys()) if (included(matcher, p)) files.push({ path: p, size: 0 });
    const hit = new Set<string>();
    for (const s of spec.sources)
      for (const f of filesMatchingSource(files, s)) if (!spec.excludes?.excludes(f.path)) hit.add(f.path);
    return hash([...hit].sort().map((p) => `${p}\0${contentOf(p, listing.get(p)!)}`));
  };

  const specs = new Map<string, { spec: Spec; version: number }>();
  let versionCounter = 0;
  const token = (spec: Spec) => {
    let s = specs.get(spec.key);
    if (!s) specs.set(spec.key, (s = { spec, version: ++versionCounter }));
    return `${spec.key}#${s.version}`;
  };

  // Which step of the target a commit's instruction is: same stage (name or index) and same
  // text (nth occurrence); else, an edited instruction, same keyword at the same place in the stage.
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
  const missed = new Map<string, Map<number, boolean>>();
  const transitions: number[] = [];
  let prev = viewAt(0);
  let prevKeys =
    prev?.model && prev.cache ? new Set(stepKeys(prev.model, prev.cache, token, 'build0').values()) : undefined;
  for (let i = 1; i < history.commits.length; i++) {
    const commit = history.commits[i];
    const cur = viewAt(i);
    // which step inputs this transition changes
    if (prev && cur && prev.ignoreText !== cur.ignoreText) {
      // a different ignore file: compare the whole matched set of every step's sources
      const prevMatcher = prev.matcher;
      for (const ins of cur.model!.instructions)
        for (const spec of [copySpec(ins), ...mountSpecs(ins)]) if (spec) token(spec);
      const before = new Map([...specs.values()].map((s) => [s.spec.key, fingerprint(s.spec, prevMatcher)]));
      applyChanges(listing, commit.changes);
      for (const s of specs.values())
        if (fingerprint(s.spec, cur.matcher) !== before.get(s.spec.key)) s.version = ++versionCounter;
    } else {
      const matcher = cur?.matcher ?? prev?.matcher;
      for (const ch of commit.changes) {
        const paths = ch.oldPath !== ch.path ? [ch.oldPath, ch.path] : [ch.path];
        for (const p of paths) {
          if (constantPaths.has(p) || !included(matcher, p)) continue;
          for (const s of specs.values()) if (specMatches(s.spec, p)) s.version = ++versionCounter;
        }
      }
      applyChanges(listing, commit.changes);
    }
    const keys = cur?.model && cur.cache ? stepKeys(cur.model, cur.cache, token, `build${i}`) : undefined;
    if (keys && prevKeys) {
      transitions.push(i);
      const ids = identity(cur!.model!);
      for (const [ins, key] of keys) {
        const id = ids.get(ins);
        if (id === undefined) continue;
        if (!missed.has(id)) missed.set(id, new Map());
        missed.get(id)!.set(i, !prevKeys.has(key));
      }
    }
    prev = cur;
    prevKeys = keys ? new Set(keys.values()) : undefined;
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

function applyChanges(
  listing: Map<string, { oid: string; mode: string }>,
  changes: HistoryData['commits'][number]['changes'],
): void {
  for (const ch of changes) {
    if (ch.status === 'D' || ch.status === 'R') listing.delete(ch.oldPath);
    if (ch.status !== 'D') listing.set(ch.path, { oid: ch.newOid, mode: ch.newMode });
  }
}
