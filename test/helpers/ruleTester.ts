// RuleTester-style tables (typescript-eslint): valid and invalid Dockerfiles,
// the lines findings sit on, and `output`, the text after fix-all. Every case
// runs again with CRLF line endings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, type LintOptions } from '../../server/src/engine/lint';
import { fixAll } from '../../server/src/engine/fix';
import { RULES } from '../../server/src/rules/registry';
import type { ContextView } from '../../server/src/context/view';
import type { Severity } from '../../server/src/rules/rule';
import { memoryContext } from './context';

export interface ValidCase {
  code: string;
  files?: Record<string, string>;
  name?: string;
}

export interface InvalidCase extends ValidCase {
  /** 1-based lines of the findings, in order */
  errors: { line: number; message?: RegExp | string; severity?: Severity }[];
  /** text after fix-all (safe fixes); null = no safe fix is offered */
  output?: string | null;
  /** text after fix-all including unsafe fixes */
  unsafeOutput?: string;
}

export const DOCKERFILE = '/ws/Dockerfile';

function onlyRule(id: string): LintOptions {
  return { rules: Object.fromEntries(RULES.filter((r) => r.id !== id).map((r) => [r.id, 'off' as const])) };
}

function contextFor(c: ValidCase, crlf: boolean): ContextView | undefined {
  if (!c.files) return undefined;
  const files = Object.fromEntries(
    Object.entries(c.files).map(([k, v]) => [k, crlf ? v.replace(/\r?\n/g, '\r\n') : v]),
  );
  return memoryContext('/ws', files);
}

export function ruleTester(id: string, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  for (const crlf of [false, true]) {
    const eol = (s: string) => (crlf ? s.replace(/\r?\n/g, '\r\n') : s);
    const suffix = crlf ? ' (CRLF)' : '';
    cases.valid.forEach((raw, i) => {
      const c = typeof raw === 'string' ? { code: raw } : raw;
      test(`${id} valid #${i + 1}${c.name ? ' ' + c.name : ''}${suffix}`, () => {
        const { findings, errors } = lint(
          { path: DOCKERFILE, text: eol(c.code), context: contextFor(c, crlf) },
          onlyRule(id),
        );
        assert.deepEqual(errors, []);
        assert.deepEqual(
          findings.filter((f) => f.rule === id).map((f) => `${f.range.start.line + 1}: ${f.message}`),
          [],
        );
      });
    });
    cases.invalid.forEach((c, i) => {
      test(`${id} invalid #${i + 1}${c.name ? ' ' + c.name : ''}${suffix}`, () => {
        const context = contextFor(c, crlf);
        const input = { path: DOCKERFILE, text: eol(c.code), context };
        const { findings, errors } = lint(input, onlyRule(id));
        assert.deepEqual(errors, []);
        const mine = findings.filter((f) => f.rule === id);
        assert.deepEqual(
          mine.map((f) => f.range.start.line + 1),
          c.errors.map((e) => e.line),
          mine.map((f) => f.message).join('\n'),
        );
        c.errors.forEach((e, k) => {
          if (e.message instanceof RegExp) assert.match(mine[k].message, e.message);
          else if (typeof e.message === 'string') assert.ok(mine[k].message.includes(e.message), mine[k].message);
          if (e.severity) assert.equal(mine[k].severity, e.severity, mine[k].message);
        });
        if (c.output !== undefined) {
          const fixed = fixAll(input, onlyRule(id));
          const text = fixed.files.get(DOCKERFILE) ?? input.text;
          if (c.output === null) assert.equal(text, input.text, 'expected no safe fix');
          else {
            assert.equal(text, eol(c.output));
            const again = lint({ ...input, text }, onlyRule(id)).findings.filter(
              (f) => f.rule === id && f.fixes.some((x) => x.safe),
            );
            assert.deepEqual(
              again.map((f) => f.message),
              [],
              'the rule still fires with a fix after fixing',
            );
            const twice = fixAll({ ...input, text }, onlyRule(id));
            assert.equal(twice.files.get(DOCKERFILE) ?? text, text, 'a second fix-all changed the text');
          }
        }
        if (c.unsafeOutput !== undefined) {
          const fixed = fixAll(input, onlyRule(id), { unsafe: true });
          assert.equal(fixed.files.get(DOCKERFILE) ?? input.text, eol(c.unsafeOutput));
        }
      });
    });
  }
}
