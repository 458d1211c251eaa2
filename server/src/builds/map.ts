// Maps a build log's steps onto a Dockerfile's instructions (parse/ model).
//
// Which instructions a builder numbers (confirmed in the sources):
// - BuildKit, frontend/dockerfile/dockerfile2llb/convert.go: per stage,
//   `total := 1 if BaseName != "scratch" && base == nil` (a FROM of an image,
//   not of an earlier stage), `+1` for each AddCommand, CopyCommand,
//   RunCommand and WorkdirCommand; unnamed stages are `stage-<i>`; with one
//   stage in the file the name is dropped (`[2/5] RUN …`); the name is
//   `uppercaseCmd(processCmdEnv(…))`, so ARG/ENV values show substituted. Two
//   stages FROM the same image share one LLB vertex, printed once.
// - buildah, imagebuildah/stage_executor.go: every instruction of a stage,
//   FROM included, is a STEP (`STEP k/m`), printed as written.
// A log step is matched to the instruction at its number; when the count or
// the text differs, the line is reported as no longer matching, not guessed.

import type { DockerfileModel, Instruction, Stage } from '../parse/dockerfile';
import type { Range } from '../parse/text';
import type { LogBuild, LogVertex, StepStatus } from './log';

export interface MappedStep {
  range: Range;
  instruction: string;
  stage: string;
  status: StepStatus;
  seconds: number | null;
}

export interface Mismatch {
  /** the Dockerfile line the log step was numbered onto, when there is one */
  range: Range | null;
  instruction: string | null;
  logged: string;
  reason: string;
}

export interface MappedBuild {
  dockerfile: string;
  builder: 'buildkit' | 'buildah';
  steps: MappedStep[];
  firstMiss: { range: Range; instruction: string } | null;
  seconds: { total: number | null; executed: number | null };
  /** only when some log steps did not match the Dockerfile */
  mismatches?: Mismatch[];
  /** numbered steps the log started but never finished (a cut log) */
  unfinished?: number;
}

/** The first line of an instruction as a builder names it: continuations joined, whitespace collapsed. */
export function instructionLabel(ins: Instruction): string {
  const lines = ins.text.split(/\r?\n/);
  const out: string[] = [];
  const heredoc = /<<-?["']?[A-Za-z_]/.test(lines[0]);
  for (const l of lines) {
    if (out.length && /^\s*#/.test(l)) continue; // comment lines inside a continuation
    const cont = /\\\s*$/.test(l);
    out.push(cont ? l.replace(/\\\s*$/, '') : l);
    if (!cont || heredoc) break;
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

function stageLabel(_model: DockerfileModel, stage: Stage): string {
  return stage.name ? stage.name.toLowerCase() : `stage-${stage.index}`;
}

function fromsStage(model: DockerfileModel, stage: Stage): boolean {
  const earlier = model.stages.slice(0, stage.index);
  const ref = stage.image.toLowerCase();
  return earlier.some((s) => s.name?.toLowerCase() === ref);
}

/** The instructions BuildKit numbers in a stage, in order. */
export function buildkitNumbered(model: DockerfileModel, stage: Stage): Instruction[] {
  const out: Instruction[] = [];
  if (stage.image.toLowerCase() !== 'scratch' && !fromsStage(model, stage)) out.push(stage.from);
  for (const ins of stage.instructions) if (['ADD', 'COPY', 'RUN', 'WORKDIR'].includes(ins.keyword)) out.push(ins);
  return out;
}

/** The instructions buildah numbers in a stage: all of them. */
export function buildahNumbered(stage: Stage): Instruction[] {
  return [stage.from, ...stage.instructions];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function normalizeImage(s: string): string {
  return s
    .replace(/@sha256:[0-9a-f]+/gi, '')
    .replace(/\b(?:docker\.io\/library\/|docker\.io\/|index\.docker\.io\/library\/)/gi, '')
    .replace(/:latest\b/gi, '')
    .replace(/\s+AS\s+\S+\s*$/i, '')
    .trim();
}

/** Does the logged text name this instruction? `$VAR`/`${VAR}` in the Dockerfile match any substituted value. */
export function textMatches(ins: Instruction, logged: string): boolean {
  let want = instructionLabel(ins);
  let got = logged.replace(/\s+/g, ' ').trim();
  const kw = ins.keyword;
  if (got.split(' ')[0].toUpperCase() !== kw) return false;
  if (kw === 'FROM') {
    want = normalizeImage(want.replace(/--platform=\S+\s*/i, ''));
    got = normalizeImage(got);
  }
  if (want.toLowerCase() === got.toLowerCase()) return true;
  // variables: any text, lazily; whitespace: any run
  const parts = want.split(/(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\s+)/);
  const pattern = parts.map((p) => (p.startsWith('$') ? '.*?' : /^\s+$/.test(p) ? '\\s*' : escapeRe(p))).join('');
  try {
    return new RegExp(`^${pattern}$`, 'is').test(got);
  } catch {
    return false;
  }
}

function statusOf(v: LogVertex, isFrom: boolean): StepStatus | undefined {
  if (v.error) return 'error';
  if (v.canceled) return 'canceled';
  if (isFrom && (v.done || v.cached)) return 'resolved';
  if (v.cached) return 'cached';
  if (v.done) return 'executed';
  return undefined;
}

const rangeLine = (r: Range) => r.start.line;

/**
 * Maps one build's numbered steps onto the model. `dockerfile` is the path
 * shown in the result.
 */
export function mapBuild(build: LogBuild, model: DockerfileModel, dockerfile: string): MappedBuild {
  return mapBuildWithNames(build, model, dockerfile).build;
}

interface Ctx {
  build: LogBuild;
  model: DockerfileModel;
  numbered: Instruction[][];
  single: boolean;
}

function findStage(c: Ctx, v: LogVertex): Stage | undefined {
  if (c.build.builder === 'buildah') return c.model.stages[Number(v.tags[0])];
  const name = v.tags[v.tags.length - 1];
  if (name === undefined) return c.single ? c.model.stages[0] : undefined;
  // BuildKit names no stage when the file has one: a name means a multi-stage file
  return c.model.stages.find((s) => !c.single && stageLabel(c.model, s) === name.toLowerCase());
}

/** The instruction a numbered vertex stands for, or why it matches none; undefined for a vertex that is no step. */
function locate(c: Ctx, v: LogVertex): { ins: Instruction; stage: Stage } | Mismatch | undefined {
  if (v.sourceLines) {
    // provenance: the exact source line
    const ins = c.model.instructions.find((i) => rangeLine(i.range) === v.sourceLines!.start - 1);
    if (ins && textMatches(ins, v.text)) return { ins, stage: ins.stage! };
    return {
      range: ins?.range ?? null,
      instruction: ins ? instructionLabel(ins) : null,
      logged: v.text,
      reason: ins ? 'the line now holds another instruction' : `no instruction at line ${v.sourceLines.start}`,
    };
  }
  if (v.index === undefined || v.total === undefined) return undefined; // not a Dockerfile step
  const stage = findStage(c, v);
  if (!stage)
    return {
      range: null,
      instruction: null,
      logged: v.name,
      reason: `no stage ${v.tags[v.tags.length - 1] ?? '(unnamed)'} in the Dockerfile`,
    };
  const list = c.numbered[stage.index];
  const ins = list[v.index - 1];
  if (list.length === v.total && ins && textMatches(ins, v.text)) return { ins, stage };
  return {
    range: ins?.range ?? null,
    instruction: ins ? instructionLabel(ins) : null,
    logged: v.text,
    reason:
      list.length !== v.total
        ? `the log's stage has ${v.total} numbered steps, the Dockerfile's ${list.length}`
        : 'the instruction text differs',
  };
}

// BuildKit solves identical LLB once: two stages FROM the same image share the FROM vertex,
// and as long as their numbered instructions are the same, the vertices after it too;
// only the first stage's are printed. The others share their status (time counted once).
function shareTwinStages(c: Ctx, byIns: Map<Instruction, MappedStep>, steps: MappedStep[]): void {
  for (const s of c.model.stages) {
    const mine = c.numbered[s.index];
    if (!mine.length || mine[0] !== s.from) continue;
    const twin = c.model.stages.find(
      (o) =>
        o !== s &&
        byIns.has(o.from) &&
        c.numbered[o.index][0] === o.from &&
        normalizeImage(o.image) === normalizeImage(s.image),
    );
    if (!twin) continue;
    const theirs = c.numbered[twin.index];
    for (let i = 0; i < mine.length && i < theirs.length; i++) {
      if (i > 0 && instructionLabel(mine[i]) !== instructionLabel(theirs[i])) break;
      if (byIns.has(mine[i])) continue;
      const t = byIns.get(theirs[i]);
      if (!t) break;
      const step: MappedStep = {
        range: mine[i].range,
        instruction: instructionLabel(mine[i]),
        stage: stageLabel(c.model, s),
        status: t.status,
        seconds: null,
      };
      byIns.set(mine[i], step);
      steps.push(step);
    }
  }
}

function summarize(
  dockerfile: string,
  builder: LogBuild['builder'],
  steps: MappedStep[],
  mismatches: Mismatch[],
  unfinished: number,
): MappedBuild {
  steps.sort((a, b) => a.range.start.line - b.range.start.line);
  // a miss below a line that no longer matches is not known to be the first one
  const firstMismatch = mismatches.some((m) => !m.range)
    ? -1
    : Math.min(Infinity, ...mismatches.map((m) => m.range!.start.line));
  const miss = steps.find((s) => s.status === 'executed' && (!mismatches.length || s.range.start.line < firstMismatch));
  const timed = steps.filter((s) => s.seconds !== null);
  const executed = steps.filter((s) => s.status === 'executed' && s.seconds !== null);
  const sum = (xs: MappedStep[]) => Math.round(xs.reduce((a, s) => a + (s.seconds ?? 0), 0) * 10) / 10;
  const out: MappedBuild = {
    dockerfile,
    builder,
    steps,
    firstMiss: miss ? { range: miss.range, instruction: miss.instruction } : null,
    seconds: {
      total: timed.length ? sum(timed) : null,
      executed: executed.length ? sum(executed) : timed.length ? 0 : null,
    },
  };
  if (mismatches.length) out.mismatches = mismatches;
  if (unfinished) out.unfinished = unfinished;
  return out;
}

/** mapBuild, plus the text each mapped step had in the log (for saved builds). */
export function mapBuildWithNames(
  build: LogBuild,
  model: DockerfileModel,
  dockerfile: string,
): { build: MappedBuild; logged: { line: number; text: string }[] } {
  const logged: { line: number; text: string }[] = [];
  const steps: MappedStep[] = [];
  const mismatches: Mismatch[] = [];
  let unfinished = 0;
  const c: Ctx = {
    build,
    model,
    numbered: model.stages.map((s) => (build.builder === 'buildah' ? buildahNumbered(s) : buildkitNumbered(model, s))),
    single: model.stages.length === 1,
  };
  const byIns = new Map<Instruction, MappedStep>();
  for (const v of build.vertices) {
    if (v.internal) continue;
    const at = locate(c, v);
    if (!at) continue;
    if (!('ins' in at)) {
      mismatches.push(at);
      continue;
    }
    const { ins, stage } = at;
    const status = statusOf(v, ins.keyword === 'FROM');
    if (!status) {
      unfinished++;
      continue;
    }
    if (byIns.has(ins)) continue;
    const step: MappedStep = {
      range: ins.range,
      instruction: instructionLabel(ins),
      stage: stageLabel(model, stage),
      status,
      seconds: v.seconds,
    };
    byIns.set(ins, step);
    steps.push(step);
    logged.push({ line: ins.range.start.line, text: v.text.replace(/\s+/g, ' ').trim() });
  }
  if (build.builder === 'buildkit') shareTwinStages(c, byIns, steps);
  return { build: summarize(dockerfile, build.builder, steps, mismatches, unfinished), logged };
}

/** How well a build fits a model: matched steps minus mismatched ones (to pick among candidate Dockerfiles). */
export function fitScore(m: MappedBuild): number {
  return m.steps.length - 2 * (m.mismatches?.length ?? 0);
}
