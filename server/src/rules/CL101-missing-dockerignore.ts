import * as path from 'node:path';
import { defineRule } from './rule';
import { broadSources, filesUnder } from '../cache/localSources';
import { volatileEntries, describeHit, localOnlyEntries } from '../cache/volatilePaths';
import { formatCount, shortText } from '../cache/text';
import { entryFixes } from './util/ignorefile';

export default defineRule({
  id: 'CL101',
  name: 'missing-dockerignore',
  title: 'Whole folder copied without an ignore file',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds a `COPY`/`ADD` of a whole folder (`.`, `./`, `src/`) when no ignore file applies to the Dockerfile, and writes one from what is really in the context.',
    why: 'Without an ignore file every file of the folder is part of the cache key: `.git/` changes on each commit, `node_modules/` and build outputs on each local build, so the copy — and every step after it — misses the cache even when no source changed. Secrets such as `.env` end up in the image.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci'].join('\n'),
    useInstead: [
      '# .dockerignore beside the Dockerfile:',
      '#   .git',
      '#   **/node_modules',
      '#   Dockerfile',
      'FROM node:20',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
    ].join('\n'),
    references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  },
  check(ctx) {
    const context = ctx.context;
    // sources missing from the context (CL109): what it sends is not known, so nothing to say or write
    if (!context || context.ignore || context.uncertain) return;
    const broad = broadSources(ctx.dockerfile, context);
    if (!broad.length) return;
    const first = broad[0];
    const sent = filesUnder(context.allFiles, first);
    if (!sent.length) return;
    const hits = volatileEntries(ctx, context, context.allFiles);
    const inCopy = volatileEntries(ctx, context, sent).filter((h) => h.row.kind !== 'docker');
    // a copy of one folder that holds nothing volatile sends what it names: an ignore file would change nothing there
    if (first.path && !inCopy.length) return;
    const ignoreName = path.basename(context.ignorePathForNew);
    const what = inCopy.length ? `, including ${inCopy.slice(0, 3).map(describeHit).join(', ')}` : '';
    const entries = hits.map((h) => h.entry);
    // what a developer's checkout grows later (node_modules, .venv, target/, .env*, logs) is listed before it appears
    entries.push(...localOnlyEntries(ctx, context, entries));
    if (!entries.includes(ignoreName) && path.dirname(context.ignorePathForNew) === context.dir)
      entries.push(ignoreName);
    const where = first.path
      ? `the ${formatCount(sent.length)} file${sent.length === 1 ? '' : 's'} under \`${first.path}\``
      : `the whole context (${formatCount(sent.length)} file${sent.length === 1 ? '' : 's'})`;
    ctx.report({
      message: `No ignore file applies: \`${shortText(first.ins)}\` sends ${where}${what}. Create \`${ignoreName}\`.`,
      range: first.ins.range,
      // a source the context lacks, or a context only inferred: where Docker reads the ignore file is uncertain, write none
      fixes:
        context.uncertain || /inferred/i.test(context.reason)
          ? []
          : entryFixes(hits, entries, (chosen) => ({
              title: `Create ${ignoreName} (${chosen.join(', ')})`,
              createFile: context.ignorePathForNew,
              edits: [
                {
                  path: context.ignorePathForNew,
                  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                  newText: chosen.map((e) => e + ctx.dockerfile.lines.eol).join(''),
                },
              ],
            })),
    });
  },
});
