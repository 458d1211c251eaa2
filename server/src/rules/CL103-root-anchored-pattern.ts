import * as path from 'node:path';
import { defineRule } from './rule';
import { isUnanchoredName, volatileDeeper, matchedRoots, shownPattern, matchesAny } from '../cache/ignorePatterns';
import { reportPerContext } from '../cache/memo';
import { countWords } from '../cache/text';
import { patternRange } from './util/ignorefile';

export default defineRule({
  id: 'CL103',
  name: 'root-anchored-pattern',
  title: 'Ignore pattern only matches at the context root',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds a `.dockerignore` pattern without a slash (`node_modules`, `__pycache__`, `*.pyc`) that leaves volatile copies of the same name deeper in the context in — the `.gitignore` habit. Ordinary names that recur as source (`config/`, `*.md`) are left alone: widening them could drop files the image needs.',
    why: '`.dockerignore` patterns are anchored at the context root: `node_modules` excludes `./node_modules` only, so `packages/web/node_modules` still reaches every `COPY . .`, busting its cache on each local install and overwriting what the image installed.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci'].join('\n'),
    useInstead: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci'].join('\n'),
    exampleFiles: { '.dockerignore': 'node_modules\n', 'node_modules/a.js': '', 'packages/web/node_modules/b.js': '' },
    useInsteadFiles: {
      '.dockerignore': '**/node_modules\n',
      'node_modules/a.js': '',
      'packages/web/node_modules/b.js': '',
    },
    references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  },
  check(ctx) {
    reportPerContext(ctx, 'CL103', '', (report) => {
      const ignore = ctx.context?.ignore;
      if (!ctx.context || !ignore) return;
      for (const p of ignore.parsed.patterns) {
        if (p.negate || !isUnanchoredName(p)) continue;
        const deeper = volatileDeeper(p, ctx.context.files, ctx.context.allFiles);
        if (!deeper.length) continue;
        const roots = [...matchedRoots(p, deeper)].sort((a, b) => b[1] - a[1]);
        const atRoot = matchesAny(p, ctx.context.allFiles);
        const shown =
          roots
            .slice(0, 2)
            .map(([r, n]) => `\`${r}\` (${countWords(n, 'file', ctx.context)})`)
            .join(', ') + (roots.length > 2 ? ` and ${roots.length - 2} more` : '');
        const range = patternRange(ignore.text, p);
        const fixed = `**/${p.pattern}`;
        report({
          path: ignore.path,
          range,
          message: `\`${shownPattern(p)}\` ${atRoot ? `excludes only \`./${p.pattern}\`` : 'excludes nothing'}; ${shown} ${roots.length === 1 ? 'is' : 'are'} still sent — patterns are anchored at the context root. Use \`${fixed}\`.`,
          fixes: [
            {
              title: `Change to ${fixed} in ${path.basename(ignore.path)}`,
              safe: true,
              isPreferred: true,
              edits: [{ path: ignore.path, range, newText: fixed }],
            },
          ],
        });
      }
    });
  },
});
