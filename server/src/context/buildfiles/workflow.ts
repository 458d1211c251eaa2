// GitHub Actions workflows (.github/workflows/*.yml): steps that use a
// `…/build-push-action` (docker's, depot's, blacksmith's) with `context` and
// `file`, and `docker build` lines in `run:` steps.
//
// Paths are relative to the workspace root (the checkout), or to the step's /
// job's / workflow's `working-directory` for `run:`. build-push-action without
// `context` builds the Git context: the repository root, `Dockerfile` at the
// root unless `file` says otherwise; `file` is relative to the checkout, not
// to the context. `${{ matrix.X }}` takes each value of the job's matrix
// (and `include:` rows), `${{ env.X }}` the step's / job's / workflow's env;
// any other `${{ … }}` is a variable: in a path it matches any existing name,
// a context that is only an expression is unknown.

import * as path from 'node:path';
import type { WorkspaceFs } from '../fs';
import { display, isObject, type BuildEntry, type BuildFileReader, type ParsedBuildFile } from './types';
import { commandEntries, hasVariable, scanBuildCommands } from './shellBuild';
import { readYaml } from './compose';

export const workflowReader: BuildFileReader = {
  name: 'workflow',
  matches: (_abs, rel) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel),
  parse: parseWorkflow,
};

const GHA = /\$\{\{[^}]*\}\}/g;
const MAX_VARIANTS = 20;

/** Values of `matrix.X` (the list and the `include:` rows) and `env.X` a job's steps see. */
interface Scope {
  matrix: Map<string, string[]>;
  env: Map<string, string>;
}

function jobScope(workflow: Record<string, unknown>, job: Record<string, unknown>): Scope {
  const matrix = new Map<string, string[]>();
  const m = isObject(job.strategy) && isObject(job.strategy.matrix) ? job.strategy.matrix : {};
  const add = (k: string, v: unknown, depth = 0): void => {
    if (typeof v === 'string' || typeof v === 'number')
      matrix.set(k, [...new Set([...(matrix.get(k) ?? []), String(v)])]);
    else if (isObject(v) && depth < 3) for (const [sub, x] of Object.entries(v)) add(`${k}.${sub}`, x, depth + 1);
  };
  for (const [k, v] of Object.entries(m))
    if (k !== 'include' && k !== 'exclude' && Array.isArray(v)) for (const x of v) add(k, x);
  if (Array.isArray(m.include))
    for (const row of m.include) if (isObject(row)) for (const [k, v] of Object.entries(row)) add(k, v);
  const env = new Map<string, string>();
  for (const def of [workflow, job])
    if (isObject(def.env)) for (const [k, v] of Object.entries(def.env)) if (typeof v === 'string') env.set(k, v);
  return { matrix, env };
}

/**
 * A value with its `${{ matrix.X }}` / `${{ env.X }}` expanded into each
 * variant. Another expression with string literals (`${{ c && 'a' || 'b' }}`)
 * yields each literal, kept later only if the path it makes exists;
 * `${{ github.workspace }}` is the checkout root; any other
 * expression becomes `${GHA_EXPR}`, a variable.
 */
function variants(value: string, scope: Scope, depth = 0): string[] {
  const m = /\$\{\{([^}]*)\}\}/.exec(value);
  if (!m || depth > 4) return [value.replace(GHA, '${GHA_EXPR}')];
  const ref = /^\s*(matrix|env)\.([A-Za-z_][\w.-]*)\s*$/.exec(m[1]);
  const literals = [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]).filter((x) => x !== '');
  const workspace = /^\s*github\.workspace\s*$/.test(m[1]) ? ['.'] : undefined;
  const values =
    workspace ??
    (ref
      ? ref[1] === 'matrix'
        ? scope.matrix.get(ref[2])
        : scope.env.has(ref[2])
          ? [scope.env.get(ref[2])!]
          : undefined
      : literals.length
        ? literals.slice(0, 5)
        : undefined);
  const out: string[] = [];
  for (const v of values ?? ['${GHA_EXPR}'])
    for (const r of variants(value.slice(0, m.index) + v + value.slice(m.index + m[0].length), scope, depth + 1))
      if (out.length < MAX_VARIANTS && !out.includes(r)) out.push(r);
  return out;
}

function workingDirectory(...defs: unknown[]): string | undefined {
  for (const d of defs) {
    const wd = isObject(d)
      ? isObject(d.defaults) && isObject(d.defaults.run)
        ? d.defaults.run['working-directory']
        : d['working-directory']
      : undefined;
    if (typeof wd === 'string') return wd;
  }
  return undefined;
}

function parseWorkflow(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  if (!/build/.test(text)) return { entries: [], problems: [] };
  const r = readYaml(text);
  if ('problems' in r) return { entries: [], problems: r.problems };
  const name = display(fs, abs);
  const entries: BuildEntry[] = [];
  const jobs = isObject(r.data) && isObject(r.data.jobs) ? r.data.jobs : {};
  for (const [jobName, job] of Object.entries(jobs)) {
    if (!isObject(job) || !Array.isArray(job.steps)) continue;
    const scope = jobScope(r.data as Record<string, unknown>, job);
    job.steps.forEach((step: unknown, i: number) => {
      if (!isObject(step)) return;
      const label = `${name} job ${jobName} step ${typeof step.name === 'string' ? JSON.stringify(step.name.replace(GHA, '…')) : i + 1}`;
      if (typeof step.uses === 'string' && /build-push-action$/.test(step.uses.split('@')[0]))
        entries.push(...actionEntries(fs, step.with, { ...scope, env: stepEnv(scope.env, step) }, label));
      else if (typeof step.run === 'string') {
        const wd = workingDirectory(step, job, r.data);
        if (wd !== undefined && hasVariable(wd.replace(GHA, '$X'))) return;
        const base = path.resolve(fs.root, wd ?? '.');
        const text = variants(step.run, { ...scope, env: stepEnv(scope.env, step) }).join('\n');
        for (const cmd of scanBuildCommands(text))
          entries.push(...commandEntries(fs, cmd, [base], base, 'workflow', label));
      }
    });
  }
  return { entries, problems: [] };
}

function stepEnv(env: Map<string, string>, step: Record<string, unknown>): Map<string, string> {
  if (!isObject(step.env)) return env;
  const out = new Map(env);
  for (const [k, v] of Object.entries(step.env)) if (typeof v === 'string') out.set(k, v);
  return out;
}

function actionEntries(fs: WorkspaceFs, withArgs: unknown, scope: Scope, label: string): BuildEntry[] {
  const w = isObject(withArgs) ? withArgs : {};
  const context = typeof w.context === 'string' ? w.context.trim() : undefined;
  const file = typeof w.file === 'string' ? w.file.trim() : undefined;
  if (context === '') return [];
  const reason =
    context === undefined
      ? `${label} (build-push-action, Git context)`
      : `${label} (build-push-action context ${context})`;
  const out: BuildEntry[] = [];
  for (const ctx of context === undefined ? ['.'] : variants(context, scope)) {
    for (const f of file === undefined ? [undefined] : variants(file, scope)) {
      const cmd = { line: 0, text: '', cd: [], podman: false, context: ctx, file: f };
      for (const e of commandEntries(fs, cmd, [fs.root], fs.root, 'workflow', label))
        if (out.length < MAX_VARIANTS) out.push({ ...e, reason });
    }
  }
  return out;
}
