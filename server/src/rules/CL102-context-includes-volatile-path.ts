import * as path from 'node:path';
import { defineRule, type Fix } from './rule';
import { broadSources, filesSentBy } from '../cache/localSources';
import { volatileEntries, describeHit, type VolatileHit } from '../cache/volatilePaths';
import { isUnanchoredName } from '../cache/ignorePatterns';
import { shortText } from '../cache/text';
import { entryFixes, appendLinesEdit, lineRange } from './util/ignorefile';
import { ignoreLinePattern, patternMatches, type IgnorePattern } from '../context/ignore';

export default defineRule({
  id: 'CL102',
  name: 'context-includes-volatile-path',
  title: 'Build context still sends volatile paths',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds paths that a whole-folder `COPY` still sends after the ignore file — `.git/`, any `node_modules/`, `__pycache__/`, virtualenvs, build outputs, logs, `.env` files, the Dockerfile and the ignore file — and appends the missing entries.',
    why: 'These change without any source edit (a commit, a local `npm install`, a local build, a log line), and each change misses the cache of the `COPY` and everything after it. Dependencies and outputs are rebuilt in the image anyway; `.env` files leak secrets into it.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .'].join(
      '\n',
    ),
    useInstead: [
      'FROM node:20',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci',
      'COPY src/ ./src/',
    ].join('\n'),
    exampleFiles: { '.dockerignore': '.git\n', 'node_modules/x/index.js': '' },
    references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  },
  check(ctx) {
    const context = ctx.context;
    const ignore = context?.ignore;
    // sources missing from the context (CL109): what it sends is not known, so nothing to say or write
    if (!context || !ignore || context.uncertain) return;
    const copies = broadSources(ctx.dockerfile, context);
    const sent = filesSentBy(context.files, copies);
    if (!copies.length || !sent.length) return;
    const patterns = ignore.parsed.patterns;
    const hits = volatileEntries(ctx, context, sent).filter((h) => !alreadyListed(h, patterns));
    if (!hits.length) return;
    const copy =
      copies.find((s) =>
        hits.some((h) => h.examples.some((e) => s.path === '' || e === s.path || e.startsWith(s.path + '/'))),
      ) ?? copies[0];
    const data: MergeData = { hits, copies: [shortText(copy.ins)], ignorePath: ignore.path, ignoreText: ignore.text };
    const { message, summary } = describe(data);
    ctx.report({
      path: ignore.path,
      range: lineRange(ignore.text, 0),
      message,
      related: [
        {
          path: ctx.path,
          range: copy.ins.range,
          message: `copies ${summary} that \`${path.basename(ignore.path)}\` lets through`,
        },
      ],
      // built when read: most keystrokes publish the finding and never ask for its fix
      fixes: () => fixesFor(data),
      data,
    });
  },
  // an ignore file serving several Dockerfiles: one finding, with every entry any of them needs, and one fix that adds them all
  merge(findings) {
    const all = findings.map((f) => f.data as MergeData);
    const byEntry = new Map<string, VolatileHit>();
    for (const d of all)
      for (const h of d.hits)
        if (!byEntry.has(h.entry) || byEntry.get(h.entry)!.files < h.files) byEntry.set(h.entry, h);
    const data: MergeData = {
      hits: [...byEntry.values()],
      copies: [...new Set(all.flatMap((d) => d.copies))],
      ignorePath: all[0].ignorePath,
      ignoreText: all[0].ignoreText,
    };
    const { message } = describe(data);
    const fixes = fixesFor(data);
    const seen = new Set<string>();
    const related = findings
      .flatMap((f) => f.related)
      .filter((r) => {
        const key = `${r.path}|${r.range.start.line}`;
        return !seen.has(key) && !!seen.add(key);
      });
    return { ...findings[0], message, fixes, related, data };
  },
});

interface MergeData {
  hits: VolatileHit[];
  /** the COPYs that send them, as shown */
  copies: string[];
  ignorePath: string;
  ignoreText: string;
}

function describe(d: MergeData): { message: string; summary: string } {
  const summary =
    d.hits.slice(0, 4).map(describeHit).join(', ') + (d.hits.length > 4 ? ` and ${d.hits.length - 4} more` : '');
  const entries = d.hits.map((h) => `\`${h.entry}\``).join(', ');
  return {
    summary,
    message: `The context still sends ${summary} to ${d.copies.map((c) => `\`${c}\``).join(', ')}: each change misses its cache. Add ${entries}.`,
  };
}

function fixesFor(d: MergeData): Fix[] {
  const name = path.basename(d.ignorePath);
  return entryFixes(
    d.hits,
    d.hits.map((h) => h.entry),
    (chosen) => ({
      title: `Add ${chosen.join(', ')} to ${name}`,
      edits: [appendLinesEdit(d.ignorePath, d.ignoreText, chosen)],
    }),
  );
}

/**
 * The entry is written already (an exception re-includes it, which is on
 * purpose), or a root-anchored name covers it once CL103 adds the leading double star.
 */
function alreadyListed(hit: VolatileHit, patterns: readonly IgnorePattern[]): boolean {
  return patterns.some((p) => {
    if (p.negate) return false;
    if (p.pattern === hit.entry) return true;
    if (!isUnanchoredName(p)) return false;
    const deep = ignoreLinePattern('**/' + p.pattern);
    return !!deep && !deep.error && hit.examples.every((e) => patternMatches(deep, e));
  });
}
