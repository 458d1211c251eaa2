// The build-context rules stay bounded on hostile input: a 10,000-line
// ignore file over a 20,000-file context, pathological globs, a lone `!`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/rules/registry';
import type { ContextView, ContextFile } from '../../server/src/context/view';
import { parseIgnoreFile, IgnoreMatcher } from '../../server/src/context/ignore';

const onlyContextRules = {
  rules: Object.fromEntries(RULES.filter((r) => !r.id.startsWith('CL1')).map((r) => [r.id, 'off' as const])),
};
const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';

function view(ignoreText: string, files: ContextFile[]): ContextView {
  const parsed = parseIgnoreFile(ignoreText);
  const matcher = new IgnoreMatcher(parsed.patterns);
  return {
    dir: '/ws',
    reason: 'test',
    ignore: { path: '/ws/.dockerignore', text: ignoreText, parsed, matcher },
    ignorePathForNew: '/ws/.dockerignore',
    files: files.filter((f) => !matcher.excludes(f.path)),
    allFiles: files,
    readText: () => undefined,
  };
}

test('a 10,000-line ignore file over 20,000 files: every CL1xx rule together in bounded time, no rule throws', () => {
  const text = Array.from(
    { length: 10_000 },
    (_, i) => [`dir${i}/sub/x`, `name${i}`, `!keep${i}/a`, `*.ext${i}`][i % 4],
  ).join('\n');
  const files: ContextFile[] = [{ path: 'package.json', size: 2 }];
  for (let i = 0; i < 20_000; i++) files.push({ path: `p${i % 40}/src/d${i % 17}/f${i}.js`, size: 10 });
  const context = view(text, files);
  const start = Date.now();
  const { findings, errors } = lint({ path: '/ws/Dockerfile', text: dockerfile, context }, onlyContextRules);
  const ms = Date.now() - start;
  assert.deepEqual(errors, []);
  assert.ok(
    findings.some((f) => f.rule === 'CL106'),
    'dead located lines are still reported',
  );
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('pathological patterns and syntax errors: reported, never thrown', () => {
  const text = [
    '**/**/**/**/**/**/**/a',
    'a*b*c*d*e*f*g*h/**',
    '[',
    '!',
    '[z-a]',
    '\\',
    ' # x',
    'x # y',
    '/'.repeat(1000),
  ].join('\n');
  const files: ContextFile[] = [
    { path: 'package.json', size: 2 },
    { path: `${'a/'.repeat(200)}a`, size: 1 },
    { path: 'abcdefgh/x', size: 1 },
  ];
  const { findings, errors } = lint(
    { path: '/ws/Dockerfile', text: dockerfile, context: view(text, files) },
    onlyContextRules,
  );
  assert.deepEqual(errors, []);
  const lines = findings.filter((f) => f.rule === 'CL107').map((f) => f.range.start.line + 1);
  assert.deepEqual(lines, [3, 4, 5, 6, 7, 8]);
});
