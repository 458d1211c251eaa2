// HEAD's commit read from the repository's files (.git/HEAD, a loose ref,
// packed-refs), so that opening a Dockerfile need not spawn `git rev-parse`:
// on the real projects that spawn was a tenth of the server's CPU per
// keystroke (docs/benchmarks.md, side by side). Anything this reader does not
// know for sure (a reftable repository, a git dir outside the workspace, an
// unexpected file) answers "ask git", so git stays the authority.

import { existsSync, lstatSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The nearest folder from `dir` up (no higher than `root`, when given) that holds a `.git` (a folder, or the
 * file of a linked worktree): the top of the work tree `dir` is in; undefined when there is none.
 */
export function workTreeTop(dir: string, root?: string): string | undefined {
  const top = root === undefined ? undefined : path.resolve(root);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (d === top || path.dirname(d) === d || (top !== undefined && !d.startsWith(top))) return undefined;
  }
}

/** HEAD's object id; `null`: the branch has no commit yet; `undefined`: not known from the files (ask git). */
export type HeadAnswer = string | null | undefined;

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * HEAD of the work tree whose top folder is `top` (it holds `.git`), reading only inside `workspaceRoot`.
 * A linked work tree (`.git` is a file naming its git dir) keeps HEAD in its own git dir and the branches
 * in the common one.
 */
export function headFromFiles(top: string, workspaceRoot: string): HeadAnswer {
  const root = path.resolve(workspaceRoot);
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  const dotGit = path.join(top, '.git');
  let gitDir = dotGit;
  if (!isDir(dotGit)) {
    const pointer = /^gitdir: (.+)$/m.exec(readSmall(dotGit) ?? '')?.[1]?.trim();
    if (!pointer) return undefined;
    gitDir = path.resolve(top, pointer);
  }
  const common = readSmall(path.join(gitDir, 'commondir'))?.trim();
  const commonDir = common ? path.resolve(gitDir, common) : gitDir;
  if (!inside(gitDir) || !inside(commonDir)) return undefined;
  // refs kept in a reftable, or a format this reader does not know: git answers
  if (isDir(path.join(commonDir, 'reftable'))) return undefined;
  const head = readSmall(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (OID.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.split('/').some((part) => part === '..' || part === '.' || part === '')) return undefined;
  // per-work-tree refs (refs/bisect, refs/worktree) live in the work tree's git dir, branches in the common one
  const loose = readSmall(path.join(ref.startsWith('refs/heads/') ? commonDir : gitDir, ...ref.split('/')))?.trim();
  if (loose !== undefined) return OID.test(loose) ? loose : undefined;
  const packed = readSmall(path.join(commonDir, 'packed-refs'), 64 * 1024 * 1024);
  if (packed !== undefined) {
    for (const line of packed.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0 && line.slice(space + 1).trimEnd() === ref) {
        const oid = line.slice(0, space);
        return OID.test(oid) ? oid : undefined;
      }
    }
  }
  // the branch HEAD names has no ref yet: a repository before its first commit
  return null;
}

// lstat: a symbolic link (which could lead out of the workspace) is neither a folder nor a file here, so git answers

function isDir(p: string): boolean {
  return lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A regular file's text, if it is there and not larger than `max` bytes. */
function readSmall(p: string, max = 64 * 1024): string | undefined {
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > max) return undefined;
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
