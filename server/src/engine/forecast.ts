// The cache forecast of one Dockerfile: history/ replays the repository's
// first-parent history; here the findings' fixes are applied to the current
// Dockerfile (and ignore file) and forecast over the same history, and the
// result is rendered for the CLI (text, JSON) and the editor (hover lines).

import * as path from 'node:path';
import { Workspace } from './workspace';
import { applyFixes, fixAllInContext } from './fix';
import type { LintOptions } from './lint';
import { loadHistory } from '../history/history';
import { replay, replayOutcomes, summarize, type StepForecast, type Variant } from '../history/forecast';
import type { MeasuredSeconds } from '../history/durations';
import { loadBuilds, measuredSeconds } from './buildEvidence';
import { parseDockerfile } from '../parse/dockerfile';
import type { Fix } from '../rules/rule';
import { MAX_FILE_BYTES } from '../parse/limits';

export interface FixForecast {
  rule: string;
  title: string;
  steps: StepForecast[];
  secondsSavedPerBuild: number;
}

export interface DockerfileForecast {
  /** absolute path */
  path: string;
  transitions: number;
  steps: StepForecast[];
  expectedSecondsPerBuild: number;
  fixes: FixForecast[];
  /** shallow clone, merges, where the Dockerfile appears, unreadable files… */
  notes: string[];
}

export interface ForecastOptions extends LintOptions {
  /** transitions to analyse (default 100) */
  commits?: number;
  /** false in an untrusted workspace: git never runs */
  trusted?: boolean;
  /** measured step times from an imported build (builds/) */
  measured?: MeasuredSeconds;
  timeoutMs?: number;
  gitPath?: string;
}

export class ForecastUnavailable extends Error {}

function historyFor(
  ws: Workspace,
  dockerfile: string,
  analysis: ReturnType<Workspace['analyze']>,
  opts: ForecastOptions,
) {
  const resolved = analysis.contexts[0];
  try {
    return loadHistory({
      workspaceRoot: ws.root,
      dockerfile,
      contextDir: resolved?.contextDir ?? path.dirname(dockerfile),
      ignoreFile: resolved?.ignoreFile,
      commits: opts.commits,
      timeoutMs: opts.timeoutMs,
      gitPath: opts.gitPath,
    });
  } catch (e) {
    throw new ForecastUnavailable((e as Error).message);
  }
}

export function forecastDockerfile(
  ws: Workspace,
  dockerfile: string,
  text: string,
  opts: ForecastOptions = {},
): DockerfileForecast {
  if (opts.trusted === false)
    throw new ForecastUnavailable('the workspace is not trusted: the forecast runs git, so it does not run here');
  const analysis = ws.analyze(dockerfile, text, { rules: opts.rules });
  const history = historyFor(ws, dockerfile, analysis, opts);
  const measured = opts.measured ?? savedBuildSeconds(ws.root, dockerfile, text);
  // the counterfactuals hold the Dockerfile (and a fixed ignore file) constant over the history,
  // so Dockerfile edits of the past count neither for nor against a fix
  const constant = replayOutcomes(history, { dockerfileText: text }, text);
  const baseline = summarize(history, constant, measured);
  // the forecast itself replays the Dockerfile each commit had; a step added since takes the
  // outcome it would have had (the constant replay's) where it did not exist yet
  const main = summarize(history, replayOutcomes(history, {}, text), measured, constant);
  const notes = [...history.notes];
  if (!main.transitions)
    notes.push('no transition to analyse: the Dockerfile exists in fewer than two of the commits read');
  return {
    path: dockerfile,
    transitions: main.transitions,
    steps: main.steps,
    expectedSecondsPerBuild: main.expectedSecondsPerBuild,
    fixes: forecastFixes(ws, dockerfile, text, analysis, opts, (variant, target) => {
      // a step of the fixed Dockerfile with the text of a measured one takes its seconds
      const fixed = replay(history, variant, target, measured);
      return { steps: fixed.steps, saved: round1(baseline.expectedSecondsPerBuild - fixed.expectedSecondsPerBuild) };
    }),
    notes,
  };
}

/** Each finding's fix, and every safe fix together, forecast over the same history; most seconds saved first. */
function forecastFixes(
  ws: Workspace,
  dockerfile: string,
  text: string,
  analysis: ReturnType<Workspace['analyze']>,
  opts: ForecastOptions,
  forecast: (variant: Variant, target: string) => { steps: StepForecast[]; saved: number },
): FixForecast[] {
  const ignorePath = analysis.primaryContext?.ignore?.path ?? analysis.primaryContext?.ignorePathForNew;
  const read = (p: string) =>
    p === dockerfile
      ? text
      : p === analysis.primaryContext?.ignore?.path
        ? analysis.primaryContext.ignore.text
        : (ws.fs.readFile(p) ?? undefined);
  const fixes: FixForecast[] = [];
  const seen = new Set<string>();
  const forecastFix = (rule: string, title: string, files: Map<string, string>) => {
    const df = files.get(dockerfile) ?? text;
    const ig = ignorePath !== undefined ? files.get(ignorePath) : undefined;
    if (df === text && ig === undefined) return;
    const key = `${df}\0${ig ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    const fixed = forecast({ dockerfileText: df, ...(ig !== undefined ? { ignoreText: ig } : {}) }, df);
    fixes.push({ rule, title, steps: fixed.steps, secondsSavedPerBuild: fixed.saved });
  };
  for (const f of analysis.findings) {
    const fix: Fix | undefined = f.fixes.find((x) => x.safe) ?? f.fixes[0];
    if (fix) forecastFix(f.rule, fix.title, applyFixes(read, [fix]).files);
  }
  // every safe fix together, as `cachelens fix` applies them
  const contextOf = (changed: ReadonlyMap<string, string>) =>
    changed.size
      ? ws.analyze(dockerfile, changed.get(dockerfile) ?? text, { rules: opts.rules, overlays: new Map(changed) })
          .primaryContext
      : analysis.primaryContext;
  const all = fixAllInContext({ path: dockerfile, text }, contextOf, { rules: opts.rules });
  const rules = [...new Set(all.applied.map((a) => a.rule))];
  if (rules.length > 1) forecastFix(rules.join('+'), 'All safe fixes (cachelens fix)', all.files);
  return fixes.sort((a, b) => b.secondsSavedPerBuild - a.secondsSavedPerBuild);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Measured seconds per step from the builds saved with `cachelens build-log --save`
 * (`.cachelens/builds/` beside the Dockerfile, else at the workspace root; the
 * newest run of each step wins), or undefined when none was saved.
 */
export function savedBuildSeconds(root: string, dockerfile: string, text: string): MeasuredSeconds | undefined {
  const rel = (from: string) => path.relative(from, dockerfile).split(path.sep).join('/');
  const dir = path.dirname(dockerfile);
  let records = loadBuilds(dir, rel(dir));
  if (!records.length && root !== dir) records = loadBuilds(root, rel(root));
  if (!records.length) return undefined;
  const model = parseDockerfile(text);
  const byIndex = measuredSeconds(records, model);
  // by text, so a fix's Dockerfile finds the seconds of the steps it keeps (a split's `RUN npm ci`)
  const byText = new Map<string, number>();
  for (const ins of model.instructions) {
    const s = byIndex.get(ins.index);
    if (s !== undefined) byText.set(stepText(ins.text), s);
  }
  if (!byText.size) return undefined;
  return { secondsFor: (step) => byText.get(stepText(step.text)) };
}

/**
 * A step's text for matching measured seconds: whitespace collapsed, and a RUN's flags
 * left out (a fix that adds `--mount=type=cache` runs the same command).
 */
function stepText(text: string): string {
  const t = text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return /^run\s/i.test(t) ? t.replace(/\s--[a-z-]+=\S+/gi, '') : t;
}

/** The JSON contract of `cachelens forecast --format json` for one Dockerfile (paths relative to the argument). */
export function forecastJson(f: DockerfileForecast, relPath: string) {
  return {
    path: relPath,
    transitions: f.transitions,
    steps: f.steps,
    expectedSecondsPerBuild: f.expectedSecondsPerBuild,
    fixes: f.fixes.map((x) => ({
      rule: x.rule,
      title: x.title,
      steps: x.steps,
      secondsSavedPerBuild: x.secondsSavedPerBuild,
    })),
  };
}

const secs = (s: StepForecast) =>
  s.seconds === null ? '-' : `${s.seconds.toFixed(1)} s${s.secondsSource === 'estimate' ? ' est.' : ''}`;

/** Text for a terminal: the step table, the expected cost, fixes ranked by seconds saved per build. */
export function forecastText(f: DockerfileForecast, relPath: string): string[] {
  const out: string[] = [
    `# ${relPath}: ${f.transitions} transition${f.transitions === 1 ? '' : 's'} (parent → child, first parent)`,
  ];
  if (f.transitions) {
    out.push(`  line  re-ran       seconds      step`);
    for (const s of f.steps)
      out.push(
        `  ${String(s.range.start.line + 1).padStart(4)}  ${`${s.misses}/${f.transitions}`.padStart(7)} ${`${Math.round(s.missRate * 100)}%`.padStart(4)}  ${secs(s).padStart(11)}  ${s.instruction}`,
      );
    const est = f.steps.some((s) => s.secondsSource === 'estimate') ? ' (estimate)' : '';
    out.push(`  expected cost per build: ${f.expectedSecondsPerBuild.toFixed(1)} s${est}`);
    const changing = f.fixes.filter((x) => Math.abs(x.secondsSavedPerBuild) >= 0.05);
    if (changing.length) {
      out.push('  fixes, by seconds saved per build:');
      for (const x of changing)
        out.push(
          `    ${x.secondsSavedPerBuild >= 0 ? 'saves' : 'costs'} ${Math.abs(x.secondsSavedPerBuild).toFixed(1)} s${est}  ${x.rule} ${x.title}`,
        );
    }
    const still = f.fixes.length - changing.length;
    if (still)
      out.push(
        `  ${still} other fix${still === 1 ? '' : 'es'} change${still === 1 ? 's' : ''} no step's forecast (see --format json)`,
      );
  }
  return out;
}

/**
 * The background job's entry (`server.js --forecast-worker ROOT DOCKERFILE COMMITS`: the
 * packaged extension ships the server bundle only): prints the JSON contract for one
 * Dockerfile, or one line on stderr and exit code 2.
 */
export function forecastWorker(args: string[], write: (s: string) => void, fail: (s: string) => void): number {
  const [root, dockerfile, commits] = args;
  if (!root || !dockerfile) {
    fail('usage: --forecast-worker ROOT DOCKERFILE [COMMITS]');
    return 2;
  }
  try {
    const ws = new Workspace(root);
    const text = ws.fs.readFile(dockerfile, MAX_FILE_BYTES);
    if (text === undefined) throw new ForecastUnavailable(`cannot read ${dockerfile}`);
    const f = forecastDockerfile(ws, dockerfile, text, { commits: Number(commits) || undefined });
    write(
      JSON.stringify({
        version: 1,
        dockerfiles: [forecastJson(f, path.relative(root, dockerfile).split(path.sep).join('/'))],
      }),
    );
    return 0;
  } catch (e) {
    fail(e instanceof ForecastUnavailable ? e.message : `internal error: ${(e as Error).stack ?? e}`);
    return 2;
  }
}
