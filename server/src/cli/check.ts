// `cachelens check`: every target analysed in its workspace, findings grouped
// per file (an ignore file several Dockerfiles share gets one finding per rule
// and spot), printed as text, JSON, SARIF or a CI format; the exit code says
// whether any finding reached --fail-on.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDockerfileTemplateName } from '../engine/names';
import { mergeSharedFindings } from '../engine/merge';
import { contextSummary } from '../engine/hover';
import { loadBuilds, withMeasuredCosts } from '../engine/buildEvidence';
import type { Session } from '../engine/session';
import { ruleById } from '../rules/registry';
import type { Finding, Severity } from '../rules/rule';
import { FORMATS } from '../formats/registry';
import { InputError, LOOKED_FOR, UsageError, rel, ruleSettings, type FileReport, type Flags, type Out } from './args';
import { readText, targetsFor, type Target } from './targets';
import { sarif } from './sarif';

const ORDER: Record<string, number> = { error: 0, warning: 1, info: 2, hint: 3, never: -1 };

function checkOptions(flags: Flags) {
  const format = flags.format?.[0] ?? 'text';
  const formats = ['text', 'json', 'sarif', ...Object.keys(FORMATS)];
  if (!formats.includes(format))
    throw new InputError(`unknown --format ${format}; use ${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}`);
  const failOn = flags['fail-on']?.[0] ?? 'warning';
  if (!(failOn in ORDER)) throw new UsageError(`--fail-on must be error, warning, info, hint or never, not ${failOn}`);
  const rules = ruleSettings(flags);
  const sort = flags.sort?.at(-1);
  if (sort !== undefined && sort !== 'cost' && sort !== 'line')
    throw new UsageError(`--sort must be cost or line, not ${sort}`);
  return { format, failOn, rules, sortByCost: sort === 'cost' };
}

type CheckOptions = ReturnType<typeof checkOptions>;

/** Per-file reports of every target, the measured cost of each finding, and warnings for stderr. */
class CheckRun {
  readonly reports = new Map<string, FileReport>();
  readonly costs = new Map<Finding, number>();
  readonly warnings: string[] = [];

  constructor(
    private readonly session: Session,
    private readonly opts: CheckOptions,
  ) {}

  add(t: Target, text: string): void {
    const { warnings } = this;
    // only a file named on the command line can be one: scans skip them
    if (isDockerfileTemplateName(path.basename(t.dockerfile)))
      warnings.push(
        `cachelens: ${rel(t.base, t.dockerfile)} looks like a template or source file, not a Dockerfile; analysed as one because it was named`,
      );
    const analysis = this.session.analyze(t.dockerfile, text, { rules: this.opts.rules }, t.workspace);
    // saved builds (.cachelens/builds/ under the argument) give findings their measured cost
    const saved = loadBuilds(t.base, rel(t.base, t.dockerfile).split(path.sep).join('/'));
    const costed = saved.length ? withMeasuredCosts(analysis.findings, analysis.primary.model, saved) : undefined;
    if (costed) {
      analysis.findings = costed.findings;
      for (const f of costed.findings) this.costs.set(f, costed.cost(f));
    }
    // every finding's fixes are printed or applied: read now, a fix builder's error is reported with the rules'
    for (const f of analysis.findings) void f.fixes;
    for (const e of analysis.primary.errors)
      warnings.push(`cachelens: internal error in rule ${e.rule} on ${rel(t.base, t.dockerfile)}: ${e.message}`);
    for (const p of analysis.problems) warnings.push(`cachelens: ${rel(t.base, p.file)}: ${p.message}`);
    // the text format says it in the header; JSON and SARIF readers get it on stderr
    if (this.opts.format !== 'text' && analysis.primaryContext?.truncated)
      warnings.push(
        `cachelens: ${rel(t.base, t.dockerfile)}: build context listing incomplete (${analysis.primaryContext.truncated}); file counts are lower bounds`,
      );
    const header = `${rel(t.base, t.dockerfile)}: ${contextSummary(analysis.primaryContext, (p) => rel(t.base, p))}`;
    this.reports.set(t.dockerfile, {
      base: t.base,
      path: rel(t.base, t.dockerfile),
      kind: 'dockerfile',
      findings: [],
      header,
    });
    for (const f of analysis.findings) this.place(t.base, f);
  }

  private place(base: string, f: Finding): void {
    if (!this.reports.has(f.path))
      this.reports.set(f.path, { base, path: rel(base, f.path), kind: 'dockerignore', findings: [] });
    const r = this.reports.get(f.path)!;
    // an ignore file's line gets one finding per rule, however many Dockerfiles it serves (the first, with counts, is kept)
    const same = (x: Finding) =>
      x.rule === f.rule &&
      x.range.start.line === f.range.start.line &&
      ((r.kind === 'dockerignore' && !ruleById(f.rule)?.merge) || x.message === f.message);
    if (!r.findings.some(same)) r.findings.push(f);
  }

  /** The reports in order: shared ignore-file findings merged, sorted by cost when asked. */
  files(): FileReport[] {
    // a file several Dockerfiles share (an ignore file) gets one finding per rule and spot, with what each needs
    for (const r of this.reports.values()) if (r.kind === 'dockerignore') r.findings = mergeSharedFindings(r.findings);
    const files = [...this.reports.values()];
    if (this.opts.sortByCost)
      for (const f of files) f.findings.sort((a, b) => (this.costs.get(b) ?? -1) - (this.costs.get(a) ?? -1));
    return files;
  }
}

export function check(flags: Flags, args: string[], out: Out, session: Session): number {
  const opts = checkOptions(flags);
  const targets = targetsFor(args, session);
  const run = new CheckRun(session, opts);
  for (const t of targets) {
    let text: string;
    try {
      text = readText(t.dockerfile);
    } catch (e) {
      if (targets.length === 1) throw e;
      run.warnings.push(`cachelens: ${(e as Error).message}; skipped`);
      continue;
    }
    run.add(t, text);
  }
  const files = run.files();
  const all = files.flatMap((f) => f.findings);
  print(opts.format, files, targets.length, out);
  for (const w of run.warnings) process.stderr.write(w + '\n');
  const threshold = ORDER[opts.failOn];
  return threshold >= 0 && all.some((f) => ORDER[f.severity] <= threshold) ? 1 : 0;
}

function print(format: string, files: FileReport[], checked: number, out: Out): void {
  if (format === 'json') out(JSON.stringify({ version: 1, files: files.map((f) => jsonFile(f)) }, null, 2));
  else if (format === 'sarif') out(JSON.stringify(sarif(files), null, 2));
  else if (FORMATS[format]) out(FORMATS[format](files, { cwd: process.cwd(), readText: readIfAny }));
  else printText(files, checked, out);
}

function readIfAny(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function printText(files: FileReport[], checked: number, out: Out): void {
  for (const f of files) {
    if (f.header) out(`# ${f.header}`);
    for (const x of f.findings)
      out(`${f.path}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.severity} ${x.rule} ${x.message}`);
  }
  const all = files.flatMap((f) => f.findings);
  const counts = (['error', 'warning', 'info', 'hint'] as Severity[])
    .map((s) => [s, all.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n);
  out(
    `${checked} Dockerfile${checked === 1 ? '' : 's'} checked: ${counts.length ? counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`).join(', ') : 'no findings'}.`,
  );
  if (!checked) out(`No Dockerfile found (looked for ${LOOKED_FOR}).`);
}

function jsonFile(f: FileReport) {
  return {
    path: f.path,
    kind: f.kind,
    findings: f.findings.map((x) => ({
      rule: x.rule,
      severity: x.severity,
      message: x.message,
      range: x.range,
      fixes: x.fixes.map((fix) => ({
        title: fix.title,
        safe: fix.safe,
        edits: fix.edits.map((e) => ({ path: rel(f.base, e.path), range: e.range, newText: e.newText })),
      })),
    })),
  };
}
