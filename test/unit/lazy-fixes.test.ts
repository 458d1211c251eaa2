// Fixes are computed when a finding's fixes are first read, not when lint runs:
// the server lints on every keystroke and reads fixes only for code actions.
import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { applyEdits } from '../../server/src/parse/text';
import { ruleById } from '../../server/src/rules/registry';
import type { Finding, Fix, Report, RuleContext } from '../../server/src/rules/rule';
import { copyWith } from '../../server/src/rules/util/lazyFixes';
import { FixStore } from '../../server/src/lsp/fixes';
import { memoryContext } from '../helpers/context';

const PATH = '/ws/Dockerfile';
const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'FROM node:20',
  'WORKDIR /app',
  'COPY . .',
  'RUN npm ci',
  'CMD ["node", "server.js"]',
  '',
].join('\n');
const FILES = { 'package.json': '{"name":"app"}', 'package-lock.json': '{}', 'server.js': '' };

/** Counts the calls of the fix functions CL001 and CL201 report; every report of theirs must hand one over. */
function countFixBuilds(): { calls: Map<string, number>; builders: Map<string, () => Fix[]> } {
  const calls = new Map<string, number>();
  const builders = new Map<string, () => Fix[]>();
  for (const id of ['CL001', 'CL201']) {
    const rule = ruleById(id)!;
    const check = rule.check.bind(rule);
    mock.method(rule, 'check', (ctx: RuleContext) =>
      check({
        ...ctx,
        report(r: Report) {
          const build = r.fixes;
          assert.equal(typeof build, 'function', `${id} should report its fixes as a function`);
          calls.set(id, 0);
          builders.set(id, build as () => Fix[]);
          ctx.report({
            ...r,
            fixes: () => {
              calls.set(id, calls.get(id)! + 1);
              return (build as () => Fix[])();
            },
          });
        },
      }),
    );
  }
  return { calls, builders };
}

const byRule = (findings: Finding[], id: string) => findings.find((f) => f.rule === id)!;

describe('lazy fixes', () => {
  afterEach(() => mock.restoreAll());

  it('lint builds no CL001/CL201 fix until it is read, then once, with the fixes the builder gives', () => {
    const { calls, builders } = countFixBuilds();
    const r = lint({ path: PATH, text: DOCKERFILE, context: memoryContext('/ws', FILES) });
    assert.deepEqual(Object.fromEntries(calls), { CL001: 0, CL201: 0 }, 'no fix built while linting');

    const split = byRule(r.findings, 'CL001').fixes;
    assert.deepEqual(Object.fromEntries(calls), { CL001: 1, CL201: 0 }, 'reading CL001 builds only its fix');
    assert.equal(byRule(r.findings, 'CL001').fixes, split, 'a second read gives the same array');
    assert.deepEqual(Object.fromEntries(calls), { CL001: 1, CL201: 0 }, 'and builds nothing again');
    assert.deepEqual(split, builders.get('CL001')!(), 'what the builder gives');

    // the fixes themselves: the split and the mount, as the eager rules wrote them
    assert.deepEqual(
      split.map((x) => x.title),
      ['Split dependency manifest copy'],
    );
    assert.equal(
      applyEdits(
        DOCKERFILE,
        split[0].edits.filter((e) => e.path === PATH),
      ),
      DOCKERFILE.replace('COPY . .\nRUN npm ci\n', 'COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n'),
    );
    const mount = byRule(r.findings, 'CL201');
    assert.deepEqual(
      JSON.parse(JSON.stringify(mount)).fixes.map((x: Fix) => x.title),
      ['Add cache mount for npm'],
      'JSON sees the array',
    );
    assert.equal(calls.get('CL201'), 1);
    assert.match(applyEdits(DOCKERFILE, mount.fixes[0].edits), /^RUN --mount=type=cache,target=\/root\/\.npm npm ci$/m);
  });

  it('a fix builder that throws when read leaves the finding without fixes and records the error', () => {
    const rule = ruleById('CL201')!;
    const check = rule.check.bind(rule);
    mock.method(rule, 'check', (ctx: RuleContext) =>
      check({
        ...ctx,
        report: (r: Report) =>
          ctx.report({
            ...r,
            fixes: () => {
              throw new Error('builder broke');
            },
          }),
      }),
    );
    const r = lint({ path: PATH, text: DOCKERFILE, context: memoryContext('/ws', FILES) });
    const mount = byRule(r.findings, 'CL201');
    assert.ok(mount, 'the finding is kept');
    assert.deepEqual(r.errors, [], 'nothing built, nothing failed yet');
    assert.deepEqual(mount.fixes, []);
    assert.deepEqual(r.errors, [{ rule: 'CL201', message: 'fix: builder broke' }]);
    assert.ok(byRule(r.findings, 'CL001').fixes.length, 'other findings keep theirs');
  });

  it('an uncertain context withholds fixes without building them', () => {
    const { calls } = countFixBuilds();
    const code = DOCKERFILE.replace('COPY . .\n', 'COPY . .\nCOPY missing.txt ./\n');
    const r = lint({ path: PATH, text: code, context: memoryContext('/ws', FILES) });
    assert.ok(r.context?.uncertain, 'the missing source makes the context uncertain');
    assert.equal(calls.get('CL201'), 0);
    const fixes = byRule(r.findings, 'CL201').fixes;
    assert.equal(calls.get('CL201'), 1);
    assert.deepEqual(
      fixes.map((x) => [x.title, x.safe]),
      [['Add cache mount for npm', true]],
      'a mount writes no COPY line: kept as it is',
    );
  });

  it('a lone CR drops the fixes, lazy ones too', () => {
    const r = lint({ path: PATH, text: DOCKERFILE.replace('WORKDIR /app\n', 'WORKDIR /app\r'), context: undefined });
    const f = byRule(r.findings, 'CL201');
    assert.ok(f, 'CL201 still reported');
    assert.deepEqual(f.fixes, []);
  });
});

describe('copyWith', () => {
  it('copies a finding without reading its lazy fixes, and the copy reads them through', () => {
    let calls = 0;
    const source = { message: 'm', fixes: [] as Fix[] };
    Object.defineProperty(source, 'fixes', {
      enumerable: true,
      configurable: true,
      get: () => {
        calls++;
        return [{ title: 't', safe: true, edits: [] }];
      },
    });
    const copy = copyWith(source, { message: 'm (measured)' });
    assert.equal(calls, 0);
    assert.deepEqual(Object.keys(copy), ['message', 'fixes']);
    assert.equal(copy.message, 'm (measured)');
    assert.equal(source.message, 'm');
    assert.deepEqual(
      copy.fixes.map((x) => x.title),
      ['t'],
    );
    assert.equal(calls, 1);
    copy.fixes = [];
    assert.equal(copy.fixes.length, 0);
    assert.equal(source.fixes.length, 1, "assigning the copy's fixes leaves the source's alone");
  });
});

describe('FixStore', () => {
  it('publishes without reading fixes; the code action reads the one finding asked about', () => {
    const reads: number[] = [];
    const finding = (i: number): Finding => {
      const f: Finding = {
        rule: 'CL201',
        severity: 'hint',
        message: `m${i}`,
        path: PATH,
        range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
        related: [],
        fixes: [],
      };
      Object.defineProperty(f, 'fixes', {
        enumerable: true,
        get: () => {
          reads.push(i);
          return [{ title: `fix ${i}`, safe: true, edits: [] }];
        },
      });
      return f;
    };
    const store = new FixStore();
    const diagnostics = store.publish(PATH, 3, [finding(0), finding(1)]);
    assert.deepEqual(reads, [], 'publishing reads no fixes');
    assert.deepEqual(
      diagnostics.map((d) => d.data),
      [
        { publish: 1, index: 0 },
        { publish: 1, index: 1 },
      ],
    );
    assert.deepEqual(
      store.fixesOf(PATH, diagnostics[1].data, 3).map((x) => x.title),
      ['fix 1'],
    );
    assert.deepEqual(reads, [1]);
    assert.deepEqual(store.fixesOf(PATH, diagnostics[0].data, 4), [], 'none once the text moved on');
  });
});
