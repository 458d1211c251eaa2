// "Why it missed" when the saved builds hold no per-COPY hashes for the first
// miss (saved before hashing, or hashing stopped at a limit): the files that
// changed under that COPY between the two builds' git revisions, from
// `git diff --name-status` restricted to the build context and then to the
// COPY's sources and the ignore file. Committed changes only: the hashes are
// what sees uncommitted edits.

import * as path from 'node:path';
import type { FilesDiff } from '../builds/save';
import { filesMatchingSource } from '../context/view';
import { Git } from '../history/git';
import type { DockerfileModel } from '../parse/dockerfile';
import { Workspace } from './workspace';

export interface GitDiffQuery {
  dockerfileAbs: string;
  model: DockerfileModel;
  /** the workspace root: git looks for no repository above it */
  root: string;
  /** 0-based line of the COPY/ADD that missed */
  line: number;
  fromRevision: string | null;
  toRevision: string | null;
}

const STATUS = /^([AMDT])$/;

/** The COPY's files changed between the revisions, or undefined when git cannot say. */
export function gitDiffUnderCopy(q: GitDiffQuery): FilesDiff | undefined {
  const { fromRevision: from, toRevision: to } = q;
  if (!from || !to || !/^[0-9a-f]{7,64}$/.test(from) || !/^[0-9a-f]{7,64}$/.test(to)) return undefined;
  const copy = q.model.instructions.find((i) => i.range.start.line === q.line)?.copy;
  if (!copy || copy.from !== undefined || copy.heredoc) return undefined;
  const ws = new Workspace(q.root);
  const ctx = ws.resolve(q.dockerfileAbs).contexts[0];
  if (!ctx) return undefined;
  const view = ws.view(ctx);
  const git = new Git({ workspaceRoot: q.root, timeoutMs: 10_000, maxOutputBytes: 64 * 1024 * 1024 });
  let out: string;
  try {
    const { top } = git.open(view.dir);
    const rel = path.relative(top, view.dir).split(path.sep).join('/');
    out = git
      .run(['diff', '--name-status', '--no-renames', '-z', from, to, '--', `:(literal)${rel || '.'}`], top)
      .toString('utf8');
    return classify(
      out,
      rel,
      copy.sources.map((s) => s.value.replace(/^\/+/, '')),
      (p) => (view.ignore ? view.ignore.matcher.excludes(p) : false),
    );
  } catch {
    return undefined; // not a repository, a revision gone (rebased, shallow): no file list
  }
}

/** `git diff --name-status -z` output → the context paths each COPY source takes, by status. */
export function classify(
  out: string,
  contextFromTop: string,
  sources: string[],
  ignored: (p: string) => boolean,
): FilesDiff {
  const d: FilesDiff = { changed: [], added: [], removed: [] };
  const parts = out.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = STATUS.exec(parts[i])?.[1];
    if (!status) continue;
    const rel = contextFromTop ? parts[i + 1].slice(contextFromTop.length + 1) : parts[i + 1];
    if (ignored(rel)) continue;
    if (!sources.some((s) => filesMatchingSource([{ path: rel, size: 0 }], s).length > 0)) continue;
    (status === 'A' ? d.added : status === 'D' ? d.removed : d.changed).push(rel);
  }
  for (const xs of [d.changed, d.added, d.removed]) xs.sort();
  return d;
}
