import * as path from 'node:path';
import { defineRule } from './rule';
import type { IgnorePattern } from '../context/ignore';
import { neededManifests, type NeededManifest } from '../cache/manifests';
import { shownPattern } from '../cache/ignorePatterns';
import { commandText } from '../cache/text';
import { appendLinesEdit, patternRange } from './util/ignorefile';

export default defineRule({
  id: 'CL105',
  name: 'manifest-ignored',
  title: 'Ignore file excludes a manifest an install needs',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds an ignore pattern (`*.lock`, `*.json`, `*.toml`) that excludes a manifest or lockfile an install step in the Dockerfile reads.',
    why: 'Without its lockfile the install resolves fresh versions (a different image from the same cache key) or fails under `--frozen-lockfile`/`npm ci`; without the manifest it fails outright.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'].join('\n'),
    useInstead: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'].join('\n'),
    exampleFiles: { '.dockerignore': '*.json\n' },
    useInsteadFiles: { '.dockerignore': '*.json\n!package.json\n!package-lock.json\n' },
  },
  check(ctx) {
    const context = ctx.context;
    const ignore = context?.ignore;
    if (!context || !ignore) return;
    const byPattern = new Map<IgnorePattern, NeededManifest[]>();
    for (const m of neededManifests(ctx.dockerfile, ctx.cache, context)) {
      const { excluded, decidedBy } = ignore.matcher.explain(m.path);
      if (!excluded || !decidedBy) continue;
      const list = byPattern.get(decidedBy) ?? [];
      if (!list.some((x) => x.path === m.path)) list.push(m);
      byPattern.set(decidedBy, list);
    }
    const name = path.basename(ignore.path);
    for (const [p, needed] of byPattern) {
      const files = needed.map((m) => `\`${m.path}\``).join(', ');
      const first = needed[0];
      const exceptions = needed.map((m) => '!' + m.path);
      ctx.report({
        path: ignore.path,
        range: patternRange(ignore.text, p),
        message: `\`${shownPattern(p)}\` excludes ${files}, which \`${commandText(first.install)}\` (Dockerfile line ${first.run.range.start.line + 1}) reads: the install fails or resolves other versions. Add ${exceptions.map((e) => `\`${e}\``).join(', ')} after it.`,
        related: needed.map((m) => ({
          path: ctx.path,
          range: m.run.range,
          message: `\`${commandText(m.install)}\` reads \`${m.path}\``,
        })),
        fixes: [
          {
            title: `Add ${exceptions.join(', ')} to ${name}`,
            safe: true,
            isPreferred: true,
            edits: [appendLinesEdit(ignore.path, ignore.text, exceptions)],
          },
        ],
      });
    }
  },
});
