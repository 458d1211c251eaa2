// lint(): runs the rules over one Dockerfile and its build context, applies
// settings and suppressions. No LSP here: the server and the CLI both call it.

import { parseDockerfile, type DockerfileModel } from '../parse/dockerfile';
import { analyzeCache, type CacheAnalysis } from '../cache/analysis';
import { RULES, ruleById } from '../rules/registry';
import type { Finding, Fix, Report, Rule, Severity } from '../rules/rule';
import type { ContextView } from '../context/view';
import { readSuppressions, type Suppression } from './suppressions';
import { missingSources } from '../cache/sources';
import { collate } from './collate';
import { defineLazyFixes, mapFixes } from '../rules/util/lazyFixes';

export type RuleSetting = Severity | 'off';

export interface LintOptions {
  /** per-rule severity or 'off' */
  rules?: Record<string, RuleSetting>;
}

export interface LintInput {
  /** absolute path or document key of the Dockerfile */
  path: string;
  text: string;
  context?: ContextView;
  /** the text already parsed (parseDockerfile(text)), so a caller that needed the model first does not parse twice */
  model?: DockerfileModel;
}

export interface LintResult {
  model: DockerfileModel;
  cache: CacheAnalysis;
  findings: Finding[];
  /** rules that threw, with the error: reported once, never fatal */
  errors: { rule: string; message: string }[];
  /** set when the text was too large to analyse: why, in words (no findings then) */
  skipped?: string;
  /** the context as the rules saw it (marked uncertain when sources are missing from it) */
  context?: ContextView;
}

export function lint(input: LintInput, options: LintOptions = {}): LintResult {
  const model = input.model ?? parseDockerfile(input.text);
  const cache = cacheAnalysisOf(model);
  if (model.skipped) return { model, cache, findings: [], errors: [], skipped: model.skipped };
  const raw: Finding[] = [];
  const errors: LintResult['errors'] = [];
  const context = withUncertainty(model, input.context);
  for (const rule of RULES) {
    const setting = options.rules?.[rule.id];
    if (setting === 'off') continue;
    if (rule.needsContext && !context) continue;
    const report = (r: Report) =>
      raw.push(toFinding(rule, setting ?? r.severity ?? rule.defaultSeverity, input.path, r, errors));
    try {
      rule.check({ path: input.path, dockerfile: model, context, cache, report });
    } catch (e) {
      errors.push({ rule: rule.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (context?.uncertain) withholdContextFixes(input.path, input.text, raw);
  withholdFixesOnLoneCR(input, raw);
  const findings = applySuppressions(input, model, withoutTemplateLines(input.path, model, raw), options);
  findings.sort(
    (a, b) =>
      collate(a.path, b.path) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      collate(a.rule, b.rule),
  );
  return { model, cache, findings, errors, context };
}

/** the cache analysis of each model: a Dockerfile linted in several build contexts shares one model and one analysis */
const cacheAnalyses = new WeakMap<DockerfileModel, CacheAnalysis>();

function cacheAnalysisOf(model: DockerfileModel): CacheAnalysis {
  let cache = cacheAnalyses.get(model);
  if (!cache) {
    cache = analyzeCache(model);
    cacheAnalyses.set(model, cache);
  }
  return cache;
}

/**
 * The context as the rules see it: marked uncertain when COPY/ADD sources
 * match nothing in it (CL109 reports them). Computed here, once, so that every
 * rule and message helper reads the same answer.
 */
function withUncertainty(model: DockerfileModel, context: ContextView | undefined): ContextView | undefined {
  if (!context) return undefined;
  let missing: ReturnType<typeof missingSources>;
  try {
    missing = missingSources(model, context);
  } catch {
    return context;
  }
  return missing.length ? { ...context, uncertain: { missing } } : context;
}

const COPY_LINE = /^\s*(COPY|ADD)\s/i;

/**
 * In an uncertain context the file lists may be another folder's: no fix
 * writes or creates an ignore file from them, and a Dockerfile fix that writes
 * a COPY/ADD the file does not have (a manifest split names the manifests and
 * lockfiles it found there) is offered, but not as safe: the real context may
 * hold a lockfile this one lacks. Moves of existing lines stay safe.
 */
function withholdContextFixes(dockerfile: string, text: string, findings: Finding[]): void {
  // the Dockerfile's lines, split once and only when some finding's fixes are read
  let existing: Set<string> | undefined;
  const writesNewCopy = (fix: Fix) =>
    fix.edits.some((e) =>
      e.newText.split(/\r\n|\r|\n/).some((l) => {
        if (!COPY_LINE.test(l)) return false;
        existing ??= new Set(text.split(/\r\n|\r|\n/).map((t) => t.trim()));
        return !existing.has(l.trim());
      }),
    );
  const withheld = (fixes: Fix[]) =>
    fixes
      .filter((x) => !x.createFile && x.edits.every((e) => e.path === dockerfile))
      .map((x) =>
        x.safe && writesNewCopy(x)
          ? {
              ...x,
              safe: false,
              isPreferred: false,
              title: `${x.title} (check the paths: the build context is uncertain)`,
            }
          : x,
      );
  for (const f of findings) mapFixes(f, withheld);
}

const TEMPLATE_SYNTAX = /\{\{|\{%|%\}|\}\}/;

/**
 * A template (`Dockerfile.j2` analysed because it was named) holds `{{ }}` and
 * `{% %}` that a renderer replaces: findings on those instructions would be
 * about the placeholders (`{{` as an image, `{{` as a source). They are dropped.
 */
function withoutTemplateLines(dockerfile: string, model: DockerfileModel, findings: Finding[]): Finding[] {
  if (!TEMPLATE_SYNTAX.test(model.text)) return findings;
  const templated = model.instructions.filter((i) => TEMPLATE_SYNTAX.test(i.text)).map((i) => i.range);
  if (!templated.length) return findings;
  return findings.filter(
    (f) =>
      f.path !== dockerfile ||
      !templated.some((r) => f.range.start.line >= r.start.line && f.range.start.line <= r.end.line),
  );
}

const LONE_CR = /\r(?!\n)/;

/**
 * A lone CR ends a line for the editor (LSP) and for dockerfile-ast, but not
 * for Docker's .dockerignore reader, and several fixes compute their edits on
 * lines. Rather than risk an edit on the wrong line, files with a lone CR get
 * their findings without fixes (found by the fuzzer).
 */
function withholdFixesOnLoneCR(input: LintInput, findings: Finding[]): void {
  const risky = new Set<string>();
  if (LONE_CR.test(input.text)) risky.add(input.path);
  if (input.context?.ignore && LONE_CR.test(input.context.ignore.text)) risky.add(input.context.ignore.path);
  if (!risky.size) return;
  for (const f of findings)
    if (risky.has(f.path) || f.fixes.some((x) => x.edits.some((e) => risky.has(e.path)))) f.fixes = [];
}

/**
 * `errors`: where a fix builder that throws when its fixes are read is
 * recorded (the lint result's list, read by the CLI after it reads the fixes);
 * the finding then has no fixes, as a rule error loses no other finding.
 */
function toFinding(rule: Rule, severity: Severity, path: string, r: Report, errors?: LintResult['errors']): Finding {
  const finding = { rule: rule.id, related: [], fixes: [], path, ...r, severity } as Finding;
  // a function: the same key in the same place, computed when read
  const build = r.fixes;
  if (typeof build === 'function')
    defineLazyFixes(finding, () => {
      try {
        return build();
      } catch (e) {
        errors?.push({ rule: rule.id, message: `fix: ${e instanceof Error ? e.message : String(e)}` });
        return [];
      }
    });
  return finding;
}

function applySuppressions(input: LintInput, model: DockerfileModel, raw: Finding[], options: LintOptions): Finding[] {
  const byFile = new Map<string, Suppression[]>();
  byFile.set(input.path, readSuppressions(input.text, model.lines));
  if (input.context?.ignore) byFile.set(input.context.ignore.path, readSuppressions(input.context.ignore.text));
  const used = new Set<Suppression>();
  const kept = raw.filter((f) => {
    const hit = (byFile.get(f.path) ?? []).find(
      (s) => s.ids.includes(f.rule) && (s.global || s.appliesToLine === f.range.start.line),
    );
    if (hit) used.add(hit);
    return !hit;
  });
  const meta: Finding[] = [];
  for (const [path, suppressions] of byFile) {
    for (const s of suppressions) {
      const unknown = s.ids.filter((id) => !ruleById(id));
      if (unknown.length && options.rules?.CL901 !== 'off')
        meta.push(
          toFinding(ruleById('CL901')!, options.rules?.CL901 ?? 'warning', path, {
            message: `Unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in suppression: nothing is suppressed by ${unknown.length > 1 ? 'them' : 'it'}.`,
            range: s.range,
          }),
        );
      else if (!used.has(s) && options.rules?.CL902 !== 'off' && s.ids.every((id) => options.rules?.[id] !== 'off'))
        meta.push(
          toFinding(ruleById('CL902')!, options.rules?.CL902 ?? 'info', path, {
            message: `This suppression of ${s.ids.join(', ')} hides no finding; remove it.`,
            range: s.range,
            unnecessary: true,
            fixes: [
              { title: 'Remove unused suppression', safe: true, edits: [{ path, range: s.lineRange, newText: '' }] },
            ],
          }),
        );
    }
  }
  return [...kept, ...meta];
}
