// Loads what the forecast replays for one Dockerfile and its build context:
// the last N first-parent commits (oldest first), the context's file list at
// the oldest of them, each commit's changes inside the context, and the
// Dockerfile and ignore-file texts of every commit. Four git calls besides the
// blob reads, whatever N is; nothing is checked out.

import * as path from 'node:path';
import { Git, GitError, type GitOptions, type Change } from './git';
import { parseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import type { ContextFile } from '../context/view';
import { MAX_FILE_BYTES } from '../parse/limits';

/** A text file at one commit: its text, or why it was not read. undefined (no state) = absent. */
export type FileState = { text: string } | { problem: string };

export interface HistoryCommit {
  oid: string;
  /** a merge commit, compared with its first parent */
  merge: boolean;
  dockerfile?: FileState;
  ignore?: FileState;
  /** changes inside the context against the previous commit of the list, context-relative paths */
  changes: Change[];
}

export interface HistoryData {
  /** oldest first; transitions are (commits[i-1], commits[i]) */
  commits: HistoryCommit[];
  /** the context's files at commits[0]: context-relative path → blob id and mode */
  base: Map<string, { oid: string; mode: string }>;
  /** the files that reach the build at HEAD, with sizes (for copy-time estimates) */
  headSizes: ContextFile[];
  /** the Dockerfile's path inside the context (undefined: outside it) */
  dockerfileContextPath?: string;
  /** the ignore file candidates' paths inside the context */
  ignoreContextPaths: string[];
  /** what the reader should know: shallow clone, fewer commits, merges, submodules, unreadable files */
  notes: string[];
  head: string;
}

export interface LoadOptions extends GitOptions {
  dockerfile: string;
  contextDir: string;
  /** the ignore file in use now when it is not one of the two standard places (fly.toml's ignorefile) */
  ignoreFile?: string;
  /** transitions to analyse (default 100) */
  commits?: number;
  /** largest Dockerfile / ignore file read, bytes (default 1 MB) */
  maxFileBytes?: number;
}

export const DEFAULT_COMMITS = 100;
/** The context path that stands for the repository's .git folder (assumption: builds run from a checkout). */
export const GIT_STAND_IN = '.git/index';

export function loadHistory(opts: LoadOptions): HistoryData {
  const n = Math.max(1, Math.floor(opts.commits ?? DEFAULT_COMMITS));
  const git = new Git(opts);
  const { top, shallow, head } = git.open(path.dirname(opts.dockerfile));
  const relTo = (abs: string) => path.relative(top, abs).split(path.sep).join('/');
  const ctxRel = relTo(opts.contextDir);
  if (ctxRel.startsWith('..') || path.isAbsolute(ctxRel))
    throw new GitError(
      `the build context ${opts.contextDir} lies outside the git repository ${top}: nothing to forecast from`,
    );
  const dfRel = relTo(opts.dockerfile);
  const ctxPrefix = ctxRel === '' ? '' : ctxRel + '/';
  const standardIgnores = [`${dfRel}.dockerignore`, `${ctxPrefix}.dockerignore`];
  const custom = opts.ignoreFile ? relTo(opts.ignoreFile) : undefined;
  const ignoreCandidates = custom && !standardIgnores.includes(custom) ? [custom] : standardIgnores;
  const inContext = (p: string) => ctxPrefix === '' || p.startsWith(ctxPrefix);
  const toCtx = (p: string) => p.slice(ctxPrefix.length);

  const log = git.log(n + 1, [ctxRel, dfRel, ...ignoreCandidates]).reverse();
  const notes: string[] = [];
  if (log.length < n + 1) {
    const k = Math.max(0, log.length - 1);
    notes.push(
      shallow
        ? `shallow clone: only ${k} transition${k === 1 ? '' : 's'} available of the ${n} asked for (fetch more history with \`git fetch --deepen=${n}\`)`
        : `the history has ${k} first-parent transition${k === 1 ? '' : 's'}, fewer than the ${n} asked for`,
    );
  } else if (shallow) notes.push('shallow clone: the history may be cut short');
  const merges = log.slice(1).filter((c) => c.parents.length > 1).length;
  if (merges)
    notes.push(
      `${merges} merge commit${merges === 1 ? '' : 's'}: compared with ${merges === 1 ? 'its' : 'their'} first parent (the main line), as a build of each main-line commit would be`,
    );

  // the Dockerfile's name at each commit, following renames back from HEAD
  const dfNames: string[] = new Array(log.length);
  dfNames[log.length - 1] = dfRel;
  for (let i = log.length - 1; i > 0; i--) {
    const r = log[i].changes.find((c) => c.status === 'R' && c.path === dfNames[i]);
    dfNames[i - 1] = r ? r.oldPath : dfNames[i];
  }
  const renamed = new Set(dfNames).size > 1;
  if (renamed) notes.push(`the Dockerfile was renamed in this history; followed back to ${dfNames[0]}`);

  const oldest = log[0];
  const tracked = new Set([...dfNames, ...ignoreCandidates]);
  const special = new Map<string, string>(); // path → blob id, for the Dockerfile and ignore files
  const base = new Map<string, { oid: string; mode: string }>();
  let submodules = 0;
  for (const e of git.lsTree(oldest.oid, [ctxRel, ...tracked])) {
    if (tracked.has(e.path)) special.set(e.path, e.oid);
    if (inContext(e.path)) {
      base.set(toCtx(e.path), { oid: e.oid, mode: e.mode });
      if (e.type === 'commit') submodules++;
    }
  }

  // A build from a checkout sends its .git folder unless the ignore file keeps it out, and
  // .git changes with every commit (index, refs, logs): one stand-in file whose content is the commit.
  const gitDir = ctxRel === '' ? GIT_STAND_IN : undefined;
  if (gitDir) base.set(gitDir, { oid: oldest.oid, mode: '100644' });

  const commits: HistoryCommit[] = [];
  const blobOf: { df?: string; ignore?: string }[] = [];
  log.forEach((c, i) => {
    if (i > 0) {
      for (const ch of c.changes) {
        if (ch.status === 'D' || ch.status === 'R') special.delete(ch.oldPath);
        if (ch.status !== 'D' && tracked.has(ch.path)) special.set(ch.path, ch.newOid);
        if (ch.newMode === '160000' && ch.status === 'A') submodules++;
      }
    }
    const changes: Change[] = [];
    if (i > 0) {
      for (const ch of c.changes) {
        const oldIn = inContext(ch.oldPath);
        const newIn = inContext(ch.path);
        if (ch.status === 'R' && oldIn !== newIn) {
          if (oldIn) changes.push({ ...ch, status: 'D', path: toCtx(ch.oldPath), oldPath: toCtx(ch.oldPath) });
          else changes.push({ ...ch, status: 'A', path: toCtx(ch.path), oldPath: toCtx(ch.path) });
        } else if (newIn) changes.push({ ...ch, path: toCtx(ch.path), oldPath: toCtx(ch.oldPath) });
      }
    }
    if (i > 0 && gitDir)
      changes.push({
        status: 'M',
        oldMode: '100644',
        newMode: '100644',
        oldOid: log[i - 1].oid,
        newOid: c.oid,
        oldPath: gitDir,
        path: gitDir,
      });
    const ignorePath = ignoreCandidates.find((p) => special.has(p));
    blobOf.push({ df: special.get(dfNames[i]), ignore: ignorePath ? special.get(ignorePath) : undefined });
    commits.push({ oid: c.oid, merge: c.parents.length > 1, changes });
  });
  if (submodules)
    notes.push(
      `the context holds submodule${submodules === 1 ? '' : 's'}: a step that copies one misses when its pinned commit changes (the submodule's own files are not read)`,
    );

  const maxBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
  const blobs = git.readBlobs(
    blobOf.flatMap((b) => [b.df, b.ignore].filter((x): x is string => !!x)),
    maxBytes,
  );
  const state = (oid: string | undefined, what: string): FileState | undefined => {
    if (!oid) return undefined;
    const b = blobs.get(oid);
    if (!b || 'missing' in b) return { problem: `${what} ${oid.slice(0, 9)} is missing from the object store` };
    if ('tooLarge' in b)
      return {
        problem: `${what} ${oid.slice(0, 9)} is ${(b.tooLarge / 1024 / 1024).toFixed(1)} MB, over the ${Math.round(maxBytes / 1024)} KB read`,
      };
    if ('binary' in b) return { problem: `${what} ${oid.slice(0, 9)} is not a text file` };
    return { text: b.text };
  };
  commits.forEach((c, i) => {
    c.dockerfile = state(blobOf[i].df, 'the Dockerfile');
    c.ignore = state(blobOf[i].ignore, 'the ignore file');
  });
  const problems = new Set(
    commits
      .flatMap((c) => [c.dockerfile, c.ignore])
      .filter((s): s is { problem: string } => !!s && 'problem' in s)
      .map((s) => s.problem),
  );
  if (problems.size)
    notes.push(
      `transitions with an unreadable file are left out: ${[...problems].slice(0, 3).join('; ')}${problems.size > 3 ? '; …' : ''}`,
    );
  const first = commits.findIndex((c) => c.dockerfile !== undefined);
  if (first > 0)
    notes.push(
      `the Dockerfile first appears in ${commits[first].oid.slice(0, 9)}: forecast from there (${commits.length - 1 - first} transition${commits.length - 1 - first === 1 ? '' : 's'})`,
    );

  // what reaches the build at HEAD, with sizes
  const headIgnore = commits[commits.length - 1].ignore;
  const matcher =
    headIgnore && 'text' in headIgnore ? new IgnoreMatcher(parseIgnoreFile(headIgnore.text).patterns) : undefined;
  const headSizes: ContextFile[] = [];
  for (const e of git.lsTree(head, [ctxRel], true)) {
    if (!inContext(e.path)) continue;
    const p = toCtx(e.path);
    if (!matcher?.excludes(p)) headSizes.push({ path: p, size: Math.max(0, e.size) });
  }

  return {
    commits,
    base,
    headSizes,
    dockerfileContextPath: inContext(dfRel) ? toCtx(dfRel) : undefined,
    ignoreContextPaths: ignoreCandidates.filter(inContext).map(toCtx),
    notes,
    head,
  };
}
