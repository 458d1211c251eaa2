// The build-context rules (CL101–CL108) on large inputs, one rule at a time:
//
//   node --import tsx bench/context-rules.bench.ts
//
// A: a 100,003-file context (40 packages, a third of it in nested node_modules)
//    with a 50-line ignore file — first lint, then a second lint of the same
//    context, which is what a keystroke in the Dockerfile costs (rules whose
//    findings depend only on the context and ignore text replay them).
// B: a 10,000-line generated ignore file over 20,001 files.
import { lint } from '../server/src/engine/lint';
import { RULES } from '../server/src/rules/registry';
import type { ContextView, ContextFile } from '../server/src/context/view';
import { parseIgnoreFile, IgnoreMatcher } from '../server/src/context/ignore';

const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';
const ids = RULES.filter((r) => r.id.startsWith('CL1')).map((r) => r.id);

function view(ignoreText: string, all: ContextFile[]): ContextView {
  const parsed = parseIgnoreFile(ignoreText);
  const matcher = new IgnoreMatcher(parsed.patterns);
  return {
    dir: '/ws',
    reason: 'bench',
    ignore: { path: '/ws/.dockerignore', text: ignoreText, parsed, matcher },
    ignorePathForNew: '/ws/.dockerignore',
    files: all.filter((f) => !matcher.excludes(f.path)),
    allFiles: all,
    readText: () => undefined,
  };
}

function timeRules(context: ContextView): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const only = { rules: Object.fromEntries(RULES.filter((r) => r.id !== id).map((r) => [r.id, 'off' as const])) };
    const start = performance.now();
    lint({ path: '/ws/Dockerfile', text: dockerfile, context }, only);
    out[id] = Math.round(performance.now() - start);
  }
  return out;
}

const a: ContextFile[] = [
  { path: 'package.json', size: 2 },
  { path: 'README.md', size: 2 },
  { path: '.git/HEAD', size: 3 },
];
for (let i = 0; i < 100_000; i++)
  a.push({
    path: `packages/p${i % 40}/${i % 3 ? 'src' : 'node_modules/dep' + (i % 100)}/d${i % 17}/f${i}.${i % 5 ? 'js' : 'log'}`,
    size: 100,
  });
const aIgnore = [
  '.git',
  'node_modules',
  '**/*.log',
  'dist',
  '*.md',
  '!README.md',
  'coverage',
  '__pycache__',
  '.env',
  'tmp/',
  'docs/build',
  'packages/*/dist',
  '**/.DS_Store',
  'scr/x',
  '!keep',
  ...Array.from({ length: 35 }, (_, i) => `generated${i}/out`),
].join('\n');
const ctxA = view(aIgnore, a);

const b: ContextFile[] = [{ path: 'package.json', size: 2 }];
for (let i = 0; i < 20_000; i++) b.push({ path: `p${i % 40}/src/d${i % 17}/f${i}.js`, size: 100 });
const bIgnore = Array.from(
  { length: 10_000 },
  (_, i) => [`dir${i}/sub/x`, `name${i}`, `!keep${i}/a`, `*.ext${i}`][i % 4],
).join('\n');
const ctxB = view(bIgnore, b);

const rows = [
  ['A: 100k files, first lint', timeRules(ctxA)],
  ['A: 100k files, same context again', timeRules(ctxA)],
  ['B: 10,000-line ignore file, 20k files', timeRules(ctxB)],
] as const;
console.log(`| case | ${ids.join(' | ')} |`);
console.log(`|---|${ids.map(() => '---:').join('|')}|`);
for (const [name, t] of rows) console.log(`| ${name} | ${ids.map((id) => `${t[id]} ms`).join(' | ')} |`);
