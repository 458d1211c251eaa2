import * as path from 'node:path';
import { defineRule } from './rule';
import { patternMatches } from '../context/ignore';
import { formatCount } from './util/copies';
import { isUnanchoredName, deeperMatches, patternRange, removeLineEdit, shownPattern, isDefensivePattern } from './util/ignorefile';

export default defineRule({
  id: 'CL106',
  name: 'pattern-matches-nothing',
  title: 'Ignore pattern matches nothing',
  defaultSeverity: 'hint',
  needsContext: true,
  docs: {
    what: 'Finds a `.dockerignore` line that matches no file or folder of the build context — a leftover, a typo, or a path relative to the wrong folder. Entries that guard against files that appear later (`node_modules`, `.env`, logs, what `.gitignore` lists) are left alone.',
    why: 'A dead line reads as protection that is not there: a misspelt `node_module` or `src/secret.json` written relative to the Dockerfile instead of the context root leaves the real files in the build and in its cache key.',
    example: ['FROM node:20', 'COPY . .'].join('\n'),
    useInstead: ['FROM node:20', 'COPY . .'].join('\n'),
    exampleFiles: { '.dockerignore': 'scr/generated\n' },
    useInsteadFiles: { '.dockerignore': 'src/generated\n', 'src/generated/x.js': '' },
  },
  check(ctx) {
    const context = ctx.context;
    const ignore = context?.ignore;
    if (!context || !ignore || context.truncated || !context.allFiles.length) return;
    const gitignored = gitignoreEntries(context.readText('.gitignore'));
    const name = path.basename(ignore.path);
    for (const p of ignore.parsed.patterns) {
      if (p.error || p.pattern === '') continue;
      if (context.allFiles.some((f) => patternMatches(p, f.path))) continue;
      if (isDefensivePattern(p, gitignored)) continue;
      if (isUnanchoredName(p) && deeperMatches(p, context.allFiles).length) continue; // CL103 says how to fix it
      ctx.report({
        path: ignore.path,
        range: patternRange(ignore.text, p),
        message: `\`${shownPattern(p)}\` matches nothing in the build context \`${contextName(context.dir, ignore.path)}\` (${formatCount(context.allFiles.length)} files); patterns are relative to the context root.`,
        unnecessary: true,
        fixes: [{ title: `Remove \`${shownPattern(p)}\` from ${name}`, safe: true, isPreferred: true, edits: [removeLineEdit(ignore.path, ignore.text, p.line)] }],
      });
    }
  },
});

function contextName(dir: string, ignorePath: string): string {
  const rel = path.relative(path.dirname(ignorePath), dir).split(path.sep).join('/');
  return rel === '' ? './' : rel.startsWith('.') ? rel : './' + rel;
}

/** The names a root `.gitignore` lists, without anchors and trailing slashes. */
function gitignoreEntries(text: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of (text ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    out.add(line.replace(/^\/+/, '').replace(/^\*\*\//, '').replace(/\/+$/, ''));
  }
  return out;
}
