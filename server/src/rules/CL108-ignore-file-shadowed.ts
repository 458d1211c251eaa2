import * as path from 'node:path';
import { defineRule } from './rule';
import { parseIgnoreFile } from '../context/ignore';
import { lineRange } from './util/ignorefile';

export default defineRule({
  id: 'CL108',
  name: 'ignore-file-shadowed',
  title: 'Context .dockerignore is not used for this Dockerfile',
  defaultSeverity: 'info',
  needsContext: true,
  docs: {
    what: "Reports, on the context's `.dockerignore`, that a Dockerfile has its own `<Dockerfile>.dockerignore`, which BuildKit uses instead.",
    why: 'BuildKit reads only one ignore file: `Dockerfile.prod.dockerignore` beside `Dockerfile.prod` replaces `.dockerignore` completely, it does not add to it. Entries added to `.dockerignore` for that build do nothing, and the classic builder (DOCKER_BUILDKIT=0) still uses `.dockerignore`, so the two builders send different contexts.',
    example: ['FROM node:20', 'COPY . .'].join('\n'),
    useInstead: ['FROM node:20', 'COPY . .'].join('\n'),
    exampleFiles: { '.dockerignore': '.git\n', 'Dockerfile.dockerignore': '.git\n**/node_modules\n' },
    useInsteadFiles: { 'Dockerfile.dockerignore': '.git\n**/node_modules\n' },
    references: ['https://docs.docker.com/build/concepts/context/#filename-and-location'],
  },
  check(ctx) {
    const context = ctx.context;
    const ignore = context?.ignore;
    if (!context || !ignore || path.basename(ignore.path) === '.dockerignore') return;
    if (!context.allFiles.some((f) => f.path === '.dockerignore')) return;
    const shadowedPath = path.join(context.dir, '.dockerignore');
    const text = context.readText('.dockerignore') ?? '';
    const shadowed = new Set(parseIgnoreFile(text).patterns.map((p) => (p.negate ? '!' : '') + p.pattern));
    const own = new Set(ignore.parsed.patterns.map((p) => (p.negate ? '!' : '') + p.pattern));
    const onlyHere = [...shadowed].filter((p) => !own.has(p));
    const missing = onlyHere.length
      ? ` Its ${onlyHere
          .slice(0, 3)
          .map((p) => `\`${p}\``)
          .join(
            ', ',
          )}${onlyHere.length > 3 ? ` and ${onlyHere.length - 3} more` : ''} do${onlyHere.length === 1 ? 'es' : ''} not apply there.`
      : '';
    ctx.report({
      path: shadowedPath,
      range: lineRange(text, 0),
      message: `Not used for \`${path.basename(ctx.path)}\`: BuildKit reads \`${path.basename(ignore.path)}\` beside it instead (the classic builder still reads this file).${missing}`,
    });
  },
});
