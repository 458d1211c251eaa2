// Loads what the forecast replays for one Dockerfile and its build context:
// the last N first-parent commits (oldest first), the context's file list at
// the oldest of them, each commit's changes inside the context, and the
// Dockerfile and ignore-file texts of every commit. Four git calls besides the
// blob reads, whatever N is; nothing is checked out.

import * as path from 'node:path';
import { Git, GitError, type GitOptions, type Change, type LogCommit } from './git';
import { parseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import type { ContextFile } from '../context/view';
import { MAX_FILE_BYTES } from '../parse/limits';
import { besideIgnoreFile, contextIgnoreNames } from '../context/ignoreFiles';

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

/** Where the Dockerfile, its context and its ignore file candidates lie in the repository. */
interface Layout {
  top: string;
  ctxRel: string;
  dfRel: string;
  ignoreCandidates: string[];
  inContext: (p: string) => boolean;
  toCtx: (p: string) => string;
}

function layout(opts: LoadOptions, top: string): Layout {
  const relTo = (abs: string) => path.relative(top, abs).split(path.sep).join('/');
  const ctxRel = relTo(opts.contextDir);
  if (ctxRel.startsWith('..') || path.isAbsolute(ctxRel))
    throw new GitError(
      `the build context ${opts.contextDir} lies outside the git repository ${top}: nothing to forecast from`,
    );
  const dfRel = relTo(opts.dockerfile);
  const ctxPrefix = ctxRel === '' ? '' : ctxRel + '/';
  // the build's precedence, on git's repository-relative paths (forecasts replay Docker builds)
  const standardIgnores = [besideIgnoreFile(dfRel), ...contextIgnoreNames().map((name) => `${ctxPrefix}${name}`)];
  const custom = opts.ignoreFile ? relTo(opts.ignoreFile) : undefined;
  return {
    top,
    ctxRel,
    dfRel,
    ignoreCandidates: custom && !standardIgnores.includes(custom) ? [custom] : standardIgnores,
    inContext: (p: string) => ctxPrefix === '' || p.startsWith(ctxPrefix),
    toCtx: (p: string) => p.slice(ctxPrefix.length),
  };
}

const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;

/** Notes on how much history there was: shallow clone, fewer commits than asked, merges. */
function logNotes(log: LogCommit[], n: number, shallow: boolean): string[] {
  const notes: string[] = [];
  if (log.length < n + 1) {
    const k = Math.max(0, log.length - 1);
    notes.push(
      shallow
        ? `shallow clone: only ${plural(k, 'transition')} available of the ${n} asked for (fetch more history with \`git fetch --deepen=${n}\`)`
        : `the history has ${plural(k, 'first-parent transition')}, fewer than the ${n} asked for`,
    );
  } else if (shallow) notes.push('shallow clone: the history may be cut short');
  const merges = log.slice(1).filter((c) => c.parents.length > 1).length;
  if (merges)
    notes.push(
      `${plural(merges, 'merge commit')}: compared with ${merges === 1 ? 'its' : 'their'} first parent (the main line), as a build of each main-line commit would be`,
    );
  return notes;
}

/** The Dockerfile's path at each commit of the log, following renames back from HEAD. */
function dockerfileNames(log: LogCommit[], dfRel: string): string[] {
  const names: string[] = new Array(log.length);
  names[log.length - 1] = dfRel;
  for (let i = log.length - 1; i > 0; i--) {
    const r = log[i].changes.find((c) => c.status === 'R' && c.path === names[i]);
    names[i - 1] = r ? r.oldPath : names[i];
  }
  return names;
}

/** One commit's changes inside the context, context-relative (a rename across its edge: an add or a delete). */
function contextChanges(changes: Change[], at: Layout): Change[] {
  const out: Change[] = [];
  for (const ch of changes) {
    const oldIn = at.inContext(ch.oldPath);
    const newIn = at.inContext(ch.path);
    if (ch.status === 'R' && oldIn !== newIn) {
      if (oldIn) out.push({ ...ch, status: 'D', path: at.toCtx(ch.oldPath), oldPath: at.toCtx(ch.oldPath) });
      else out.push({ ...ch, status: 'A', path: at.toCtx(ch.path), oldPath: at.toCtx(ch.path) });
    } else if (newIn) out.push({ ...ch, path: at.toCtx(ch.path), oldPath: at.toCtx(ch.oldPath) });
  }
  return out;
}

/**
 * The commits with their context changes, and the blob ids of the Dockerfile and ignore file at
 * each (tracked from the oldest commit's tree through every change).
 */
function walkCommits(log: LogCommit[], at: Layout, dfNames: string[], special: Map<string, string>, gitDir?: string) {
  const tracked = new Set([...dfNames, ...at.ignoreCandidates]);
  const commits: HistoryCommit[] = [];
  const blobOf: { df?: string; ignore?: string }[] = [];
  let submodules = 0;
  log.forEach((c, i) => {
    const changes: Change[] = [];
    if (i > 0) {
      for (const ch of c.changes) {
        if (ch.status === 'D' || ch.status === 'R') special.delete(ch.oldPath);
        if (ch.status !== 'D' && tracked.has(ch.path)) special.set(ch.path, ch.newOid);
        if (ch.newMode === '160000' && ch.status === 'A') submodules++;
      }
      changes.push(...contextChanges(c.changes, at));
      // .git changes with every commit (index, refs, logs): its stand-in file's content is the commit
      if (gitDir)
        changes.push({
          status: 'M',
          oldMode: '100644',
          newMode: '100644',
          oldOid: log[i - 1].oid,
          newOid: c.oid,
          oldPath: gitDir,
          path: gitDir,
        });
    }
    const ignorePath = at.ignoreCandidates.find((p) => special.has(p));
    blobOf.push({ df: special.get(dfNames[i]), ignore: ignorePath ? special.get(ignorePath) : undefined });
    commits.push({ oid: c.oid, merge: c.parents.length > 1, changes });
  });
  return { commits, blobOf, submodules };
}

/** Reads the Dockerfile and ignore file texts (batched); unreadable ones get a problem. */
function readStates(git: Git, commits: HistoryCommit[], blobOf: { df?: string; ignore?: string }[], maxBytes: number) {
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
}

/** Notes on unreadable files and on where the Dockerfile first appears. */
function fileNotes(commits: HistoryCommit[]): string[] {
  const notes: string[] = [];
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
      `the Dockerfile first appears in ${commits[first].oid.slice(0, 9)}: forecast from there (${plural(commits.length - 1 - first, 'transition')})`,
    );
  return notes;
}

/** What reaches the build at HEAD, with sizes (for copy-time estimates). */
function headFiles(git: Git, head: string, at: Layout, headIgnore: FileState | undefined): ContextFile[] {
  const matcher =
    headIgnore && 'text' in headIgnore ? new IgnoreMatcher(parseIgnoreFile(headIgnore.text).patterns) : undefined;
  const out: ContextFile[] = [];
  for (const e of git.lsTree(head, [at.ctxRel], true)) {
    if (!at.inContext(e.path)) continue;
    const p = at.toCtx(e.path);
    if (!matcher?.excludes(p)) out.push({ path: p, size: Math.max(0, e.size) });
  }
  return out;
}

export function loadHistory(opts: LoadOptions): HistoryData {
  const n = Math.max(1, Math.floor(opts.commits ?? DEFAULT_COMMITS));
  const git = new Git(opts);
  const { top, shallow, head } = git.open(path.dirname(opts.dockerfile));
  const at = layout(opts, top);
  const log = git.log(n + 1, [at.ctxRel, at.dfRel, ...at.ignoreCandidates]).reverse();
  const notes = logNotes(log, n, shallow);
  const dfNames = dockerfileNames(log, at.dfRel);
  if (new Set(dfNames).size > 1)
    notes.push(`the Dockerfile was renamed in this history; followed back to ${dfNames[0]}`);

  const tracked = new Set([...dfNames, ...at.ignoreCandidates]);
  const special = new Map<string, string>(); // path → blob id, for the Dockerfile and ignore files
  const base = new Map<string, { oid: string; mode: string }>();
  let baseSubmodules = 0;
  for (const e of git.lsTree(log[0].oid, [at.ctxRel, ...tracked])) {
    if (tracked.has(e.path)) special.set(e.path, e.oid);
    if (at.inContext(e.path)) {
      base.set(at.toCtx(e.path), { oid: e.oid, mode: e.mode });
      if (e.type === 'commit') baseSubmodules++;
    }
  }
  // A build from a checkout sends its .git folder unless the ignore file keeps it out, and
  // .git changes with every commit: one stand-in file whose content is the commit.
  const gitDir = at.ctxRel === '' ? GIT_STAND_IN : undefined;
  if (gitDir) base.set(gitDir, { oid: log[0].oid, mode: '100644' });
  const { commits, blobOf, submodules } = walkCommits(log, at, dfNames, special, gitDir);
  if (baseSubmodules + submodules)
    notes.push(
      `the context holds submodule${baseSubmodules + submodules === 1 ? '' : 's'}: a step that copies one misses when its pinned commit changes (the submodule's own files are not read)`,
    );
  readStates(git, commits, blobOf, opts.maxFileBytes ?? MAX_FILE_BYTES);
  notes.push(...fileNotes(commits));
  return {
    commits,
    base,
    headSizes: headFiles(git, head, at, commits[commits.length - 1].ignore),
    dockerfileContextPath: at.inContext(at.dfRel) ? at.toCtx(at.dfRel) : undefined,
    ignoreContextPaths: at.ignoreCandidates.filter(at.inContext).map(at.toCtx),
    notes,
    head,
  };
}
