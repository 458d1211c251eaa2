// When nothing names a Dockerfile's context: the folder its COPY/ADD sources
// exist in, and the order of several contexts by the same measure.

import * as path from 'node:path';
import { isInside, type WorkspaceFs } from './fs';

const MAX_INFER_SOURCES = 64;

/** Several contexts: the ones in which more of the COPY sources exist first (stable otherwise). */
export function byCopySources<C extends { contextDir: string }>(
  fs: WorkspaceFs,
  contexts: C[],
  sources: readonly string[],
): C[] {
  const list = usableSources(sources);
  const score = new Map(contexts.map((c) => [c, list.filter((s) => sourceExists(fs, c.contextDir, s)).length]));
  return contexts.slice().sort((a, b) => score.get(b)! - score.get(a)!);
}

function usableSources(sources: readonly string[]): string[] {
  return [
    ...new Set(
      sources
        .map((s) => s.replace(/^\/+/, '').replace(/\/+$/, ''))
        .filter((s) => s !== '' && s !== '.' && !s.split('/').includes('..')),
    ),
  ].slice(0, MAX_INFER_SOURCES);
}

/**
 * The nearest folder above the Dockerfile's (up to the workspace root) in
 * which more of the COPY/ADD sources exist than in the Dockerfile's own
 * folder, preferring the one where most exist; undefined when the
 * Dockerfile's folder holds them all, or no folder does better.
 */
export function inferContext(fs: WorkspaceFs, dockerfile: string, sources: readonly string[]): string | undefined {
  let dir = path.dirname(dockerfile);
  // no folder above the Dockerfile's to prefer (it sits at the workspace root): nothing to score
  if (dir === fs.root || !isInside(fs.root, dir)) return undefined;
  const list = usableSources(sources);
  if (!list.length) return undefined;
  const score = (dir: string) => list.filter((src) => sourceExists(fs, dir, src)).length;
  const own = score(dir);
  if (own === list.length) return undefined;
  let best: { dir: string; n: number } | undefined;
  while (dir !== fs.root && isInside(fs.root, dir)) {
    dir = path.dirname(dir);
    const n = score(dir);
    if (n > own && (!best || n > best.n)) best = { dir, n };
    if (n === list.length) break;
  }
  return best?.dir;
}

/** True when `src` (a COPY source, possibly with `*`, `?` or `[…]` in a segment) names something under `dir`. */
function sourceExists(fs: WorkspaceFs, dir: string, src: string): boolean {
  let current = [dir];
  for (const seg of src.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (!/[*?[]/.test(seg)) {
      current = current.map((c) => path.join(c, seg));
      continue;
    }
    const re = globSegment(seg);
    const next: string[] = [];
    for (const c of current)
      for (const e of fs.readDir(c) ?? []) if (re.test(e.name) && next.length < 256) next.push(path.join(c, e.name));
    current = next;
  }
  return current.some((p) => fs.stat(p) !== undefined);
}

function globSegment(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          seg
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp('^' + re + '$');
  } catch {
    return /$^/;
  }
}
