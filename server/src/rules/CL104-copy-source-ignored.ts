import * as path from 'node:path';
import { defineRule, type Fix, type Report } from './rule';
import type { IgnorePattern } from '../context/ignore';
import { filesMatchingSource } from '../context/view';
import { localSources } from '../cache/localSources';
import { neededManifests } from '../cache/manifests';
import { shownPattern } from '../cache/ignorePatterns';
import { countWords } from '../cache/text';
import { appendLinesEdit, removeLineEdit } from './util/ignorefile';

export default defineRule({
  id: 'CL104',
  name: 'copy-source-ignored',
  title: 'COPY source is excluded by the ignore file',
  defaultSeverity: 'error',
  needsContext: true,
  docs: {
    what: "Finds a `COPY`/`ADD` source that the ignore file excludes entirely — also when `!` exceptions are present, which BuildKit's own CopyIgnoredFile check skips.",
    why: 'Excluded files never reach the builder: the step fails with "not found", or copies an empty folder and the image breaks later, although the file is right there in the project.',
    example: ['FROM nginx:alpine', 'COPY dist/ /usr/share/nginx/html/'].join('\n'),
    useInstead: ['FROM nginx:alpine', 'COPY src/ /usr/share/nginx/html/'].join('\n'),
    exampleFiles: { '.dockerignore': 'dist\n', 'dist/index.html': '' },
    references: ['https://docs.docker.com/reference/build-checks/copy-ignored-file/'],
  },
  check(ctx) {
    const context = ctx.context;
    const ignore = context?.ignore;
    if (!context || !ignore) return;
    // manifests an install needs are CL105's, on the pattern that excludes them
    const manifests = new Set(neededManifests(ctx.dockerfile, ctx.cache, context).map((m) => m.path));
    const name = path.basename(ignore.path);
    const found: { report: Report & { fixes: Fix[] }; exception?: string }[] = [];
    for (const source of localSources(ctx.dockerfile)) {
      if (source.path === '') continue;
      const present = filesMatchingSource(context.allFiles, source.path);
      if (!present.length || filesMatchingSource(context.files, source.path).length) continue;
      if (present.every((f) => manifests.has(f.path))) continue;
      const deciders = new Map<number, IgnorePattern>();
      for (const f of present) {
        const by = ignore.matcher.explain(f.path).decidedBy;
        if (by) deciders.set(by.line, by);
      }
      const lines = [...deciders.values()];
      const by =
        lines
          .slice(0, 2)
          .map((p) => `line ${p.line + 1} (\`${shownPattern(p)}\`)`)
          .join(', ') + (lines.length > 2 ? ` and ${lines.length - 2} more` : '');
      const what =
        present.length === 1 && present[0].path === source.path
          ? `\`${source.word.value}\` is excluded`
          : `all ${countWords(present.length, 'file', context)} of \`${source.word.value}\` are excluded`;
      const fixes: Fix[] = [];
      const same = lines.length === 1 && !lines[0].negate && lines[0].pattern === source.path;
      const remove =
        lines.length === 1
          ? {
              title: `Remove \`${shownPattern(lines[0])}\` from ${name}`,
              edits: [removeLineEdit(ignore.path, ignore.text, lines[0].line)],
            }
          : undefined;
      if (remove && same) fixes.push({ ...remove, safe: true, isPreferred: true });
      else if (remove) fixes.push({ ...remove, safe: false });
      found.push({
        report: {
          range: source.word.range,
          message: `${what} by \`${name}\` ${by}: the step fails or copies nothing. ${same ? `Remove the line` : `Add an exception \`!${source.path}\``}.`,
          related: lines.map((p) => ({
            path: ignore.path,
            range: { start: { line: p.line, character: 0 }, end: { line: p.line, character: p.raw.length } },
            message: `excludes \`${source.word.value}\``,
          })),
          fixes,
        },
        exception: same ? undefined : '!' + source.path,
      });
    }
    // Every exception goes in at the end of the ignore file: one fix adds all of
    // them, so that fix-all needs one pass however many sources are excluded
    // (one append per source clashed at the same point and took a pass each).
    const exceptions = [...new Set(found.flatMap((f) => (f.exception ? [f.exception] : [])))];
    const title =
      exceptions.length <= 3
        ? `Add ${exceptions.join(', ')} to ${name}`
        : `Add ${exceptions.length} exceptions to ${name} (${exceptions.slice(0, 3).join(', ')}, …)`;
    const addAll: Fix = {
      title,
      safe: true,
      isPreferred: true,
      edits: [appendLinesEdit(ignore.path, ignore.text, exceptions)],
    };
    for (const f of found) ctx.report(f.exception ? { ...f.report, fixes: [addAll, ...f.report.fixes] } : f.report);
  },
});
