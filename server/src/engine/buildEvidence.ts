// The last saved build (`.cachelens/builds/`) of a Dockerfile, laid onto its
// current text for the editor: per-instruction status and seconds (inlay
// hints, the hover's "Last build" line) and the first miss with its cause (an
// information diagnostic). Steps whose line no longer holds the same
// instruction are matched by text within their stage, else left out.

import * as path from 'node:path';
import { instructionLabel } from '../builds/map';
import { loadBuilds, type MissCause, type SavedBuild } from '../builds/save';
export { loadBuilds };
import type { StepStatus } from '../builds/log';
import type { DockerfileModel, Instruction } from '../parse/dockerfile';
import type { Range } from '../parse/text';
import { copyWith } from '../rules/util/lazyFixes';

export interface StepEvidence {
  instruction: Instruction;
  status: StepStatus;
  seconds: number | null;
}

export interface BuildEvidence {
  savedAt: string;
  gitRevision: string | null;
  builder: string;
  /** by instruction index */
  steps: Map<number, StepEvidence>;
  firstMiss?: {
    instruction: Instruction;
    range: Range;
    seconds: number | null;
    cause?: MissCause;
    laterSeconds: number;
  };
}

export class SavedBuildCache {
  private byRoot = new Map<string, SavedBuild[]>();

  /** Records of every Dockerfile under root, oldest first (read once until invalidated). */
  records(root: string): SavedBuild[] {
    let recs = this.byRoot.get(root);
    if (!recs) {
      recs = loadBuilds(root);
      this.byRoot.set(root, recs);
    }
    return recs;
  }

  /** A file changed: drop the root's records when it is a saved build. */
  onFileChanged(root: string, file: string): boolean {
    const rel = path.relative(root, file).split(path.sep);
    if (rel[0] === '.cachelens' && rel[1] === 'builds') {
      this.byRoot.delete(root);
      return true;
    }
    return false;
  }

  clear(): void {
    this.byRoot.clear();
  }

  evidence(root: string, dockerfileAbs: string, model: DockerfileModel): BuildEvidence | undefined {
    const rec = this.recordsOf(root, dockerfileAbs).at(-1);
    return rec ? evidenceFor(rec, model) : undefined;
  }

  recordsOf(root: string, dockerfileAbs: string): SavedBuild[] {
    const all = this.records(root);
    // no saved build (most workspaces): every keystroke asks twice, the path is not worked out
    if (!all.length) return [];
    const rel = path.relative(root, dockerfileAbs).split(path.sep).join('/');
    return all.filter((r) => r.dockerfile === rel);
  }
}

export function evidenceFor(rec: SavedBuild, model: DockerfileModel): BuildEvidence {
  const steps = new Map<number, StepEvidence>();
  const stageOf = (ins: Instruction) =>
    ins.stage ? (ins.stage.name?.toLowerCase() ?? `stage-${ins.stage.index}`) : '';
  const place = (line: number, instruction: string, stage: string): Instruction | undefined => {
    const at = model.instructions.find((i) => i.range.start.line === line);
    if (at && instructionLabel(at) === instruction && !steps.has(at.index)) return at;
    const same = model.instructions.filter(
      (i) => instructionLabel(i) === instruction && stageOf(i) === stage && !steps.has(i.index),
    );
    return same.length === 1 ? same[0] : undefined;
  };
  for (const s of rec.steps) {
    const ins = place(s.range.start.line, s.instruction, s.stage);
    if (ins) steps.set(ins.index, { instruction: ins, status: s.status, seconds: s.seconds });
  }
  const ev: BuildEvidence = { savedAt: rec.savedAt, gitRevision: rec.gitRevision, builder: rec.builder, steps };
  const fm = rec.firstMiss as (SavedBuild['firstMiss'] & { cause?: MissCause }) | null;
  if (fm) {
    const missStep = rec.steps.find((s) => s.range.start.line === fm.range.start.line);
    const ins = missStep
      ? [...steps.values()].find(
          (e) =>
            e.instruction.range.start.line === fm.range.start.line ||
            instructionLabel(e.instruction) === fm.instruction,
        )?.instruction
      : undefined;
    if (ins && missStep) {
      const later = rec.steps
        .filter((s) => s.status === 'executed' && s !== missStep)
        .reduce((a, s) => a + (s.seconds ?? 0), 0);
      ev.firstMiss = {
        instruction: ins,
        range: ins.range,
        seconds: missStep.seconds,
        cause: fm.cause ?? rec.cause,
        laterSeconds: Math.round(later * 10) / 10,
      };
    }
  }
  return ev;
}

const secs = (s: number | null) => (s === null ? '' : ` ${s < 10 ? s.toFixed(1) : Math.round(s)} s`);

/** `cached`, `ran 6.3 s`, `failed`… for an inlay hint. */
export function stepLabel(e: StepEvidence): string {
  switch (e.status) {
    case 'executed':
      return `ran${secs(e.seconds)}`;
    case 'cached':
      return 'cached';
    case 'error':
      return 'failed';
    case 'canceled':
      return 'canceled';
    case 'resolved':
      return 'base image';
  }
}

/** The hover's "Last build" paragraph for an instruction, when the last saved build has it. */
export function lastBuildHover(ev: BuildEvidence, ins: Instruction): string | undefined {
  const e = ev.steps.get(ins.index);
  if (!e) return undefined;
  const when = `${ev.savedAt.slice(0, 16).replace('T', ' ')} UTC${ev.gitRevision ? `, \`${ev.gitRevision.slice(0, 7)}\`` : ''}`;
  let text = `**Last build** (${ev.builder}, imported ${when}): ${stepLabel(e)}.`;
  if (ev.firstMiss?.instruction === ins)
    text += ` The build's first cache miss${ev.firstMiss.cause ? `: ${ev.firstMiss.cause.message}` : ''}.`;
  return text;
}

/** The information diagnostic's message on the first miss. */
export function firstMissMessage(ev: BuildEvidence): string | undefined {
  const fm = ev.firstMiss;
  if (!fm) return undefined;
  const later = fm.laterSeconds ? `; the steps after it ran ${fm.laterSeconds} s` : '';
  const cause = fm.cause ? ` Why: ${fm.cause.message}.` : '';
  return `Last build's first cache miss: this step ran${secs(fm.seconds)}${later}.${cause}`;
}

/**
 * Seconds each instruction took the last time a saved build ran it (any saved
 * build of this Dockerfile, newest wins), by instruction index.
 */
export function measuredSeconds(records: SavedBuild[], model: DockerfileModel): Map<number, number> {
  const out = new Map<number, number>();
  for (const rec of records) {
    for (const e of evidenceFor(rec, model).steps.values())
      if (e.status === 'executed' && e.seconds !== null) out.set(e.instruction.index, e.seconds);
  }
  return out;
}

/**
 * What a miss at `ins` cost in measured builds: its own seconds and those of
 * every later step of its stage (a miss re-runs them all). Undefined when none
 * of them was ever measured.
 */
export function measuredCost(measured: Map<number, number>, ins: Instruction): number | undefined {
  const stage = ins.stage;
  if (!stage || !measured.size) return undefined;
  let sum = 0;
  let any = false;
  for (const i of [stage.from, ...stage.instructions]) {
    if (i.index < ins.index) continue;
    const s = measured.get(i.index);
    if (s !== undefined) {
      sum += s;
      any = true;
    }
  }
  return any ? Math.round(sum * 10) / 10 : undefined;
}

/** The suffix a finding's message gets when its instruction's cost was measured. */
export function costSuffix(seconds: number): string {
  return ` (a miss here re-runs ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s of steps in the saved builds)`;
}

/** Measured cost per finding (by its instruction), for the editor and `check --sort cost`. */
export function findingCosts<F extends { range: Range }>(
  findings: F[],
  model: DockerfileModel,
  records: SavedBuild[],
): Map<F, number> {
  const measured = measuredSeconds(records, model);
  const out = new Map<F, number>();
  if (!measured.size) return out;
  for (const f of findings) {
    const ins = model.instructions.find(
      (i) => i.range.start.line <= f.range.start.line && f.range.start.line <= i.range.end.line,
    );
    const cost = ins ? measuredCost(measured, ins) : undefined;
    if (cost !== undefined) out.set(f, cost);
  }
  return out;
}

/** Findings whose instruction's cost was measured get it in their message; returns the copies and their costs. */
export function withMeasuredCosts<F extends { range: Range; message: string }>(
  findings: F[],
  model: DockerfileModel,
  records: SavedBuild[],
): { findings: F[]; cost: (f: F) => number } {
  const costs = findingCosts(findings, model, records);
  const copies = new Map<F, number>();
  const out = findings.map((f) => {
    const c = costs.get(f);
    if (c === undefined) return f;
    // a spread would compute lazy fixes on every publish
    const copy = copyWith(f, { message: f.message + costSuffix(c) } as Partial<F>);
    copies.set(copy, c);
    return copy;
  });
  return { findings: out, cost: (f) => copies.get(f) ?? -1 };
}
