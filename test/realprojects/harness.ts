// The real-project suite's engine: materialises each repository of
// ../shared/real-projects (its stored build files and a zero-filled file of the
// real size for every other path), runs the shipped CLI's `check` and `fix` on
// it, and checks every safe fix statically. Used by realprojects.test.ts (which
// compares with the labels kept beside this file) and by
// scripts/real-projects-report.ts (which writes docs/real-projects.md).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI } from '../helpers/server';
import { staticFixProblems } from './fixcheck';
import { sharedPath } from '../helpers/shared';

export const PROJECTS = sharedPath('real-projects');

export interface Project {
  dir: string;
  commit: string;
  notes: string;
}

export interface Warning {
  repo: string;
  path: string;
  /** 1-based, as printed */
  line: number;
  rule: string;
  severity: string;
  message: string;
}

export interface FixResult {
  repo: string;
  /** the unified diff `cachelens fix --dry-run` prints (empty: nothing to fix) */
  diff: string;
  /** sha256 of the diff, first 12 hex digits: the identity a fix label is kept against */
  digest: string;
  /** files the fix changes or creates */
  files: string[];
  /** what the static checks found wrong with the fixed tree */
  problems: string[];
  /** warnings of a rule that appeared after fix-all (rule: before → after) */
  newFindings: string[];
  /** a second fix-all still changes something */
  notIdempotent: boolean;
}

export interface ProjectResult {
  project: Project;
  warnings: Warning[];
  /** every finding, any severity, for the counts */
  all: Warning[];
  headers: string[];
  fix: FixResult;
  error?: string;
}

export function sharedPresent(): boolean {
  return existsSync(path.join(PROJECTS, 'manifest.tsv')) && existsSync(path.join(PROJECTS, 'materialize.py'));
}

export function projects(): Project[] {
  const rows = readFileSync(path.join(PROJECTS, 'manifest.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return rows.map((r) => {
    const cols = r.split('\t');
    return { dir: cols[0], commit: cols[2], notes: cols[8] ?? '' };
  });
}

const CACHE = path.join(os.tmpdir(), 'cachelens-real-projects');

/** A materialised tree, made once per commit and reused (read-only by convention). */
export function materialise(p: Project): string {
  const out = path.join(CACHE, `${p.dir}-${p.commit.slice(0, 12)}`);
  const done = out + '.done';
  if (existsSync(done)) return out;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const r = spawnSync('python3', [path.join(PROJECTS, 'materialize.py'), p.dir, out], {
    cwd: PROJECTS,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`materialize.py ${p.dir} failed: ${r.stderr || r.stdout}`);
  writeFileSync(done, '');
  return out;
}

function cli(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code) =>
      resolve({
        status: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

interface JsonReport {
  files: {
    path: string;
    findings: { rule: string; severity: string; message: string; range: { start: { line: number } } }[];
  }[];
}

async function findings(repo: string, tree: string): Promise<{ all: Warning[]; error?: string }> {
  const r = await cli(['check', '--format', 'json', '--fail-on', 'never', '.'], tree);
  if (r.status !== 0)
    return { all: [], error: `check exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}` };
  const report = JSON.parse(r.stdout) as JsonReport;
  const all: Warning[] = [];
  for (const f of report.files) {
    for (const x of f.findings)
      all.push({
        repo,
        path: f.path,
        line: x.range.start.line + 1,
        rule: x.rule,
        severity: x.severity,
        message: x.message,
      });
  }
  return { all };
}

export function isWarningOrAbove(w: { severity: string }): boolean {
  return w.severity === 'warning' || w.severity === 'error';
}

function countByRule(ws: readonly Warning[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of ws) m.set(w.rule, (m.get(w.rule) ?? 0) + 1);
  return m;
}

function changedFiles(diff: string): string[] {
  return [...diff.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]);
}

async function runFix(repo: string, tree: string, before: readonly Warning[]): Promise<FixResult> {
  const dry = await cli(['fix', '--dry-run', '.'], tree);
  const diff = dry.stdout;
  const digest = createHash('sha256').update(diff).digest('hex').slice(0, 12);
  const files = changedFiles(diff);
  const result: FixResult = { repo, diff, digest, files, problems: [], newFindings: [], notIdempotent: false };
  if (dry.status !== 0 && dry.status !== 1)
    result.problems.push(`fix --dry-run exited ${dry.status}: ${dry.stderr.trim()}`);
  if (!files.length) return result;
  const work = mkdtempSync(path.join(os.tmpdir(), 'cachelens-rp-fix-'));
  try {
    const copy = path.join(work, repo);
    const cp = spawnSync('cp', ['-a', tree, copy]);
    if (cp.status !== 0) throw new Error(`cp -a ${tree} failed`);
    const applied = await cli(['fix', '.'], copy);
    if (applied.status !== 0 && applied.status !== 1)
      result.problems.push(`fix exited ${applied.status}: ${applied.stderr.trim()}`);
    result.problems.push(...staticFixProblems(tree, copy, files));
    const after = await findings(repo, copy);
    // warnings (and errors): a hint that a fix makes applicable (a cache mount on a merged RUN) is an offer, not a regression
    const b = countByRule(before.filter(isWarningOrAbove));
    for (const [rule, n] of countByRule(after.all.filter(isWarningOrAbove)))
      if (n > (b.get(rule) ?? 0)) result.newFindings.push(`${rule}: ${b.get(rule) ?? 0} → ${n}`);
    result.notIdempotent = /^\+\+\+ /m.test((await cli(['fix', '--dry-run', '.'], copy)).stdout);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

export async function runProject(p: Project): Promise<ProjectResult> {
  const tree = materialise(p);
  const { all, error } = await findings(p.dir, tree);
  const text = (await cli(['check', '--fail-on', 'never', '.'], tree)).stdout;
  const headers = text.split('\n').filter((l) => l.startsWith('# '));
  const fix = await runFix(p.dir, tree, all);
  return { project: p, warnings: all.filter(isWarningOrAbove), all, headers, fix, error };
}

/** Every project, a few at a time (the CLI runs are separate processes), in manifest order. */
export async function runAll(
  list: readonly Project[] = projects(),
  parallel = Math.max(2, os.availableParallelism?.() ?? 2),
): Promise<ProjectResult[]> {
  const results: ProjectResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      results[i] = await runProject(list[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, list.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------
// Labels

export type WarningVerdict = 'right' | 'wrong' | 'debatable' | 'missed';
export interface WarningLabel {
  repo: string;
  path: string;
  line: number;
  rule: string;
  verdict: WarningVerdict;
  why: string;
}

export type FixVerdict = 'safe' | 'broken' | 'changes-image' | 'none';
export interface FixLabel {
  repo: string;
  digest: string;
  verdict: FixVerdict;
  why: string;
}

const LABELS = path.join(__dirname, 'labels.tsv');
const FIX_LABELS = path.join(__dirname, 'fix-labels.tsv');

function tsvRows(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split('\t'));
}

export function readLabels(): WarningLabel[] {
  return tsvRows(LABELS).map(([repo, p, line, rule, verdict, why]) => ({
    repo,
    path: p,
    line: Number(line),
    rule,
    verdict: verdict as WarningVerdict,
    why: why ?? '',
  }));
}

export function readFixLabels(): FixLabel[] {
  return tsvRows(FIX_LABELS).map(([repo, digest, verdict, why]) => ({
    repo,
    digest,
    verdict: verdict as FixVerdict,
    why: why ?? '',
  }));
}

export function warningKey(w: { repo: string; path: string; line: number; rule: string }): string {
  return `${w.repo}\t${w.path}\t${w.line}\t${w.rule}`;
}

/** Writes label files for what fired today, keeping the verdicts already given (used with --relabel). */
export function writeLabelDrafts(results: readonly ProjectResult[]): void {
  const old = new Map(readLabels().map((l) => [warningKey(l), l]));
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const w of r.warnings) {
      const k = warningKey(w);
      if (seen.has(k)) continue;
      seen.add(k);
      const l = old.get(k);
      const labelled = l && (l.verdict as string) !== 'TODO';
      rows.push(
        [k, labelled ? l.verdict : 'TODO', labelled ? l.why : w.message.replace(/\s+/g, ' ').slice(0, 200)].join('\t'),
      );
    }
  }
  for (const l of old.values())
    if (l.verdict === 'missed' && !seen.has(warningKey(l))) rows.push([warningKey(l), l.verdict, l.why].join('\t'));
  writeFileSync(LABELS, ['repo\tpath\tline\trule\tverdict\twhy', ...rows].join('\n') + '\n');
  const oldFix = new Map(readFixLabels().map((l) => [l.repo, l]));
  const fixRows = results.map((r) => {
    const l = oldFix.get(r.project.dir);
    const same = l && l.digest === r.fix.digest;
    const verdict = r.fix.files.length === 0 ? 'none' : same ? l!.verdict : 'TODO';
    return [r.project.dir, r.fix.digest, verdict, same ? l!.why : r.fix.files.join(', ')].join('\t');
  });
  writeFileSync(FIX_LABELS, ['repo\tdigest\tverdict\twhy', ...fixRows].join('\n') + '\n');
}
