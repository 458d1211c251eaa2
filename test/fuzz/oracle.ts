// What must hold for any input, however broken: lint, hover, every fix and
// fix-all run without throwing (a rule that throws lands in lint's `errors`,
// which counts too), each call stays within a CPU-time budget, findings sit
// inside their file, fix-all keeps a clean file clean and is idempotent.
// checkInput is a pure function of (dockerfile, ignore), so a saved input
// replays exactly.
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { lint, type LintInput, type LintResult } from '../../server/src/engine/lint';
import { applyFixes, fixAll } from '../../server/src/engine/fix';
import { hoverAt } from '../../server/src/engine/hover';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { safeValidate } from '../../server/src/lsp/safeValidate';
import { LineIndex, type Position } from '../../server/src/parse/text';
import type { ContextView } from '../../server/src/context/view';
import type { Finding } from '../../server/src/rules/rule';
import { memoryContext } from '../helpers/context';
import { Rng } from './generate';

export const WS = '/ws';
export const DOCKERFILE = `${WS}/Dockerfile`;
export const IGNORE = `${WS}/.dockerignore`;

export interface Failure {
  /** short kind: exception, rule-error, slow, range, fix-breaks-parse, fix-all-not-idempotent */
  kind: string;
  /** where: lint(context) / hover / fix "<title>" / fixAll / … */
  where: string;
  message: string;
}

export interface CheckResult {
  failures: Failure[];
  /** CPU ms of the slowest single call, and which */
  slowest: { ms: number; where: string };
  /** total CPU ms for the input */
  cpuMs: number;
  lintCalls: number;
  /** CPU ms per check (lint, hover, fixes, fixAll, fixAllUnsafe): where the oracle's time goes */
  stageMs: Record<string, number>;
}

export interface CheckOptions {
  /** CPU ms one call may take before it counts as a hang */
  budgetMs?: number;
  /** cap on single fixes applied per input (each costs a lint); past it, a sample drawn from the input's hash */
  maxFixes?: number;
  /** hover positions per analysis past the fixed corners (findings' starts and random ones); all by default */
  hoverSamples?: number;
  /** which analyses to run (all by default): the minimizer narrows them to the failing one */
  contexts?: boolean[];
  stages?: ReadonlySet<Stage>;
  /** stop at the first failure this accepts (the minimizer's predicate) */
  stopAt?: (f: Failure) => boolean;
}

export type Stage = 'hover' | 'fixes' | 'fixAll' | 'fixAllUnsafe';
const ALL_STAGES: ReadonlySet<Stage> = new Set(['hover', 'fixes', 'fixAll', 'fixAllUnsafe']);

class Stop extends Error {}

/** What identifies a bug across inputs: kind, place (rule, fix title) and message shape, without positions, numbers or the context mode. */
export function signature(f: Failure): string {
  const where = f.where
    .replace(/ \((no|with) context\)/g, '')
    .replace(/ unsafe/g, '')
    .replace(/^hover .*/, 'hover')
    .replace(/\b\d+\b/g, '#');
  if (f.kind === 'range' || f.kind === 'fix-breaks-parse' || f.kind === 'slow' || f.kind === 'fix-path')
    return `${f.kind}|${where}`;
  if (f.kind === 'fix-all-not-idempotent') {
    // the rule that keeps firing: the one applied most often in the second fix-all
    const counts = new Map<string, number>();
    for (const id of f.message.match(/CL\d{3}/g) ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '?';
    return `${f.kind}|${where}|${top}`;
  }
  return `${f.kind}|${where}|${f.message
    .split('\n')[0]
    .replace(/\b\d+\b/g, '#')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 100)}`;
}

/** Files of the in-memory build context: a mix of ecosystems' manifests, plus every plain path the Dockerfile COPYs. */
const BASE_FILES: Record<string, string> = {
  'package.json':
    '{"name":"app","version":"1.0.0","scripts":{"build":"tsc","start":"node dist/index.js"},"dependencies":{"express":"^4"},"devDependencies":{"typescript":"^5"}}',
  'package-lock.json': '{"lockfileVersion":3}',
  'yarn.lock': '# yarn lockfile v1\n',
  'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
  'src/index.js': 'console.log(1)\n',
  'src/app.py': 'print(1)\n',
  'requirements.txt': 'flask==3.0.0\n',
  'poetry.lock': '',
  'pyproject.toml': '[project]\nname = "x"\n',
  'go.mod': 'module x\n\ngo 1.22\n',
  'go.sum': '',
  'main.go': 'package main\n',
  'Cargo.toml': '[package]\nname = "x"\n',
  'Cargo.lock': '',
  'pom.xml': '<project/>',
  Gemfile: "source 'https://rubygems.org'\n",
  'Gemfile.lock': '',
  'composer.json': '{}',
  'composer.lock': '{}',
  '.git/HEAD': 'ref: refs/heads/main\n',
  'node_modules/left-pad/index.js': 'module.exports = 1\n',
  'README.md': '# x\n',
  Dockerfile: '',
};

export function contextFor(dockerfile: string, ignore: string | undefined): ContextView {
  const files: Record<string, string> = { ...BASE_FILES, Dockerfile: dockerfile };
  let extra = 0;
  for (const args of copyLineArgs(dockerfile)) {
    for (const word of args.split(/\s+/).slice(0, -1)) {
      if (extra >= 50) break;
      const p = word.replace(/^\.\//, '').replace(/\/+$/, '');
      if (!p || p.startsWith('-') || p.startsWith('/') || /[*?[\]$"'\\<>\0]|\.\./.test(p) || p.length > 200) continue;
      if (files[p] === undefined) {
        files[`${p}`] = '';
        extra++;
      }
    }
  }
  if (ignore !== undefined) files['.dockerignore'] = ignore;
  return memoryContext(WS, files);
}

/**
 * What `text.matchAll(/^\s*(?:COPY|ADD)\s+([^\n]*)/gim)` captures, in one pass: that expression
 * retries its `^\s*` from every line start inside a long whitespace run, which is quadratic (seed 100
 * #71208, an 18 KB input of blank CR lines: 320 ms of the oracle's own time, charged to the
 * product's context step). A line start inside a run already tried gives the same answer, so it is skipped.
 */
export function copyLineArgs(text: string): string[] {
  const out: string[] = [];
  const space = /\s*/y;
  const head = /(?:COPY|ADD)\s+([^\n]*)/iy;
  // no match starts before this: the end of the last match, or past a whitespace run tried already
  let from = 0;
  for (let p = 0; p <= text.length; p++) {
    if (p < from || (p > 0 && !LINE_BREAKS.has(text.charCodeAt(p - 1)))) continue;
    space.lastIndex = p;
    space.exec(text);
    head.lastIndex = space.lastIndex;
    const m = head.exec(text);
    if (m) out.push(m[1]);
    from = m ? head.lastIndex : space.lastIndex + 1;
  }
  return out;
}

/** where a multiline `^` matches after: \n, \r, U+2028, U+2029 */
const LINE_BREAKS = new Set([10, 13, 0x2028, 0x2029]);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Positions to hover: corners, out-of-range ones, each finding's start, and a few random ones drawn from the text's own hash. */
function hoverPositions(text: string, findings: Finding[], hash: number, samples = Infinity): Position[] {
  const index = new LineIndex(text);
  const n = index.lines.length;
  const rng = new Rng(hash, n);
  const out: Position[] = [
    { line: 0, character: 0 },
    { line: n - 1, character: index.lines[n - 1].length },
    { line: n, character: 0 },
    { line: n + 100, character: 5 },
    { line: 0, character: 100000 },
  ];
  const sampled: Position[] = [];
  for (const f of findings.slice(0, 5)) sampled.push(f.range.start, f.range.end);
  for (let i = 0; i < 8; i++) {
    const line = rng.int(n);
    sampled.push({ line, character: rng.int(index.lines[line].length + 2) });
  }
  return [...out, ...sample(sampled, samples, rng)];
}

/** `k` of `xs` drawn with `rng` (all of them, in order, when k covers them) */
function sample<T>(xs: T[], k: number, rng: Rng): T[] {
  if (k >= xs.length) return xs;
  const pool = [...xs];
  const picked: T[] = [];
  while (picked.length < k) picked.push(pool.splice(rng.int(pool.length), 1)[0]);
  return picked;
}

function quickHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += Math.max(1, s.length >> 12)) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const languageService = DockerfileLanguageServiceFactory.createLanguageService();
/** the last few texts checked: the input's own text and its fixed texts recur across the fix-all runs of one input */
const syntaxSeen = new Map<string, string[] | undefined>();
/** syntax errors as dockerfile-language-service reports them; undefined when it cannot tell (its own parser overflows the stack on some inputs) */
function syntaxErrors(text: string): string[] | undefined {
  if (syntaxSeen.has(text)) return syntaxSeen.get(text);
  const errors = validate(text);
  if (syntaxSeen.size >= 8) syntaxSeen.delete(syntaxSeen.keys().next().value!);
  syntaxSeen.set(text, errors);
  return errors;
}

function validate(text: string): string[] | undefined {
  try {
    return safeValidate(languageService, text)
      .filter((d) => d.severity === 1)
      .map((d) => String(d.message));
  } catch {
    return undefined;
  }
}

export function checkInput(dockerfile: string, ignore: string | undefined, options: CheckOptions = {}): CheckResult {
  const budget = options.budgetMs ?? 500;
  const maxFixes = options.maxFixes ?? 25;
  const stages = options.stages ?? ALL_STAGES;
  const failures: Failure[] = [];
  const fail = (f: Failure) => {
    failures.push(f);
    if (options.stopAt?.(f)) throw new Stop();
  };
  const slowest = { ms: 0, where: '' };
  let lintCalls = 0;
  const started = cpuMs();
  const stageMs: Record<string, number> = {};
  const charge = (name: string, t0: number) => {
    stageMs[name] = (stageMs[name] ?? 0) + cpuMs() - t0;
  };

  /** runs fn, turning a throw into a failure and a slow call into a `slow` failure */
  function timed<T>(where: string, fn: () => T): T | undefined {
    const t0 = cpuMs();
    try {
      return fn();
    } catch (e) {
      if (e instanceof Stop) throw e;
      fail({
        kind: 'exception',
        where,
        message: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e),
      });
      return undefined;
    } finally {
      const ms = cpuMs() - t0;
      if (ms > slowest.ms) Object.assign(slowest, { ms, where });
      if (ms > budget) fail({ kind: 'slow', where, message: `${ms.toFixed(0)} ms CPU (budget ${budget} ms)` });
    }
  }

  function lintChecked(where: string, input: LintInput): LintResult | undefined {
    lintCalls++;
    const r = timed(where, () => lint(input));
    if (!r) return undefined;
    for (const e of r.errors) fail({ kind: 'rule-error', where, message: `${e.rule}: ${e.message}` });
    return r;
  }

  const texts = (ctx: ContextView | undefined): Map<string, string> =>
    new Map([
      [DOCKERFILE, dockerfile],
      ...(ctx?.ignore ? [[ctx.ignore.path, ctx.ignore.text] as [string, string]] : []),
    ]);

  try {
    run();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return { failures, slowest, cpuMs: cpuMs() - started, lintCalls, stageMs };

  function run(): void {
    for (const withContext of options.contexts ?? [false, true]) {
      const label = withContext ? 'with context' : 'no context';
      let t0 = cpuMs();
      const context = withContext ? timed(`context(${label})`, () => contextFor(dockerfile, ignore)) : undefined;
      if (withContext && !context) continue;
      const input: LintInput = { path: DOCKERFILE, text: dockerfile, context };
      const result = lintChecked(`lint(${label})`, input);
      charge('lint', t0);
      if (!result) continue;
      const own = texts(context);

      for (const f of result.findings) {
        const text = own.get(f.path);
        if (text === undefined && f.path !== context?.ignorePathForNew) {
          fail({ kind: 'range', where: `${f.rule} (${label})`, message: `finding in unknown file ${f.path}` });
          continue;
        }
        const lineCount = new LineIndex(text ?? '').lines.length;
        const { start, end } = f.range;
        const bad =
          [start.line, start.character, end.line, end.character].some((x) => !Number.isInteger(x) || x < 0) ||
          start.line >= lineCount ||
          end.line >= lineCount ||
          start.line > end.line ||
          (start.line === end.line && start.character > end.character);
        if (bad)
          fail({
            kind: 'range',
            where: `${f.rule} (${label})`,
            message: `range ${JSON.stringify(f.range)} outside ${f.path} (${lineCount} lines)`,
          });
      }

      t0 = cpuMs();
      if (stages.has('hover'))
        for (const p of hoverPositions(dockerfile, result.findings, quickHash(dockerfile), options.hoverSamples)) {
          const h = timed(`hover ${p.line}:${p.character} (${label})`, () => hoverAt(result, p, context));
          if (h !== undefined && typeof h !== 'string')
            fail({ kind: 'hover', where: `hover ${p.line}:${p.character}`, message: `returned ${typeof h}` });
        }

      charge('hover', t0);
      t0 = cpuMs();
      const fixes = result.findings.flatMap((f) => f.fixes.map((fix) => ({ rule: f.rule, fix })));
      // the first ones by default (saved regressions replay them); a sample across the file when capped by the caller
      const picked =
        options.maxFixes === undefined
          ? fixes.slice(0, maxFixes)
          : sample(fixes, maxFixes, new Rng(quickHash(dockerfile) ^ fixes.length, fixes.length));
      for (const { rule, fix } of stages.has('fixes') ? picked : []) {
        const where = `${rule} fix "${fix.title}" (${label})`;
        const applied = timed(where, () => applyFixes((p) => own.get(p), [fix]));
        if (!applied) continue;
        const unknown = [...applied.files.keys()].filter((p) => !own.has(p) && p !== context?.ignorePathForNew);
        if (unknown.length)
          fail({ kind: 'fix-path', where, message: `edits files outside the input: ${unknown.join(', ')}` });
        const nextText = applied.files.get(DOCKERFILE) ?? dockerfile;
        const nextIgnore = applied.files.get(IGNORE) ?? ignore;
        lintChecked(`lint after ${where}`, {
          path: DOCKERFILE,
          text: nextText,
          context: withContext ? contextFor(nextText, nextIgnore) : undefined,
        });
      }

      charge('fixes', t0);
      let safeHeldBack: number | undefined;
      for (const unsafe of [false, true]) {
        if (!stages.has(unsafe ? 'fixAllUnsafe' : 'fixAll')) continue;
        // no pass of the safe run left an unsafe fix out: the unsafe run would make the same choice in
        // every pass (lint is a function of its input) and reach the same files, already checked
        if (unsafe && safeHeldBack === 0) continue;
        const t1 = cpuMs();
        try {
          const where = `fixAll${unsafe ? ' unsafe' : ''} (${label})`;
          const reinput = (files: Map<string, string>): LintInput => {
            const text = files.get(DOCKERFILE) ?? dockerfile;
            return {
              path: DOCKERFILE,
              text,
              context: withContext ? contextFor(text, files.get(IGNORE) ?? ignore) : undefined,
            };
          };
          // the first pass of each fix-all would lint what was just linted: it is handed that result
          const once = timed(where, () => fixAll(input, {}, { unsafe, reinput, firstLint: result }));
          if (!unsafe) safeHeldBack = once?.heldBack;
          if (!once?.files.size) continue;
          const fixedText = once.files.get(DOCKERFILE) ?? dockerfile;
          const fixedIgnore = once.files.get(IGNORE) ?? ignore;
          if (
            timed(`parse after ${where}`, () => parseDockerfile(fixedText)) &&
            syntaxErrors(dockerfile)?.length === 0
          ) {
            const errs = syntaxErrors(fixedText);
            if (errs?.length)
              fail({
                kind: 'fix-breaks-parse',
                where,
                message: `a clean file has syntax errors after fix-all: ${errs.slice(0, 3).join('; ')}`,
              });
          }
          const fixed = reinput(once.files);
          const after = lintChecked(`lint after ${where}`, fixed);
          const twice = timed(`${where} again`, () => fixAll(fixed, {}, { unsafe, reinput, firstLint: after }));
          if (twice?.files.size) {
            const changed = [...twice.files]
              .filter(([p, t]) => t !== (p === DOCKERFILE ? fixedText : p === IGNORE ? fixedIgnore : undefined))
              .map(([p]) => p);
            if (changed.length)
              fail({
                kind: 'fix-all-not-idempotent',
                where,
                message: `a second fix-all changed ${changed.join(', ')} (rules applied: ${twice.applied.map((a) => a.rule).join(', ')})`,
              });
          }
        } finally {
          charge(unsafe ? 'fixAllUnsafe' : 'fixAll', t1);
        }
      }
    }
  }
}
