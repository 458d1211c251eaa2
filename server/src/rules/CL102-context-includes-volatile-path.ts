import * as path from 'node:path';
import { defineRule } from './rule';
import type { ContextFile } from '../context/view';
import { broadSources, volatileEntries, describeHit, filesUnder, entryFixes, appendLinesEdit, lineRange, isUnanchoredName, VolatileHit } from './util/ignorefile';
import { contextMissesSources, shortText } from './util/copies';
import { parseIgnoreFile, patternMatches, IgnorePattern } from '../context/ignore';

export default defineRule({
  id: 'CL102',
  name: 'context-includes-volatile-path',
  title: 'Build context still sends volatile paths',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds paths that a whole-folder `COPY` still sends after the ignore file — `.git/`, any `node_modules/`, `__pycache__/`, virtualenvs, build outputs, logs, `.env` files, the Dockerfile and the ignore file — and appends the missing entries.',
    why: 'These change without any source edit (a commit, a local `npm install`, a local build, a log line), and each change misses the cache of the `COPY` and everything after it. Dependencies and outputs are rebuilt in the image anyway; `.env` files leak secrets into it.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .'].join('\n'),
    useInstead: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY src/ ./src/'].join('\n'),
    exampleFiles: { '.dockerignore': '.git\n', 'node_modules/x/index.js': '' },
    references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  },
  check(ctx) {
    const context = ctx.context;
    const ignore = context?.ignore;
    if (!context || !ignore) return;
    const copies = broadSources(ctx.dockerfile, context);
    let sent: readonly ContextFile[] = context.files;
    if (!copies.some((s) => s.path === '')) {
      const union = new Map<string, ContextFile>();
      for (const s of copies) for (const f of filesUnder(context.files, s)) union.set(f.path, f);
      sent = [...union.values()];
    }
    if (!copies.length || !sent.length) return;
    const patterns = ignore.parsed.patterns;
    const hits = volatileEntries(ctx, context, sent).filter((h) => !alreadyListed(h, patterns));
    if (!hits.length) return;
    const name = path.basename(ignore.path);
    const summary = hits.slice(0, 4).map(describeHit).join(', ') + (hits.length > 4 ? ` and ${hits.length - 4} more` : '');
    const entries = hits.map((h) => h.entry);
    const copy = copies.find((s) => hits.some((h) => h.examples.some((e) => s.path === '' || e === s.path || e.startsWith(s.path + '/')))) ?? copies[0];
    ctx.report({
      path: ignore.path,
      range: lineRange(ignore.text, 0),
      message: `The context still sends ${summary} to \`${shortText(copy.ins)}\`: each change misses its cache. Add ${entries.map((e) => `\`${e}\``).join(', ')}.`,
      related: [{ path: ctx.path, range: copy.ins.range, message: `copies ${summary} that \`${name}\` lets through` }],
      // a COPY source the context lacks: the context is uncertain, no ignore file is written
      fixes: contextMissesSources(ctx.dockerfile, context) ? [] : entryFixes(hits, entries, (chosen) => ({ title: `Add ${chosen.join(', ')} to ${name}`, edits: [appendLinesEdit(ignore.path, ignore.text, chosen)] })),
    });
  },
});

/**
 * The entry is written already (an exception re-includes it, which is on
 * purpose), or a root-anchored name covers it once CL103 adds the leading double star.
 */
function alreadyListed(hit: VolatileHit, patterns: readonly IgnorePattern[]): boolean {
  return patterns.some((p) => {
    if (p.negate) return false;
    if (p.pattern === hit.entry) return true;
    if (!isUnanchoredName(p)) return false;
    const deep = parseIgnoreFile('**/' + p.pattern).patterns[0];
    return !!deep && !deep.error && hit.examples.every((e) => patternMatches(deep, e));
  });
}
