// HEAD's commit read from the repository's files (.git/HEAD, a loose ref,
// packed-refs), so that opening a Dockerfile need not spawn `git rev-parse`:
// on the real projects that spawn was a tenth of the server's CPU per
// keystroke (docs/benchmarks.md, side by side). Anything this reader does not
// know for sure (a reftable repository, a git dir outside the workspace, an
// unexpected file) answers "ask git", so git stays the authority.

import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../context/fs';

/**
 * The nearest folder from `dir` up (no higher than `root`, when given) that holds a `.git` (a folder, or the
 * file of a linked worktree): the top of the work tree `dir` is in; undefined when there is none.
 */
export function workTreeTop(dir: string, root?: string): string | undefined {
  const top = root === undefined ? undefined : path.resolve(root);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    // nothing looked at above the root, nor in a folder beside it that shares its name's start (`/ws2` for `/ws`)
    if (top !== undefined && !isInside(top, d)) return undefined;
    if (existsSync(path.join(d, '.git'))) return d;
    if (d === top || path.dirname(d) === d) return undefined;
  }
}

/** HEAD's object id; `null`: the branch has no commit yet; `undefined`: not known from the files (ask git). */
export type HeadAnswer = string | null | undefined;

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * HEAD of the work tree whose top folder is `top` (it holds `.git`), reading only inside `workspaceRoot`.
 * A linked work tree (`.git` is a file naming its git dir) keeps HEAD in its own git dir and the branches
 * in the common one. Only a HEAD on a branch (refs/heads/) or detached is read here.
 */
export function headFromFiles(top: string, workspaceRoot: string): HeadAnswer {
  let realRoot: string;
  try {
    realRoot = realpathSync(workspaceRoot);
  } catch {
    return undefined;
  }
  /** a folder whose real path lies inside the workspace */
  const folderInside = (p: string) => {
    try {
      return isInside(realRoot, realpathSync(p));
    } catch {
      return false;
    }
  };
  /**
   * A regular file's text: null when it is not there, undefined when it is refused (a link, in a folder whose
   * real path leaves the workspace, larger than `max` bytes) or unreadable. Nothing outside is read or looked at.
   */
  const look = (p: string, max = 64 * 1024): string | null | undefined => {
    let folder: string;
    try {
      folder = realpathSync(path.dirname(p));
    } catch {
      return null;
    }
    if (!isInside(realRoot, folder)) return undefined;
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st) return null;
    if (!st.isFile() || st.size > max) return undefined;
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  const read = (p: string) => look(p) ?? undefined;
  const dotGit = path.join(top, '.git');
  let gitDir = dotGit;
  if (!isDir(dotGit)) {
    const pointer = /^gitdir: (.+)$/m.exec(read(dotGit) ?? '')?.[1]?.trim();
    if (!pointer) return undefined;
    gitDir = path.resolve(top, pointer);
  }
  if (!folderInside(gitDir)) return undefined;
  const common = read(path.join(gitDir, 'commondir'))?.trim();
  const commonDir = common ? path.resolve(gitDir, common) : gitDir;
  if (!folderInside(commonDir)) return undefined;
  // refs kept in a reftable, or a format this reader does not know: git answers
  if (isDir(path.join(commonDir, 'reftable'))) return undefined;
  const head = read(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (OID.test(head)) return head;
  // a branch; HEAD on anything else (a per-work-tree ref, a name with `..`) is left to git
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  if (!ref || ref.split('/').some((part) => part === '..' || part === '.' || part === '')) return undefined;
  // a ref or packed-refs that is there but refused: git answers
  const loose = look(path.join(commonDir, ...ref.split('/')));
  if (loose !== null) return loose !== undefined && OID.test(loose.trim()) ? loose.trim() : undefined;
  const packed = look(path.join(commonDir, 'packed-refs'), 64 * 1024 * 1024);
  if (packed === undefined) return undefined;
  if (packed !== null) {
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

/** lstat: a symbolic link (which could lead out of the workspace) is no folder here, so git answers */
function isDir(p: string): boolean {
  return lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
