// The one rule tester (typescript-eslint's RuleTester tables): valid and invalid
// Dockerfiles, each with an optional in-memory build context (its ignore file
// among the files). An invalid case lists its findings (file, line, message,
// severity) and `output`, the text after fix-all: a string for the Dockerfile,
// or a record of every changed file. Fix-all is the engine's, with the context
// rebuilt after each pass as the server and the CLI do.
//
// Every case also runs in variants that must not change what the rule says:
// - CRLF: every file with CRLF line endings (and the expected texts too);
// - continued lines: every single-line RUN split with `\` continuations (after
//   the keyword and before each `&&`); a finding must then sit in the lines of
//   the instruction it sat on, and the fixed text, with those continuations
//   joined back, must be the expected text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, type LintInput, type LintOptions } from '../../server/src/engine/lint';
import { fixAllInContext } from '../../server/src/engine/fix';
import { RULES } from '../../server/src/rules/registry';
import type { Finding, Severity } from '../../server/src/rules/rule';
import { memoryContext } from './context';

export interface ValidCase {
  code: string;
  /** context-relative path → text; without it the rule runs with no build context */
  files?: Record<string, string>;
  name?: string;
}

export interface Expected {
  /** context-relative path of the file the finding sits in (default: the Dockerfile) */
  file?: string;
  /** 1-based */
  line: number;
  message?: RegExp | string;
  /** default: the rule's default severity */
  severity?: Severity;
}

export type Output = string | Record<string, string>;

export interface InvalidCase extends ValidCase {
  /** the rule's findings, in order */
  errors: Expected[];
  /** after fix-all (safe fixes): the Dockerfile's text, or context-relative path → text of each changed file; null = no safe fix */
  output?: Output | null;
  /** the same with unsafe fixes too */
  unsafeOutput?: Output;
  /** titles of the fixes each finding offers, in order */
  fixes?: string[][];
}

const DIR = '/ws';
export const DOCKERFILE = `${DIR}/Dockerfile`;
const CONTINUATION = ' \\\n    ';

function onlyRule(id: string): LintOptions {
  return { rules: Object.fromEntries(RULES.filter((r) => r.id !== id).map((r) => [r.id, 'off' as const])) };
}

/** How one variant rewrites the case and reads its results. */
export interface Variant {
  suffix: string;
  code(text: string): string;
  file(text: string): string;
  /** the new 1-based lines an original Dockerfile line spans */
  lines(line: number): [number, number];
  /** what a fixed Dockerfile text is compared as */
  compare(text: string): string;
  /** a message as it would read on the original text */
  message(text: string): string;
}

const toCrlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

const BASE: Variant = {
  suffix: '',
  code: (s) => s,
  file: (s) => s,
  lines: (l) => [l, l],
  compare: (s) => s,
  message: (s) => s,
};

const CRLF: Variant = { ...BASE, suffix: ' (CRLF)', code: toCrlf, file: toCrlf, compare: toCrlf };

/** Splits every single-line RUN with continuations; undefined when the case has none to split. */
export function continuationVariant(code: string): Variant | undefined {
  if (/<</.test(code) || /^#\s*escape\s*=/im.test(code)) return undefined;
  const lines = code.split('\n');
  const starts: number[] = [];
  let next = 1;
  let continued = false;
  let changed = false;
  const out = lines.map((line) => {
    starts.push(next);
    const wasContinued = continued;
    continued = /\\\s*$/.test(line);
    let text = line;
    if (!wasContinued && !continued && /^\s*RUN\s+\S/i.test(line)) {
      text = line.replace(/^(\s*RUN)\s+/i, `$1${CONTINUATION}`).replace(/ (?=&& )/g, CONTINUATION);
      changed = true;
    }
    next += text.split('\n').length;
    return text;
  });
  if (!changed) return undefined;
  const startOf = (l: number) => starts[l - 1] ?? next;
  const back = (n: number) => {
    let l = 1;
    while (l < starts.length && starts[l] <= n) l++;
    return l;
  };
  return {
    suffix: ' (continued lines)',
    code: () => out.join('\n'),
    file: (s) => s,
    lines: (l) => [startOf(l), startOf(l + 1) - 1],
    compare: (s) => s.split(CONTINUATION).join(' '),
    message: (s) => s.replace(/\b(lines? )(\d+)/g, (_, w: string, n: string) => `${w}${back(Number(n))}`),
  };
}

function variantsOf(code: string): Variant[] {
  const continued = continuationVariant(code);
  return continued ? [BASE, CRLF, continued] : [BASE, CRLF];
}

function mapFiles(files: Record<string, string>, f: (s: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, f(v)]));
}

function inputOf(code: string, files: Record<string, string> | undefined): LintInput {
  return { path: DOCKERFILE, text: code, context: files ? memoryContext(DIR, files) : undefined };
}

const rel = (p: string) => (p === DOCKERFILE ? 'Dockerfile' : p.slice(DIR.length + 1));

/** Runs the engine's fix-all; returns context-relative path → text of each file it changed or created. */
function runFixAll(
  id: string,
  code: string,
  files: Record<string, string> | undefined,
  unsafe: boolean,
): Record<string, string> {
  const contextOf = (changed: ReadonlyMap<string, string>) => {
    const next = { ...files };
    for (const [p, t] of changed) if (p !== DOCKERFILE) next[rel(p)] = t;
    return files ? memoryContext(DIR, next) : undefined;
  };
  const result = fixAllInContext({ path: DOCKERFILE, text: code }, contextOf, onlyRule(id), { unsafe });
  const out: Record<string, string> = {};
  for (const [p, t] of result.files) {
    const r = rel(p);
    if (p === DOCKERFILE ? t !== code : t !== files?.[r]) out[r] = t;
  }
  return out;
}

function findingsOf(id: string, code: string, files: Record<string, string> | undefined): Finding[] {
  const { findings, errors } = lint(inputOf(code, files), onlyRule(id));
  assert.deepEqual(errors, []);
  return findings.filter((f) => f.rule === id);
}

function checkFindings(id: string, c: InvalidCase, v: Variant, mine: Finding[]): void {
  const severity = RULES.find((r) => r.id === id)!.defaultSeverity;
  const where = (f: Finding) => `${rel(f.path)}:${f.range.start.line + 1}`;
  const expectedAt = (e: Expected, f: Finding | undefined) => {
    const file = e.file ?? 'Dockerfile';
    if (file !== 'Dockerfile') return `${file}:${e.line}`;
    const [from, to] = v.lines(e.line);
    // in the continued variant a finding may sit on any line of its instruction
    const line = f && rel(f.path) === file && f.range.start.line + 1 >= from && f.range.start.line + 1 <= to;
    return `${file}:${line ? f.range.start.line + 1 : from}`;
  };
  assert.deepEqual(
    mine.map(where),
    c.errors.map((e, k) => expectedAt(e, mine[k])),
    mine.map((f) => `${where(f)} ${f.message}`).join('\n'),
  );
  c.errors.forEach((e, k) => {
    const message = v.message(mine[k].message);
    if (e.message instanceof RegExp) assert.match(message, e.message);
    else if (typeof e.message === 'string') assert.ok(message.includes(e.message), message);
    assert.equal(mine[k].severity, e.severity ?? severity, `severity of ${where(mine[k])}`);
  });
  if (c.fixes)
    assert.deepEqual(
      mine.map((f) => f.fixes.map((x) => v.message(x.title))),
      c.fixes,
    );
}

/**
 * The fixed files as the case states them: a string output is the Dockerfile's text (changed or
 * not) and no other file may change; a record lists exactly the files that changed.
 */
function assertOutput(out: Record<string, string>, code: string, output: Output, v: Variant): void {
  const eol = v === CRLF ? toCrlf : (s: string) => s;
  if (typeof output === 'string') {
    const { Dockerfile = code, ...others } = out;
    assert.equal(v.compare(Dockerfile), v.compare(eol(output)));
    assert.deepEqual(others, {}, 'a fix changed files besides the Dockerfile');
    return;
  }
  const actual = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, k === 'Dockerfile' ? v.compare(t) : t]));
  const expected = mapFiles(output, (t) => eol(t));
  if (expected.Dockerfile !== undefined) expected.Dockerfile = v.compare(expected.Dockerfile);
  assert.deepEqual(actual, expected);
}

function checkFix(id: string, c: InvalidCase, v: Variant, code: string, files: Record<string, string> | undefined) {
  if (c.output !== undefined) {
    const out = runFixAll(id, code, files, false);
    if (c.output === null) assert.deepEqual(out, {}, 'expected no safe fix');
    else {
      assertOutput(out, code, c.output, v);
      const fixedCode = out.Dockerfile ?? code;
      const after = files ? { ...files, ...out } : undefined;
      const again = findingsOf(id, fixedCode, after).filter((f) => f.fixes.some((x) => x.safe));
      assert.deepEqual(
        again.map((f) => f.message),
        [],
        'the rule still fires with a safe fix after fixing',
      );
      assert.deepEqual(runFixAll(id, fixedCode, after, false), {}, 'a second fix-all changed something');
    }
  }
  if (c.unsafeOutput !== undefined) assertOutput(runFixAll(id, code, files, true), code, c.unsafeOutput, v);
}

export function ruleTester(id: string, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  assert.ok(
    RULES.some((r) => r.id === id),
    `no rule ${id} in the registry`,
  );
  cases.valid.forEach((raw, i) => {
    const c = typeof raw === 'string' ? { code: raw } : raw;
    for (const v of variantsOf(c.code)) {
      test(`${id} valid #${i + 1}${c.name ? ` ${c.name}` : ''}${v.suffix}`, () => {
        const files = c.files && mapFiles(c.files, v.file);
        const mine = findingsOf(id, v.code(c.code), files);
        assert.deepEqual(
          mine.map((f) => `${rel(f.path)}:${f.range.start.line + 1}: ${f.message}`),
          [],
        );
      });
    }
  });
  cases.invalid.forEach((c, i) => {
    for (const v of variantsOf(c.code)) {
      test(`${id} invalid #${i + 1}${c.name ? ` ${c.name}` : ''}${v.suffix}`, () => {
        const files = c.files && mapFiles(c.files, v.file);
        const code = v.code(c.code);
        checkFindings(id, c, v, findingsOf(id, code, files));
        checkFix(id, c, v, code, files);
      });
    }
  });
}
