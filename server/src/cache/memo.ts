// Memo helpers: what depends only on a context's file list is computed once
// per list (the Workspace hands out the same list until the files change).

import type { ContextFile, ContextView } from '../context/view';

const memo = new WeakMap<readonly ContextFile[], Map<string, unknown>>();

/**
 * Caches what depends only on a context's file list (and the strings in
 * `key`, such as the ignore text): the Workspace hands out the same list
 * until the files change, so a keystroke in the Dockerfile does not redo
 * scans of a 100k-file context.
 */
export function memoized<T>(files: readonly ContextFile[], key: string, compute: () => T): T {
  let byKey = memoList(files);
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = compute();
  if (byKey.size > 32) byKey = memoList(files, true);
  byKey.set(key, value);
  return value;
}

function memoList(files: readonly ContextFile[], reset = false): Map<string, unknown> {
  let m = memo.get(files);
  if (!m || reset) memo.set(files, (m = new Map()));
  return m;
}

/**
 * Runs a check whose findings depend only on the context and its ignore file
 * (not on the Dockerfile) once per file list and ignore text, and replays
 * its reports (copies, so nobody shares them) on later runs. The reports
 * must hold their fixes as arrays, not functions: structuredClone copies them.
 */
export function reportPerContext<R>(
  ctx: { context?: ContextView; report(r: R): void },
  rule: string,
  extraKey: string,
  check: (report: (r: R) => void) => void,
): void {
  const context = ctx.context;
  if (!context) return;
  const key = `${rule}|${context.dir}|${context.ignore?.path ?? ''}|${context.truncated ?? ''}|${context.uncertain ? 'uncertain' : ''}|${extraKey}|${context.ignore?.text ?? ''}`;
  const reports = memoized(context.allFiles, key, () => {
    const out: R[] = [];
    check((r) => out.push(r));
    return out;
  });
  for (const r of reports) ctx.report(structuredClone(r));
}

/** The paths of a file list, as a set (built once per list). */
export function pathSet(files: readonly ContextFile[]): ReadonlySet<string> {
  return memoized(files, 'paths', () => new Set(files.map((f) => f.path)));
}
