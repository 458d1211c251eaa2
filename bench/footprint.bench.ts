// How much code one keystroke touches: the distinct functions that run (and
// how many calls) in cachelens' Session analysis and in dockerfile-language-
// service's validate(), per text of the side-by-side typing on the given
// Dockerfiles, from V8's precise coverage (call counts, reset before each text).
// After a pause every function a keystroke runs starts cold (bench/typing-gap.bench.ts:
// the same analysis costs 2-3x after 35 ms asleep, a tight loop of the same length
// 5 % more), so the number of distinct functions is what a keystroke's cold cost grows with.
//   node bench/bundled.mjs bench/footprint.bench.ts WORKSPACE FILE... [--warm 30] [--out FILE]
// e.g. node bench/bundled.mjs bench/footprint.bench.ts examples examples/*/Dockerfile --out bench/results/footprint.md
import { readFileSync, writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector';
import * as path from 'node:path';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { Session } from '../server/src/engine/session';
import { RULES } from '../server/src/rules/registry';
import { arg, typedTexts, workspaceAndFiles } from './util';

const { root, files } = workspaceAndFiles('bench/footprint.bench.ts WORKSPACE FILE... [--warm 30] [--out FILE]');
const warm = Number(arg('--warm', '30'));
const out = arg('--out', '');
const RULES_OFF = { rules: Object.fromEntries(RULES.map((r) => [r.id, 'off' as const])) };

const service = DockerfileLanguageServiceFactory.createLanguageService();
const session = new Session();
session.addWorkspace(root);
const inspector = new Inspector();
inspector.connect();
const post = <T>(method: string, params: object = {}) =>
  new Promise<T>((resolve, reject) => inspector.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { startOffset: number; count: number }[] }[] }[];
}

// this bundle's module markers (`// server/src/…`), to say where each function that ran lives
const bundle = readFileSync(__filename, 'utf8');
const marks = [...bundle.matchAll(/^\/\/ ((?:server|node_modules)\/[^\n]*)$/gm)].map(
  (m) => [m.index ?? 0, moduleName(m[1])] as const,
);
/** `parse/scan.ts` for our files; the package for a dependency's */
function moduleName(file: string): string {
  if (file.startsWith('server/src/')) return file.slice('server/src/'.length);
  const parts = file.replace(/^node_modules\//, '').split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function moduleAt(offset: number): string {
  let found = '(other)';
  for (const [at, name] of marks) {
    if (at > offset) break;
    found = name;
  }
  return found;
}

async function main(): Promise<void> {
  await post('Profiler.enable');
  await post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  const sequences = files.map((f) => ({ file: f, texts: typedTexts(readFileSync(f, 'utf8')) }));
  for (let r = 0; r < warm; r++)
    for (const { file, texts } of sequences) {
      texts.forEach((t, v) => {
        session.openDocument(file, t, v + 1);
        session.analyzeDocument(file, {});
        service.validate(t);
      });
      session.closeDocument(file, 'dockerfile');
    }
  const rows: string[] = [];
  const modules = new Map<string, number>();
  for (const side of ['ours', 'rulesOff', 'theirs'] as const) {
    let functions = 0;
    let calls = 0;
    let n = 0;
    for (const { file, texts } of sequences) {
      session.openDocument(file, texts[0], 1);
      session.analyzeDocument(file, {});
      for (let v = 1; v < texts.length; v++) {
        await post('Profiler.takePreciseCoverage'); // resets the counts
        if (side === 'theirs') service.validate(texts[v]);
        else {
          session.openDocument(file, texts[v], v + 1);
          session.analyzeDocument(file, side === 'ours' ? {} : RULES_OFF);
        }
        const { result } = await post<Coverage>('Profiler.takePreciseCoverage');
        for (const script of result)
          for (const fn of script.functions) {
            const whole = fn.ranges[0];
            // a script's top level (no name, offset 0) ran when it loaded, not in this text
            if (!whole || whole.count === 0 || (fn.functionName === '' && whole.startOffset === 0)) continue;
            functions++;
            calls += whole.count;
            if (side === 'ours' && script.url.endsWith(path.basename(__filename))) {
              const m = moduleAt(whole.startOffset);
              modules.set(m, (modules.get(m) ?? 0) + 1);
            }
          }
        n++;
      }
      session.closeDocument(file, 'dockerfile');
    }
    const label = { ours: 'cachelens Session analysis', rulesOff: 'the same, every rule off', theirs: '`validate()`' };
    rows.push(`| ${label[side]} | ${(functions / n).toFixed(0)} | ${(calls / n).toFixed(0)} |`);
    if (side === 'ours') for (const [m, c] of modules) modules.set(m, c / n);
  }
  const top = [...modules]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([m, c]) => `${m} ${c.toFixed(1)}`)
    .join('; ');
  const rulesShare = [...modules].filter(([m]) => m.startsWith('rules/')).reduce((sum, [, c]) => sum + c, 0);
  const md = `# Code touched per keystroke (in process)

\`node bench/bundled.mjs bench/footprint.bench.ts ${path.relative(process.cwd(), root) || '.'} ${files.map((f) => path.relative(process.cwd(), f)).join(' ')} --warm ${warm}\`

Run ${new Date().toISOString()}, Node ${process.version}. The 5 typed versions of each file (the side-by-side typing), after ${warm} warm-up passes; V8's precise coverage counts, per text, the functions that ran and their calls (a function counts once per text however often it is called).

| per typed text | distinct functions run | calls |
|---|---|---|
${rows.join('\n')}

cachelens' functions per text in the rules (\`server/src/rules/\`): ${rulesShare.toFixed(0)}; by module, the 12 with most: ${top}.
`;
  process.stdout.write(md);
  if (out) writeFileSync(out, md);
}

void main();
