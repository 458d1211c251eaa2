import * as path from 'node:path';
import { defineRule } from './rule';
import { formatCount } from '../cache/text';
import {
  isUnanchoredName,
  volatileDeeper,
  shownPattern,
  isDefensivePattern,
  gitignoreEntries,
  bareName,
  matchesAny,
} from '../cache/ignorePatterns';
import { reportPerContext } from '../cache/memo';
import { patternRange, removeLineEdit } from './util/ignorefile';

// Each line costs a search of the whole listing; a generated ignore file of
// thousands of lines is checked up to here so an edit stays well under a second.
const MAX_PATTERNS = 2000;

export default defineRule({
  id: 'CL106',
  name: 'pattern-matches-nothing',
  title: 'Ignore pattern matches nothing',
  defaultSeverity: 'hint',
  needsContext: true,
  docs: {
    what: 'Finds a `.dockerignore` line that matches no file or folder of the build context and looks like a mistake: a path to something that is not there (a leftover, or relative to the wrong folder), an exception with nothing to bring back, a near-miss of a real name. Bare names that guard against files that appear later (`node_modules`, `.env`, logs, template entries, what `.gitignore` lists) are left alone.',
    why: 'A dead line reads as protection that is not there: a misspelt `node_module` or `src/secret.json` written relative to the Dockerfile instead of the context root leaves the real files in the build and in its cache key.',
    example: ['FROM node:20', 'COPY . .'].join('\n'),
    useInstead: ['FROM node:20', 'COPY . .'].join('\n'),
    exampleFiles: { '.dockerignore': 'scr/fixtures\n' },
    useInsteadFiles: { '.dockerignore': 'src/fixtures\n', 'src/fixtures/x.js': '' },
  },
  check(ctx) {
    reportPerContext(ctx, 'CL106', ctx.context?.readText('.gitignore') ?? '', (report) => {
      const context = ctx.context;
      const ignore = context?.ignore;
      // sources missing from the context (CL109): "matches nothing" may be about another folder
      if (!context || !ignore || context.truncated || context.uncertain || !context.allFiles.length) return;
      const gitignored = gitignoreEntries(context);
      const name = path.basename(ignore.path);
      let rootNames: string[] | undefined;
      for (const p of ignore.parsed.patterns.slice(0, MAX_PATTERNS)) {
        if (p.error || p.pattern === '') continue;
        if (matchesAny(p, context.allFiles)) continue;
        // a guard matches nothing until its file appears; but a located guard whose file sits elsewhere in the context misses it
        if (isDefensivePattern(p, gitignored) && !missesPresentFile(p.pattern, context.allFiles)) continue;
        if (isUnanchoredName(p) && volatileDeeper(p, context.files, context.allFiles).length) continue; // CL103 says how to fix it
        // a bare name is usually a guard copied from a template; a location, an exception or a near-miss is a mistake
        const located = bareName(p.pattern).includes('/');
        rootNames ??= [...new Set(context.allFiles.map((f) => f.path.split('/')[0]))];
        const near = !located && !p.negate && !/[*?[]/.test(p.pattern) ? nearMiss(p.pattern, rootNames) : undefined;
        if (!located && !p.negate && !near) continue;
        const hint = near ? ` Did you mean \`${near}\`?` : ' Patterns are relative to the context root.';
        report({
          path: ignore.path,
          range: patternRange(ignore.text, p),
          message: `\`${shownPattern(p)}\` matches nothing in the build context \`${contextName(context.dir, ignore.path)}\` (${formatCount(context.allFiles.length)} files).${hint}`,
          unnecessary: true,
          // a line may guard what appears later: removing it is the user's call, never fix-all's (RULES.md)
          fixes: [
            {
              title: `Remove \`${shownPattern(p)}\` from ${name}`,
              safe: false,
              isPreferred: true,
              edits: [removeLineEdit(ignore.path, ignore.text, p.line)],
            },
          ],
        });
      }
    });
  },
});

/** A located plain path (`/app/secret.json`, `scr/generated`) whose file or folder name is in the context at another place. */
function missesPresentFile(pattern: string, files: readonly { path: string }[]): boolean {
  const bare = bareName(pattern);
  if (!bare.includes('/') || /[*?[]/.test(bare)) return false;
  const last = bare.slice(bare.lastIndexOf('/') + 1);
  // the file, or a folder of that name
  return files.some(
    (f) =>
      f.path === last ||
      f.path.endsWith('/' + last) ||
      f.path.startsWith(last + '/') ||
      f.path.includes('/' + last + '/'),
  );
}

function contextName(dir: string, ignorePath: string): string {
  const rel = path.relative(path.dirname(ignorePath), dir).split(path.sep).join('/');
  return rel === '' ? './' : rel.startsWith('.') ? rel : './' + rel;
}

/** A root entry one edit (two for long names) away from the name (`fixture`, `node_module`). */
function nearMiss(name: string, candidates: readonly string[]): string | undefined {
  // short names sit one edit apart by chance (`logs`/`docs`): only longer ones count
  const max = name.length >= 10 ? 2 : name.length >= 6 ? 1 : 0;
  if (!max) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > max || c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), max);
    if (d <= max && (!best || d < best.d)) best = { name: c, d };
  }
  return best?.name;
}

/** Levenshtein distance, giving up above `max`. */
function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}
