import * as path from 'node:path';
import { defineRule, type Fix } from './rule';
import type { IgnorePattern } from '../context/ignore';
import type { ContextView, IgnoreFileView } from '../context/view';
import { LineIndex } from '../parse/text';
import { countWords } from '../cache/text';
import { shownPattern, filesMatchedBy } from '../cache/ignorePatterns';
import { reportPerContext } from '../cache/memo';
import { patternRange, lineRange, removeLineEdit, eolOf } from './util/ignorefile';

export default defineRule({
  id: 'CL107',
  name: 'ignore-syntax-trap',
  title: 'Ignore file line does not do what it says',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds `.dockerignore` lines that Docker reads differently from how they look: a trailing `# comment` (part of the pattern), a `#` after leading spaces (a pattern, not a comment), an invalid glob such as an unclosed `[`, a lone `!`, an exception placed before the pattern it means to override, and a wildcard exception that BuildKit and the classic builder apply differently.',
    why: 'Docker only treats `#` in column 1 as a comment, applies the last matching line, and refuses the whole build on an invalid pattern. A line that silently matches nothing leaves files in the context (and in the cache key) that the author meant to keep out.',
    example: ['FROM node:20', 'COPY . .'].join('\n'),
    useInstead: ['FROM node:20', 'COPY . .'].join('\n'),
    exampleFiles: { '.dockerignore': 'node_modules # dependencies\n', 'node_modules/a.js': '' },
    useInsteadFiles: { '.dockerignore': '# dependencies\nnode_modules\n', 'node_modules/a.js': '' },
    references: ['https://docs.docker.com/build/concepts/context/#syntax'],
  },
  check(ctx) {
    reportPerContext(ctx, 'CL107', '', (report) => {
      const context = ctx.context;
      const ignore = context?.ignore;
      if (!context || !ignore) return;
      for (const p of ignore.parsed.patterns) {
        const trap = lineTrap(ignore, p) ?? (p.negate && !p.error ? exceptionTrap(ignore, context, p) : undefined);
        if (trap)
          report({
            path: ignore.path,
            range: trap.range ?? patternRange(ignore.text, p),
            message: trap.message,
            fixes: trap.fixes ?? [],
          });
      }
      for (const t of engineTraps(ignore, context)) report(t);
    });
  },
});

interface Trap {
  message: string;
  fixes?: Fix[];
  range?: ReturnType<typeof lineRange>;
}

function replaceLine(ignore: IgnoreFileView, line: number, text: string): Fix['edits'] {
  return [{ path: ignore.path, range: lineRange(ignore.text, line), newText: text }];
}

/** Traps visible on the line itself. */
function lineTrap(ignore: IgnoreFileView, p: IgnorePattern): Trap | undefined {
  const name = path.basename(ignore.path);
  if (p.negate && p.pattern === '')
    return {
      message: 'A lone `!` is an invalid pattern: Docker refuses the build ("illegal exclusion pattern"). Remove it.',
      fixes: [
        {
          title: `Remove the lone ! from ${name}`,
          safe: true,
          isPreferred: true,
          edits: [removeLineEdit(ignore.path, ignore.text, p.line)],
        },
      ],
    };
  const lead = /^(\s+)#/.exec(p.raw);
  if (lead)
    return {
      message: `Not a comment: Docker treats \`#\` as a comment only in column 1, so this line is the pattern \`${p.pattern}\`. Remove the leading whitespace.`,
      fixes: [
        {
          title: 'Make it a comment',
          safe: true,
          isPreferred: true,
          edits: replaceLine(ignore, p.line, p.raw.slice(lead[1].length)),
        },
      ],
    };
  const trailing = /^(.*?\S)\s+#.*$/.exec(p.raw);
  if (trailing && !p.raw.trimStart().startsWith('#')) {
    const kept = trailing[1];
    const comment = p.raw.slice(p.raw.indexOf('#', kept.length)).trim();
    const eol = eolOf(ignore.text);
    const indent = kept.length - kept.trimStart().length;
    return {
      message: `The \`${comment}\` is part of the pattern: Docker has no trailing comments, so this line matches a file literally named \`${p.pattern}\`, not \`${kept.trim()}\`. Put the comment on its own line.`,
      fixes: [
        {
          title: 'Move the comment to its own line',
          safe: true,
          isPreferred: true,
          edits: replaceLine(ignore, p.line, comment + eol + kept.slice(indent)),
        },
      ],
    };
  }
  if (p.error) {
    const when = p.errorAt === 'match' ? 'fails the build when the pattern is first used' : 'refuses the whole build';
    const detail = p.errorDetail ? ` — ${p.errorDetail}` : '';
    return { message: `Invalid pattern: Docker ${when} ("${p.error}")${detail}. Escape a literal \`[\` as \`\\[\`.` };
  }
  return undefined;
}

/** An exception whose every match a later line excludes again: it has no effect. */
function exceptionTrap(ignore: IgnoreFileView, context: ContextView, p: IgnorePattern): Trap | undefined {
  const matched = filesMatchedBy(p, context.allFiles);
  if (!matched.length) return undefined;
  const later = new Map<number, IgnorePattern>();
  for (const f of matched) {
    const { excluded, decidedBy } = ignore.matcher.explain(f.path);
    if (!excluded || !decidedBy || decidedBy.line <= p.line) return undefined;
    later.set(decidedBy.line, decidedBy);
  }
  const overriding = [...later.values()].sort((a, b) => a.line - b.line);
  const last = overriding[overriding.length - 1];
  const index = new LineIndex(ignore.text);
  const eol = eolOf(ignore.text);
  const at = index.lineEnd(last.line);
  const by = overriding
    .slice(0, 2)
    .map((o) => `line ${o.line + 1} (\`${shownPattern(o)}\`)`)
    .join(', ');
  return {
    message: `\`${shownPattern(p)}\` has no effect: ${by} come${overriding.length === 1 ? 's' : ''} after it and exclude${overriding.length === 1 ? 's' : ''} its ${countWords(matched.length, 'file', context)} again — the last matching line wins. Move the exception below line ${last.line + 1}.`,
    fixes: [
      {
        title: `Move \`${shownPattern(p)}\` below line ${last.line + 1}`,
        safe: false,
        edits: [
          removeLineEdit(ignore.path, ignore.text, p.line),
          { path: ignore.path, range: { start: at, end: at }, newText: eol + p.raw },
        ],
      },
    ],
  };
}

/**
 * Files a wildcard exception brings back under BuildKit but not with the
 * classic builder, which skips an excluded folder unless an exception names
 * a path inside it literally (docker/cli#2919).
 */
function engineTraps(ignore: IgnoreFileView, context: ContextView) {
  const { matcher } = ignore;
  if (!matcher.hasExceptions || !ignore.parsed.patterns.some((p) => p.negate && /[*?[]/.test(p.pattern))) return [];
  const byPattern = new Map<IgnorePattern, { files: number; folder: string; example: string }>();
  const skipped = new Map<string, boolean>();
  for (const f of context.files.slice(0, 50_000)) {
    const { decidedBy } = matcher.explain(f.path);
    if (!decidedBy?.negate || !/[*?[]/.test(decidedBy.pattern)) continue;
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      let skip = skipped.get(dir);
      if (skip === undefined)
        skipped.set(dir, (skip = matcher.canSkipDir(dir, 'classic') && !matcher.canSkipDir(dir, 'buildkit')));
      if (!skip) continue;
      const entry = byPattern.get(decidedBy) ?? { files: 0, folder: dir, example: f.path };
      entry.files++;
      byPattern.set(decidedBy, entry);
      break;
    }
  }
  return [...byPattern].map(([p, e]) => ({
    path: ignore.path,
    range: patternRange(ignore.text, p),
    message: `BuildKit re-includes ${countWords(e.files, 'file', context)} through \`${shownPattern(p)}\` (e.g. \`${e.example}\`), but the classic builder (DOCKER_BUILDKIT=0) skips the excluded folder \`${e.folder}\` and leaves ${e.files === 1 ? 'it' : 'them'} out. Name the paths literally (\`!${e.example}\`) if the classic builder must agree.`,
    fixes: [],
  }));
}
