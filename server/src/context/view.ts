// What the rules see of a build context: the files that reach the build after
// the ignore file, every path present (ignored ones too), and the ignore file.

import type { IgnoreMatcher, ParsedIgnoreFile } from './ignore';
import { simpleGlobToRegExp } from '../parse/glob';
import type { Range } from '../parse/text';

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

/** A COPY/ADD source that matches nothing in the context (cache/sources.ts). */
export interface MissingSource {
  /** 0-based line of the COPY/ADD */
  line: number;
  /** the source word */
  range: Range;
  /** the instruction */
  instruction: Range;
  /** as written */
  source: string;
  /** the context path it stands for, variables expanded */
  path: string;
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
  /**
   * While `generation` stays the same, readText answers as before for every path not in `overlaid` (the
   * context-relative paths an open editor's text overrides now); undefined when nothing says so.
   */
  textState?(): { generation: number; overlaid: ReadonlySet<string> } | undefined;
  /** whether a path (an empty folder, a symlink) exists in the context, for what the file lists do not hold */
  exists?(relPath: string): boolean;
  /**
   * set by lint when COPY/ADD sources match nothing here (CL109): the build
   * fails in this context or the context is the wrong folder. The rules then
   * make no count claims, and no fix writes an ignore file.
   */
  uncertain?: { missing: readonly MissingSource[] };
}

/** The included files under a directory of the context ('' = root), not descending into subfolders. */
export function filesIn(files: readonly ContextFile[], dir: string): ContextFile[] {
  const prefix = dir === '' || dir === '.' ? '' : dir.replace(/\/+$/, '') + '/';
  const candidates = prefix ? filesAt(files, prefix.slice(0, -1)) : files;
  return candidates.filter((f) => f.path.startsWith(prefix) && f.path.indexOf('/', prefix.length) < 0);
}

/** Included files matching a COPY source (a path, a directory, or a simple glob), in list order. */
export function filesMatchingSource(files: readonly ContextFile[], source: string): readonly ContextFile[] {
  return remembered(files, 's', source, matchingSource);
}

function matchingSource(files: readonly ContextFile[], source: string): readonly ContextFile[] {
  const src = source.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (src === '' || src === '.') return files;
  if (/[*?[]/.test(src)) {
    const re = simpleGlobToRegExp(src);
    return files.filter(
      (f) => re.test(f.path) || f.path.split('/').some((_, i, parts) => re.test(parts.slice(0, i + 1).join('/'))),
    );
  }
  return filesAt(files, src);
}

// Rules ask "which files are at or under this path" for every COPY source on
// every keystroke; a scan of a 20,000-file context per source made one
// analysis take 100 ms. Large lists get a sorted index (built once per list:
// the views' lists live as long as their index snapshot) and binary searches.
const LINEAR_BELOW = 512;
const sortedIndexes = new WeakMap<readonly ContextFile[], Uint32Array>();

function sortedIndex(files: readonly ContextFile[]): Uint32Array {
  let order = sortedIndexes.get(files);
  if (!order) {
    order = Uint32Array.from(files.keys());
    // code-unit order, the order `<` and startsWith agree with
    order.sort((a, b) => (files[a].path < files[b].path ? -1 : files[a].path > files[b].path ? 1 : 0));
    sortedIndexes.set(files, order);
  }
  return order;
}

function lowerBound(files: readonly ContextFile[], order: Uint32Array, key: string): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[order[mid]].path < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// A context's lists stay the same objects until its files change, and every
// keystroke's analysis asks them the same questions (each COPY source, each
// manifest, by several rules): the answers are kept per list. Callers get them
// read-only.
const MAX_ANSWERS = 4096;
const answers = new WeakMap<readonly ContextFile[], Map<string, unknown>>();

function remembered<T>(
  files: readonly ContextFile[],
  kind: string,
  path: string,
  compute: (files: readonly ContextFile[], path: string) => T,
): T {
  // small lists too: the same answer object lets what is kept per answer (the volatile-path scan, byte totals) serve it again
  let byPath = answers.get(files);
  if (!byPath) answers.set(files, (byPath = new Map()));
  const key = kind + path;
  let hit = byPath.get(key) as T | undefined;
  if (hit === undefined) {
    hit = compute(files, path);
    if (byPath.size >= MAX_ANSWERS) byPath.clear();
    byPath.set(key, hit);
  }
  return hit;
}

/** The file `path` itself and the files under `path/`, in list order. */
export function filesAt(files: readonly ContextFile[], path: string): readonly ContextFile[] {
  return remembered(files, 'a', path, scanAt);
}

function scanAt(files: readonly ContextFile[], path: string): readonly ContextFile[] {
  if (files.length < LINEAR_BELOW) {
    const under = path + '/';
    return files.filter((f) => f.path === path || f.path.startsWith(under));
  }
  const order = sortedIndex(files);
  const hits: number[] = [];
  const exact = lowerBound(files, order, path);
  if (exact < order.length && files[order[exact]].path === path) hits.push(order[exact]);
  // every path that starts with `path/` sorts in [path + '/', path + '0'): '0' follows '/'
  const end = lowerBound(files, order, path + '0');
  for (let i = lowerBound(files, order, path + '/'); i < end; i++) hits.push(order[i]);
  hits.sort((a, b) => a - b);
  return hits.map((i) => files[i]);
}

const totals = new WeakMap<readonly ContextFile[], number>();

/** The bytes of a list of files (kept per list: a `COPY . .` asks for the whole context's on every analysis). */
export function totalBytes(files: readonly ContextFile[]): number {
  let total = totals.get(files);
  if (total === undefined) {
    total = 0;
    for (const f of files) total += f.size;
    totals.set(files, total);
  }
  return total;
}

/** Whether any file lies under the directory `path/`. */
export function hasFilesUnder(files: readonly ContextFile[], path: string): boolean {
  return remembered(files, 'u', path, scanUnder);
}

function scanUnder(files: readonly ContextFile[], path: string): boolean {
  if (files.length < LINEAR_BELOW) {
    const under = path + '/';
    return files.some((f) => f.path.startsWith(under));
  }
  const order = sortedIndex(files);
  const at = lowerBound(files, order, path + '/');
  return at < order.length && files[order[at]].path.startsWith(path + '/');
}
