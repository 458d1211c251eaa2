// Read-only access to a repository's history through the real `git` binary:
// the first-parent log with per-commit changes (raw, rename-aware), tree
// listings and batched blob reads. Every call has a time limit and an output
// limit; nothing is checked out, no hook, pager, fsmonitor, external diff or
// textconv driver can run, and git never looks for a repository above the
// workspace root (GIT_CEILING_DIRECTORIES), so it reads only inside it.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export class GitError extends Error {}

export interface GitOptions {
  /** the workspace root: git discovers no repository above it */
  workspaceRoot: string;
  /** per git invocation, ms (default 20 s) */
  timeoutMs?: number;
  /** per git invocation, bytes of output (default 256 MB) */
  maxOutputBytes?: number;
  /** the git program (tests point it at a missing one) */
  gitPath?: string;
}

/** One entry of a commit's changes against its first parent. */
export interface Change {
  status: string; // A, M, D, T, R
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  /** path before (renames: the old path; otherwise equal to path) */
  oldPath: string;
  path: string;
}

export interface LogCommit {
  oid: string;
  parents: string[];
  changes: Change[];
}

export interface TreeEntry {
  mode: string;
  type: string; // blob, commit (submodule)
  oid: string;
  /** bytes (blobs, when asked with sizes); -1 unknown */
  size: number;
  path: string;
}

const SAFE_CONFIG = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.pager=cat',
  '-c',
  'diff.external=',
  '-c',
  'log.showSignature=false',
  '-c',
  'core.quotePath=false',
];

export class Git {
  readonly opts: Required<GitOptions>;
  /** the repository's top level (absolute), once found */
  top = '';

  constructor(opts: GitOptions) {
    this.opts = {
      workspaceRoot: opts.workspaceRoot,
      timeoutMs: opts.timeoutMs ?? 20_000,
      maxOutputBytes: opts.maxOutputBytes ?? 256 * 1024 * 1024,
      gitPath: opts.gitPath ?? 'git',
    };
  }

  run(args: string[], cwd: string, input?: string): Buffer {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/nonexistent',
      GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(this.opts.workspaceRoot)),
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_NO_REPLACE_OBJECTS: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      LC_ALL: 'C',
    };
    const r = spawnSync(this.opts.gitPath, [...SAFE_CONFIG, ...args], {
      cwd,
      env,
      input,
      timeout: this.opts.timeoutMs,
      maxBuffer: this.opts.maxOutputBytes,
      windowsHide: true,
    });
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new GitError('git is not installed (no `git` program on PATH): the forecast needs it');
      if (code === 'ETIMEDOUT')
        throw new GitError(
          `git ${args[0]} took longer than ${Math.round(this.opts.timeoutMs / 1000)} s; stopped (lower --commits)`,
        );
      if (code === 'ENOBUFS')
        throw new GitError(
          `git ${args[0]} wrote more than ${Math.round(this.opts.maxOutputBytes / 1024 / 1024)} MB; stopped (lower --commits)`,
        );
      throw new GitError(`git ${args[0]} failed: ${r.error.message}`);
    }
    if (r.status !== 0) {
      const err = r.stderr.toString('utf8').trim().split('\n')[0] ?? '';
      throw new GitError(`git ${args[0]} failed: ${err || `exit ${r.status}`}`);
    }
    return r.stdout;
  }

  /** Finds the repository holding `dir`; throws a GitError with one clear line when there is none. */
  open(dir: string): { top: string; shallow: boolean; head: string } {
    let out: string;
    try {
      out = this.run(
        ['rev-parse', '--show-toplevel', '--is-shallow-repository', '--verify', '-q', 'HEAD'],
        dir,
      ).toString('utf8');
    } catch (e) {
      const msg = (e as Error).message;
      if (/not a git repository/i.test(msg))
        throw new GitError(`${dir} is not in a git repository (inside the workspace): nothing to forecast from`);
      if (/exit 1$/.test(msg))
        throw new GitError(`the git repository at ${dir} has no commit yet: nothing to forecast from`);
      throw e;
    }
    const [top, shallow, head] = out.trim().split('\n');
    if (!head) throw new GitError(`the git repository at ${dir} has no commit yet: nothing to forecast from`);
    this.top = top;
    return { top, shallow: shallow === 'true', head };
  }

  /** The last `max` first-parent commits, newest first, each with its changes under `pathspecs` against its first parent. */
  log(max: number, pathspecs: string[]): LogCommit[] {
    const out = this.run(
      [
        'log',
        '--first-parent',
        '--sparse',
        '--diff-merges=first-parent',
        '--raw',
        '-M',
        '--no-abbrev',
        '--no-ext-diff',
        '--no-textconv',
        '--no-color',
        '-z',
        '--format=%x01%H %P',
        `-n${max}`,
        'HEAD',
        '--',
        ...pathspecs.map(literal),
      ],
      this.top,
    );
    return parseLog(out.toString('utf8'));
  }

  /** Every file (recursively) of `commit` under the pathspecs, paths from the repository root. */
  lsTree(commit: string, pathspecs: string[], sizes = false): TreeEntry[] {
    const args = [
      'ls-tree',
      '-r',
      '-z',
      '--full-tree',
      ...(sizes ? ['-l'] : []),
      commit,
      '--',
      ...pathspecs.map(literal),
    ];
    const out = this.run(args, this.top).toString('utf8');
    const entries: TreeEntry[] = [];
    for (const rec of out.split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const meta = rec.slice(0, tab).trim().split(/\s+/);
      entries.push({
        mode: meta[0],
        type: meta[1],
        oid: meta[2],
        size: sizes && meta[3] && meta[3] !== '-' ? Number(meta[3]) : -1,
        path: rec.slice(tab + 1),
      });
    }
    return entries;
  }

  /**
   * Texts of blobs, batched through one `cat-file --batch-check` and one `cat-file --batch`;
   * blobs over `maxBytes` come back as { tooLarge }, blobs holding a NUL byte as { binary }.
   */
  readBlobs(
    oids: string[],
    maxBytes: number,
  ): Map<string, { text: string } | { tooLarge: number } | { binary: true } | { missing: true }> {
    const result = new Map<string, { text: string } | { tooLarge: number } | { binary: true } | { missing: true }>();
    const unique = [...new Set(oids)];
    if (!unique.length) return result;
    const check = this.run(['cat-file', '--batch-check'], this.top, unique.join('\n') + '\n')
      .toString('utf8')
      .split('\n');
    const small: string[] = [];
    unique.forEach((oid, i) => {
      const parts = (check[i] ?? '').split(' ');
      if (parts[1] === 'missing' || parts[1] !== 'blob') result.set(oid, { missing: true });
      else if (Number(parts[2]) > maxBytes) result.set(oid, { tooLarge: Number(parts[2]) });
      else small.push(oid);
    });
    if (!small.length) return result;
    const buf = this.run(['cat-file', '--batch'], this.top, small.join('\n') + '\n');
    let at = 0;
    for (const oid of small) {
      const nl = buf.indexOf(10, at);
      const header = buf.subarray(at, nl).toString('utf8').split(' ');
      const size = Number(header[2]);
      const body = buf.subarray(nl + 1, nl + 1 + size);
      at = nl + 1 + size + 1;
      result.set(oid, body.includes(0) ? { binary: true } : { text: body.toString('utf8') });
    }
    return result;
  }
}

/** A pathspec taken literally (no glob magic in a directory name). */
function literal(p: string): string {
  return `:(literal)${p === '' ? '.' : p}`;
}

export function parseLog(out: string): LogCommit[] {
  const commits: LogCommit[] = [];
  const tokens = out.split('\0');
  let current: LogCommit | undefined;
  for (let i = 0; i < tokens.length; i++) {
    let tok = tokens[i];
    if (tok.startsWith('\n')) tok = tok.slice(1);
    if (!tok) continue;
    if (tok.startsWith('\x01')) {
      const [oid, ...parents] = tok.slice(1).trim().split(' ').filter(Boolean);
      current = { oid, parents, changes: [] };
      commits.push(current);
      continue;
    }
    if (tok.startsWith(':') && current) {
      const [oldMode, newMode, oldOid, newOid, status] = tok.slice(1).split(' ');
      const letter = status[0];
      const first = tokens[++i];
      if (letter === 'R' || letter === 'C') {
        const second = tokens[++i];
        current.changes.push({ status: letter, oldMode, newMode, oldOid, newOid, oldPath: first, path: second });
      } else current.changes.push({ status: letter, oldMode, newMode, oldOid, newOid, oldPath: first, path: first });
    }
  }
  return commits;
}
