// What the rules see of a build context: the files that reach the build after
// the ignore file, every path present (ignored ones too), and the ignore file.

import type { IgnoreMatcher, ParsedIgnoreFile } from './ignore';
import { simpleGlobToRegExp } from '../parse/glob';

export interface ContextFile {
  /** relative to the context root, '/' separated */
  path: string;
  size: number;
}

export interface IgnoreFileView {
  /** absolute path */
  path: string;
  text: string;
  parsed: ParsedIgnoreFile;
  matcher: IgnoreMatcher;
}

export interface ContextView {
  /** absolute path of the context root */
  dir: string;
  /** why this directory is the context, in words */
  reason: string;
  ignore?: IgnoreFileView;
  /** where a new ignore file for this Dockerfile would go */
  ignorePathForNew: string;
  /** files that reach the build */
  files: readonly ContextFile[];
  /** every file path present in the context, excluded ones too */
  allFiles: readonly ContextFile[];
  /** set when the walk stopped early (limits), in words */
  truncated?: string;
  /** reads a (small) text file of the context, for manifests like package.json */
  readText(relPath: string): string | undefined;
}

/** The included files under a directory of the context ('' = root), not descending into subfolders. */
export function filesIn(files: readonly ContextFile[], dir: string): ContextFile[] {
  const prefix = dir === '' || dir === '.' ? '' : dir.replace(/\/+$/, '') + '/';
  return files.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/'));
}

/** Included files matching a COPY source (a path, a directory, or a simple glob). */
export function filesMatchingSource(files: readonly ContextFile[], source: string): ContextFile[] {
  const src = source.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (src === '' || src === '.') return [...files];
  if (/[*?[]/.test(src)) {
    const re = simpleGlobToRegExp(src);
    return files.filter((f) => re.test(f.path) || f.path.split('/').some((_, i, parts) => re.test(parts.slice(0, i + 1).join('/'))));
  }
  return files.filter((f) => f.path === src || f.path.startsWith(src + '/'));
}
