// A build context from an in-memory file table, for rule tests.
import type { ContextView, ContextFile } from '../../server/src/context/view';
import { parseIgnoreFile, IgnoreMatcher } from '../../server/src/context/ignore';
import type { WorkspaceFs } from '../../server/src/context/fs';

export function memoryContext(dir: string, files: Record<string, string>, dockerfileName = 'Dockerfile'): ContextView {
  const ignoreName =
    files[`${dockerfileName}.dockerignore`] !== undefined ? `${dockerfileName}.dockerignore` : '.dockerignore';
  const ignoreText = files[ignoreName];
  const parsed = ignoreText !== undefined ? parseIgnoreFile(ignoreText) : undefined;
  const matcher = parsed ? new IgnoreMatcher(parsed.patterns) : undefined;
  const allFiles: ContextFile[] = Object.entries(files).map(([path, text]) => ({
    path,
    size: Buffer.byteLength(text),
  }));
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

/** Counts directory listings, to show what a walk or an event reads. */
export function countingReads(fs: WorkspaceFs): WorkspaceFs & { listed: string[] } {
  const listed: string[] = [];
  return Object.assign(Object.create(fs) as WorkspaceFs, {
    listed,
    readDir(p: string) {
      listed.push(p);
      return fs.readDir(p);
    },
  });
}
