// A build context from an in-memory file table, for rule tests.
import type { ContextView, ContextFile } from '../../server/src/context/view';
import { parseIgnoreFile, IgnoreMatcher } from '../../server/src/context/ignore';

export function memoryContext(dir: string, files: Record<string, string>, dockerfileName = 'Dockerfile'): ContextView {
  const ignoreName = files[`${dockerfileName}.dockerignore`] !== undefined ? `${dockerfileName}.dockerignore` : '.dockerignore';
  const ignoreText = files[ignoreName];
  const parsed = ignoreText !== undefined ? parseIgnoreFile(ignoreText) : undefined;
  const matcher = parsed ? new IgnoreMatcher(parsed.patterns) : undefined;
  const allFiles: ContextFile[] = Object.entries(files).map(([path, text]) => ({ path, size: Buffer.byteLength(text) }));
  return {
    dir,
    reason: 'test context',
    ignore: parsed && matcher ? { path: `${dir}/${ignoreName}`, text: ignoreText!, parsed, matcher } : undefined,
    ignorePathForNew: `${dir}/.dockerignore`,
    files: matcher ? allFiles.filter((f) => !matcher.excludes(f.path)) : allFiles,
    allFiles,
    readText: (p) => files[p],
  };
}
