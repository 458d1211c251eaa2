// RuleTester tables for the build-context rules: each case is a Dockerfile
// plus an in-memory context (the ignore file among its files). Findings may
// sit in the Dockerfile or in a context file; `output` is every changed file
// after fix-all, with the context rebuilt after each pass as the server and
// CLI do. Every case runs again with CRLF line endings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, type LintOptions } from '../../server/src/engine/lint';
import { fixAllInContext } from '../../server/src/engine/fix';
import { RULES } from '../../server/src/rules/registry';
import { memoryContext } from './context';

export interface ContextCase {
  name?: string;
  code: string;
  files: Record<string, string>;
}

export interface ContextInvalidCase extends ContextCase {
  /** file: context-relative path the finding sits in (default: the Dockerfile); line: 1-based */
  errors: { file?: string; line: number; message?: RegExp | string }[];
  /** context-relative path → text after fix-all (safe fixes), for files that change; null = no safe fix */
  output?: Record<string, string> | null;
  /** the same with unsafe fixes too */
  unsafeOutput?: Record<string, string>;
  /** titles of the fixes each finding offers, in order */
  fixes?: string[][];
}

const DIR = '/ws';
const DOCKERFILE = `${DIR}/Dockerfile`;

function onlyRule(id: string): LintOptions {
  return { rules: Object.fromEntries(RULES.filter((r) => r.id !== id).map((r) => [r.id, 'off' as const])) };
}

function crlfFiles(files: Record<string, string>, crlf: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, crlf ? v.replace(/\r?\n/g, '\r\n') : v]));
}

function runFixAll(id: string, code: string, files: Record<string, string>, unsafe: boolean): Record<string, string> {
  const contextOf = (changed: ReadonlyMap<string, string>) => {
    const next = { ...files };
    for (const [p, t] of changed) if (p !== DOCKERFILE) next[p.slice(DIR.length + 1)] = t;
    return memoryContext(DIR, next);
  };
  const result = fixAllInContext({ path: DOCKERFILE, text: code }, contextOf, onlyRule(id), { unsafe });
  const out: Record<string, string> = {};
  for (const [p, t] of result.files) {
    const rel = p === DOCKERFILE ? 'Dockerfile' : p.slice(DIR.length + 1);
    if (p === DOCKERFILE ? t !== code : t !== files[rel]) out[rel] = t;
  }
  return out;
}

export function contextRuleTester(id: string, cases: { valid: ContextCase[]; invalid: ContextInvalidCase[] }): void {
  for (const crlf of [false, true]) {
    const eol = (s: string) => (crlf ? s.replace(/\r?\n/g, '\r\n') : s);
    const suffix = crlf ? ' (CRLF)' : '';
    cases.valid.forEach((c, i) => {
      test(`${id} valid #${i + 1}${c.name ? ' ' + c.name : ''}${suffix}`, () => {
        const { findings, errors } = lint(
          { path: DOCKERFILE, text: eol(c.code), context: memoryContext(DIR, crlfFiles(c.files, crlf)) },
          onlyRule(id),
        );
        assert.deepEqual(errors, []);
        assert.deepEqual(
          findings.filter((f) => f.rule === id).map((f) => `${f.path}:${f.range.start.line + 1}: ${f.message}`),
          [],
        );
      });
    });
    cases.invalid.forEach((c, i) => {
      test(`${id} invalid #${i + 1}${c.name ? ' ' + c.name : ''}${suffix}`, () => {
        const files = crlfFiles(c.files, crlf);
        const code = eol(c.code);
        const { findings, errors } = lint(
          { path: DOCKERFILE, text: code, context: memoryContext(DIR, files) },
          onlyRule(id),
        );
        assert.deepEqual(errors, []);
        const mine = findings.filter((f) => f.rule === id);
        const where = (f: { path: string; range: { start: { line: number } } }) =>
          `${f.path === DOCKERFILE ? 'Dockerfile' : f.path.slice(DIR.length + 1)}:${f.range.start.line + 1}`;
        assert.deepEqual(
          mine.map(where),
          c.errors.map((e) => `${e.file ?? 'Dockerfile'}:${e.line}`),
          mine.map((f) => f.message).join('\n'),
        );
        c.errors.forEach((e, k) => {
          if (e.message instanceof RegExp) assert.match(mine[k].message, e.message);
          else if (typeof e.message === 'string') assert.ok(mine[k].message.includes(e.message), mine[k].message);
        });
        if (c.fixes)
          assert.deepEqual(
            mine.map((f) => f.fixes.map((x) => x.title)),
            c.fixes,
          );
        if (c.output !== undefined) {
          const out = runFixAll(id, code, files, false);
          if (c.output === null) assert.deepEqual(out, {}, 'expected no safe fix');
          else {
            assert.deepEqual(out, crlfFiles(c.output, crlf));
            const after = { ...files, ...out };
            const again = lint(
              { path: DOCKERFILE, text: out.Dockerfile ?? code, context: memoryContext(DIR, after) },
              onlyRule(id),
            ).findings.filter((f) => f.rule === id && f.fixes.some((x) => x.safe));
            assert.deepEqual(
              again.map((f) => f.message),
              [],
              'the rule still fires with a safe fix after fixing',
            );
            assert.deepEqual(
              runFixAll(id, out.Dockerfile ?? code, after, false),
              {},
              'a second fix-all changed something',
            );
          }
        }
        if (c.unsafeOutput !== undefined)
          assert.deepEqual(runFixAll(id, code, files, true), crlfFiles(c.unsafeOutput, crlf));
      });
    });
  }
}
