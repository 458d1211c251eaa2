import * as path from 'node:path';
import type { FormatContext, ReportFile } from './types';

/** The file's absolute path. */
export function absPath(f: ReportFile): string {
  return path.resolve(f.base, f.path);
}

/**
 * The path CI systems expect: relative to the current directory (the
 * repository root in a job), with forward slashes; absolute when outside it.
 */
export function ciPath(f: ReportFile, ctx: FormatContext): string {
  const abs = absPath(f);
  const rel = path.relative(ctx.cwd, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return abs.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
