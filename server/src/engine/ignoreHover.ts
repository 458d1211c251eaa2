// Hover on a line of an ignore file: what the pattern excludes (or brings
// back) in each build context that uses the file, what it misses because
// patterns are anchored at the context root, and which Dockerfiles it serves.
// Markdown, no LSP types.

import * as path from 'node:path';
import { parseIgnoreFile, patternMatches, IgnoreMatcher, type IgnorePattern } from '../context/ignore';
import type { ContextView, ContextFile } from '../context/view';
import { formatBytes, formatCount } from '../cache/text';
import { isUnanchoredName, deeperMatches, matchedRoots, filesMatchedBy, namesVolatile } from '../cache/ignorePatterns';

const EXAMPLES = 3;

export function hoverIgnorePattern(
  ignorePath: string,
  ignoreText: string,
  line: number,
  contexts: ContextView[],
  dockerfiles: string[],
): string | undefined {
  // a context built from this very text has parsed it and compiled its matcher already
  const own = contexts.find((c) => c.ignore?.path === ignorePath && c.ignore.text === ignoreText)?.ignore;
  const parsed = own?.parsed ?? parseIgnoreFile(ignoreText);
  const p = parsed.patterns.find((x) => x.line === line);
  if (!p) return undefined;
  const base = path.dirname(ignorePath);
  const rel = (abs: string) => {
    const r = path.relative(base, abs).split(path.sep).join('/');
    return r === '' ? './' : r;
  };
  const parts: string[] = [header(p)];
  if (p.error) {
    parts.push(
      `**Invalid pattern:** Docker ${p.errorAt === 'match' ? 'fails the build when it first uses this pattern' : 'refuses the whole build'} ("${p.error}")${p.errorDetail ? ` — ${p.errorDetail}` : ''}.`,
    );
  } else if (!contexts.length) {
    parts.push('No build context using this file is known yet: open a Dockerfile that uses it to see what it matches.');
  } else {
    let built: IgnoreMatcher | undefined;
    const matcher = () => own?.matcher ?? (built ??= new IgnoreMatcher(parsed.patterns));
    for (const context of contexts) {
      const body = describeInContext(p, matcher, context);
      parts.push(contexts.length > 1 ? `**In context \`${rel(context.dir)}\`:** ${body}` : body);
    }
  }
  parts.push(
    dockerfiles.length
      ? `Serves ${dockerfiles.map((d) => `\`${rel(d)}\``).join(', ')}.`
      : 'No Dockerfile found that uses this file.',
  );
  return parts.join('\n\n');
}

function header(p: IgnorePattern): string {
  const written = p.raw.trim();
  const read = (p.negate ? '!' : '') + p.pattern;
  const role = p.negate
    ? 'an exception: brings back what earlier lines exclude'
    : 'excludes what it matches and everything below a matched folder';
  const asRead = written !== read && !p.error ? ` Docker reads it as \`${read}\`.` : '';
  return `**\`${written}\`** — ${role}.${asRead}`;
}

function filesWord(n: number): string {
  return `${formatCount(n)} file${n === 1 ? '' : 's'}`;
}

function sizeOf(files: readonly ContextFile[]): string {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  return bytes > 0 ? `, ${formatBytes(bytes)}` : '';
}

/** The folders (or files) the pattern matches, largest first, with their file counts. */
function roots(p: IgnorePattern, files: readonly ContextFile[]): [string, number][] {
  const out = new Map<string, number>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const at = parts.slice(0, i).join('/');
      if (patternMatches(p, at)) {
        out.set(at, (out.get(at) ?? 0) + 1);
        break;
      }
    }
  }
  return [...out].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function describeInContext(p: IgnorePattern, matcher: () => IgnoreMatcher, context: ContextView): string {
  const lines: string[] = [];
  const matched = filesMatchedBy(p, context.allFiles);
  const decided = matched.filter((f) => matcher().explain(f.path).decidedBy?.line === p.line);
  const verb = p.negate ? 'Brings back' : 'Excludes';
  if (!matched.length) {
    lines.push(`Matches nothing in this context (${filesWord(context.allFiles.length)}).`);
  } else {
    const top = roots(p, decided.length ? decided : matched);
    const examples = top
      .slice(0, EXAMPLES)
      .map(([r, n]) => `\`${r}\`${n > 1 ? ` (${formatCount(n)})` : ''}`)
      .join(', ');
    if (decided.length)
      lines.push(
        `${verb} **${filesWord(decided.length)}**${sizeOf(decided)} in this context: ${examples}${top.length > EXAMPLES ? ', …' : ''}.`,
      );
    const overridden = matched.length - decided.length;
    if (overridden > 0) {
      const later = new Map<number, IgnorePattern>();
      for (const f of matched) {
        const by = matcher().explain(f.path).decidedBy;
        if (by && by.line !== p.line) later.set(by.line, by);
      }
      const by = [...later.values()]
        .sort((a, b) => a.line - b.line)
        .slice(0, 2)
        .map((x) => `line ${x.line + 1} \`${x.raw.trim()}\``)
        .join(', ');
      lines.push(
        `${decided.length ? `${formatCount(overridden)} more` : `All ${filesWord(overridden)}`} it matches ${overridden === 1 ? 'is' : 'are'} decided by a later line (${by}) — the last matching line wins.`,
      );
    }
  }
  if (!p.negate && isUnanchoredName(p)) {
    const deeper = deeperMatches(p, context.files);
    if (deeper.length) {
      const missed = [...matchedRoots(p, deeper)].sort((a, b) => b[1] - a[1]);
      const shown = missed
        .slice(0, EXAMPLES)
        .map(([r, n]) => `\`${r}\` (${filesWord(n)})`)
        .join(', ');
      const advice = namesVolatile(p) ? 'use' : 'to exclude them too, use';
      lines.push(
        `Does not match ${shown}${missed.length > EXAMPLES ? ', …' : ''} — patterns are anchored at the context root; ${advice} \`**/${p.pattern}\`.`,
      );
    }
  }
  if (context.truncated)
    lines.push(`_The context listing is incomplete (${context.truncated}); counts are lower bounds._`);
  return lines.join('\n\n');
}
