// Applying fixes: the same edits the editor's code actions carry, applied by
// `cachelens fix` and by fix-all, in a stable order until nothing changes.

import { applyEdits, comparePositions, type Range } from '../parse/text';
import type { Finding, Fix } from '../rules/rule';
import type { ContextView } from '../context/view';
import { lint, type LintInput, type LintOptions, type LintResult } from './lint';

export interface AppliedFix {
  rule: string;
  title: string;
  /** the file the finding sat in */
  path: string;
  /** the files its edits changed */
  changed: string[];
}

export interface FixAllResult {
  /** new text per changed file path (the Dockerfile and/or its ignore file) */
  files: Map<string, string>;
  /** files the fixes create */
  created: Set<string>;
  applied: AppliedFix[];
  /** passes run until nothing changed */
  passes: number;
  /**
   * findings (summed over the passes) whose first fix was left out because it is unsafe; 0 in a
   * safe run means an unsafe run would have made the same choices in every pass
   */
  heldBack: number;
}

export interface FixAllOptions {
  /** also apply fixes that change what is built (a new stage, a new base image) */
  unsafe?: boolean;
  /** rebuild the lint input after a pass changed files (the context depends on the ignore file) */
  reinput?: (files: Map<string, string>) => LintInput;
  maxPasses?: number;
  /** the caller's lint of `input` with the same options: the first pass uses it instead of linting again */
  firstLint?: LintResult;
}

function overlaps(a: Range, b: Range): boolean {
  return (
    (comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0) ||
    (comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0)
  );
}

/** Picks fixes whose edits do not overlap earlier picks and applies them; returns the new texts. */
export function applyFixes(
  read: (path: string) => string | undefined,
  fixes: Fix[],
): { files: Map<string, string>; applied: Fix[]; created: Set<string> } {
  const chosen: Fix[] = [];
  const taken: { path: string; range: Range }[] = [];
  for (const fix of fixes) {
    const clash = fix.edits.some((e) => taken.some((t) => t.path === e.path && overlaps(t.range, e.range)));
    if (clash) continue;
    chosen.push(fix);
    taken.push(...fix.edits.map((e) => ({ path: e.path, range: e.range })));
  }
  const files = new Map<string, string>();
  const created = new Set<string>();
  const paths = new Set(chosen.flatMap((f) => f.edits.map((e) => e.path)));
  for (const f of chosen) if (f.createFile) created.add(f.createFile);
  for (const path of paths) {
    const before = read(path) ?? '';
    const edits = chosen.flatMap((f) => f.edits.filter((e) => e.path === path));
    files.set(path, applyEdits(before, edits));
  }
  return { files, applied: chosen, created };
}

/** Fix-all: applies every safe preferred fix, pass after pass, until the text stops changing. */
export function fixAll(input: LintInput, options: LintOptions = {}, fixOptions: FixAllOptions = {}): FixAllResult {
  const files = new Map<string, string>([[input.path, input.text]]);
  const created = new Set<string>();
  const applied: AppliedFix[] = [];
  let current = input;
  let passes = 0;
  let heldBack = 0;
  const maxPasses = fixOptions.maxPasses ?? 10;
  while (passes < maxPasses) {
    passes++;
    const { findings } = passes === 1 && fixOptions.firstLint ? fixOptions.firstLint : lint(current, options);
    if (!fixOptions.unsafe) heldBack += findings.filter((f) => f.fixes.length && !f.fixes[0].safe).length;
    const candidates = pickFixes(findings, !!fixOptions.unsafe);
    if (!candidates.length) break;
    const read = (p: string) =>
      files.get(p) ?? (p === current.context?.ignore?.path ? current.context.ignore.text : undefined);
    const result = applyFixes(
      read,
      candidates.map((c) => c.fix),
    );
    let changed = false;
    for (const [path, text] of result.files) {
      if (read(path) !== text || result.created.has(path)) changed = true;
      files.set(path, text);
    }
    for (const c of result.created) created.add(c);
    for (const fix of result.applied) {
      const from = candidates.find((c) => c.fix === fix)!;
      applied.push({
        rule: from.rule,
        title: fix.title,
        path: from.path,
        changed: [...new Set([...fix.edits.map((e) => e.path), ...(fix.createFile ? [fix.createFile] : [])])],
      });
    }
    if (!changed) break;
    current = fixOptions.reinput ? fixOptions.reinput(files) : { ...current, text: files.get(input.path)! };
  }
  for (const [path, text] of [...files]) if (path === input.path && text === input.text) files.delete(path);
  return { files, created, applied, passes, heldBack };
}

function pickFixes(findings: Finding[], unsafe: boolean): { rule: string; path: string; fix: Fix }[] {
  const out: { rule: string; path: string; fix: Fix }[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe || unsafe);
    if (fix) out.push({ rule: f.rule, path: f.path, fix });
  }
  return out;
}

/**
 * Fix-all against a build context that follows the edits: the context is rebuilt
 * from the changed files after each pass (a fixed ignore file changes what the
 * rules see). The one re-analysis loop the server, the CLI and the rule tests use.
 * `contextOf` gets the files changed so far (none for the first pass).
 */
export function fixAllInContext(
  input: { path: string; text: string },
  contextOf: (changed: ReadonlyMap<string, string>) => ContextView | undefined,
  options: LintOptions = {},
  fixOptions: Omit<FixAllOptions, 'reinput'> = {},
): FixAllResult {
  const { path, text } = input;
  return fixAll({ path, text, context: contextOf(new Map()) }, options, {
    ...fixOptions,
    reinput: (files) => ({ path, text: files.get(path) ?? text, context: contextOf(files) }),
  });
}
