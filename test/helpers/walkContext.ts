// Walking a context the way Docker does (fsutil / go-archive), for the tests that
// check the matcher's directory skipping against Docker's walk.

import type { IgnoreMatcher, WalkEngine } from '../../server/src/context/ignore';

export interface WalkDirent {
  name: string;
  isDir: boolean;
}

export interface WalkEntry {
  path: string;
  isDir: boolean;
}

export interface WalkOptions {
  /** .dockerignore patterns: drop what matches. */
  exclude?: IgnoreMatcher;
  /** COPY --include style patterns (fsutil IncludePatterns): keep only what matches. BuildKit only. */
  include?: IgnoreMatcher;
  /**
   * 'buildkit' (fsutil FilterFS): excluded directories are still emitted, just
   * before their first kept descendant. 'classic' (docker CLI / go-archive):
   * only kept entries are emitted; their parents are created on extraction.
   */
  engine?: WalkEngine;
}

/**
 * Walks a context (depth first, names in byte order, as Go's WalkDir) and
 * returns the entries Docker would send. readDir('') lists the root; it is
 * never called for a directory the engine skips, which is how unreadable
 * excluded directories stay harmless.
 */
export function walkContext(readDir: (dir: string) => WalkDirent[], opts: WalkOptions = {}): WalkEntry[] {
  const engine = opts.engine ?? 'buildkit';
  const out: WalkEntry[] = [];
  interface Parent {
    path: string;
    emitted: boolean;
  }
  const visit = (dir: string, parents: Parent[]): void => {
    const names = readDir(dir)
      .slice()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      const path = dir === '' ? d.name : dir + '/' + d.name;
      let skip = false;
      if (opts.include && engine === 'buildkit' && !opts.include.excludes(path)) {
        if (d.isDir && opts.include.canSkipDirForInclude(path)) continue;
        skip = true;
      }
      if (opts.exclude?.excludes(path)) {
        if (d.isDir && opts.exclude.canSkipDir(path, engine)) continue;
        skip = true;
      }
      if (!skip) {
        if (engine === 'buildkit') {
          for (const p of parents) {
            if (!p.emitted) {
              out.push({ path: p.path, isDir: true });
              p.emitted = true;
            }
          }
        }
        out.push({ path, isDir: d.isDir });
      }
      if (d.isDir) visit(path, [...parents, { path, emitted: !skip }]);
    }
  };
  visit('', []);
  return out;
}
