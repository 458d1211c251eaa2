// Saved builds (`.cachelens/builds/`, local state to git-ignore) and "why did
// the first miss miss", from the previous saved build of the same Dockerfile.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MappedBuild, MappedStep } from './map';

export const BUILDS_DIR = path.join('.cachelens', 'builds');

export interface CopyFiles {
  /** 0-based line of the COPY/ADD */
  line: number;
  instruction: string;
  /** context-relative path → sha256 (hex) of the content */
  files: Record<string, string>;
  /** set when the walk or the hashing stopped at a limit */
  partial?: boolean;
}

export interface SavedBuild extends MappedBuild {
  version: 1;
  savedAt: string;
  /** `git rev-parse HEAD` of the Dockerfile's repository at import time, when there is one */
  gitRevision: string | null;
  /** the text each step had in the log (ARG values substituted, base image digests) */
  logged: { line: number; text: string }[];
  copies: CopyFiles[];
  /** why the first miss missed, from the build saved before this one */
  cause?: MissCause;
}

export interface FilesDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

export interface MissCause {
  kind: 'files' | 'build-arg' | 'base-image' | 'instruction' | 'unknown';
  /** one sentence for the user */
  message: string;
  /** files: changed/added/removed paths (at most 20) */
  files?: FilesDiff;
  /** where the file list came from: the sha256s both builds saved, or `git diff` between their revisions */
  filesFrom?: 'hashes' | 'git-diff';
}

function safeName(dockerfile: string): string {
  return dockerfile.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '') || 'Dockerfile';
}

/** Writes the record; returns its path. File names sort by time. */
export function saveBuild(root: string, rec: SavedBuild): string {
  const dir = path.join(root, BUILDS_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = rec.savedAt.replace(/[:.]/g, '-');
  let file = path.join(dir, `${stamp}-${safeName(rec.dockerfile)}.json`);
  for (let i = 2; fs.existsSync(file); i++) file = path.join(dir, `${stamp}-${i}-${safeName(rec.dockerfile)}.json`);
  fs.writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  return file;
}

/** Saved builds of a Dockerfile (path as saved), oldest first. Unreadable records are skipped. */
export function loadBuilds(root: string, dockerfile?: string): SavedBuild[] {
  const dir = path.join(root, BUILDS_DIR);
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  const out: SavedBuild[] = [];
  for (const n of names) {
    try {
      const rec = JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as SavedBuild;
      if (rec?.version !== 1 || !Array.isArray(rec.steps)) continue;
      if (dockerfile === undefined || rec.dockerfile === dockerfile) out.push(rec);
    } catch {
      /* a half-written or foreign file */
    }
  }
  return out.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The values a logged RUN name shows for the instruction's `$VAR`s. */
export function substitutedValues(instruction: string, logged: string): Map<string, string> | undefined {
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of instruction.matchAll(VAR)) {
    pattern += escapeRe(instruction.slice(last, m.index)).replace(/\s+/g, '\\s*');
    pattern += '(.*?)';
    names.push(m[1] ?? m[2]);
    last = m.index! + m[0].length;
  }
  if (!names.length) return undefined;
  pattern += escapeRe(instruction.slice(last)).replace(/\s+/g, '\\s*');
  const got = new RegExp(`^${pattern}$`, 's').exec(logged.replace(/\s+/g, ' ').trim());
  if (!got) return undefined;
  const out = new Map<string, string>();
  for (const [i, n] of names.entries()) out.set(n, got[i + 1]);
  return out;
}

function diffFiles(before: Record<string, string>, after: Record<string, string>): FilesDiff {
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const [p, h] of Object.entries(after)) {
    if (!(p in before)) added.push(p);
    else if (before[p] !== h) changed.push(p);
  }
  for (const p of Object.keys(before)) if (!(p in after)) removed.push(p);
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}

const list = (xs: string[], n = 5) =>
  xs
    .slice(0, n)
    .map((x) => `\`${x}\``)
    .join(', ') + (xs.length > n ? ` and ${xs.length - n} more` : '');

function filesCause(d: FilesDiff, from: 'hashes' | 'git-diff'): MissCause | undefined {
  const parts: string[] = [];
  if (d.changed.length) parts.push(`changed ${list(d.changed)}`);
  if (d.added.length) parts.push(`added ${list(d.added)}`);
  if (d.removed.length) parts.push(`removed ${list(d.removed)}`);
  if (!parts.length) return undefined;
  const since = from === 'hashes' ? 'since the previous build' : "between the two builds' commits (git diff)";
  return {
    kind: 'files',
    message: `files under this COPY changed ${since}: ${parts.join('; ')}`,
    files: d,
    filesFrom: from,
  };
}

/**
 * Why `current`'s first miss missed, given the previous saved build of the same
 * Dockerfile (undefined when there is none or the build had no miss).
 */
export function explainMiss(
  current: SavedBuild,
  previous: SavedBuild | undefined,
  argsInScope: string[] = [],
  /** the COPY's changed files from elsewhere (git) when a build saved no hashes for it */
  gitFiles?: () => FilesDiff | undefined,
): MissCause | undefined {
  const miss = current.firstMiss;
  if (!miss || !previous) return undefined;
  const line = miss.range.start.line;
  const step = current.steps.find((s) => s.range.start.line === line) as MappedStep;
  const prevStep =
    previous.steps.find((s) => s.instruction === miss.instruction && s.stage === step?.stage) ??
    previous.steps.find((s) => s.range.start.line === line);
  if (!prevStep || prevStep.instruction !== miss.instruction) {
    const was = prevStep ? ` (was \`${prevStep.instruction}\`)` : '';
    return { kind: 'instruction', message: `the instruction was edited since the previous build${was}` };
  }
  // files under the COPY
  if (/^(COPY|ADD)\b/i.test(miss.instruction)) {
    const now = current.copies.find((c) => c.line === line);
    const before =
      previous.copies.find((c) => c.instruction === miss.instruction) ?? previous.copies.find((c) => c.line === line);
    const hashed = now && before;
    const d = hashed ? diffFiles(before.files, now.files) : gitFiles?.();
    const cause = d && filesCause(d, hashed ? 'hashes' : 'git-diff');
    if (cause) return cause;
  }
  // a substituted value in the step's own name
  const loggedNow = current.logged.find((l) => l.line === line)?.text;
  const loggedBefore = previous.logged.find((l) => l.line === prevStep.range.start.line)?.text;
  if (loggedNow && loggedBefore && loggedNow !== loggedBefore) {
    const a = substitutedValues(miss.instruction, loggedBefore);
    const b = substitutedValues(miss.instruction, loggedNow);
    const changed =
      a && b ? [...b].filter(([k, v]) => a.get(k) !== v).map(([k, v]) => `${k} was \`${a.get(k)}\`, now \`${v}\``) : [];
    if (changed.length) return { kind: 'build-arg', message: `a build argument changed: ${changed.join('; ')}` };
    return {
      kind: 'build-arg',
      message: `the step's substituted text changed: \`${loggedBefore}\` → \`${loggedNow}\``,
    };
  }
  // the base image of the stage
  const fromNow = current.steps.find((s) => s.stage === step.stage && /^FROM\b/i.test(s.instruction));
  if (fromNow) {
    const a = previous.logged.find((l) => l.line === fromNow.range.start.line)?.text;
    const b = current.logged.find((l) => l.line === fromNow.range.start.line)?.text;
    if (a && b && a !== b) return { kind: 'base-image', message: `the base image changed: \`${a}\` → \`${b}\`` };
  }
  if (argsInScope.length && /^RUN\b/i.test(miss.instruction)) {
    return {
      kind: 'build-arg',
      message: `the instruction, its files and its text are as in the previous build; every RUN's cache key holds the ARGs in scope (${argsInScope.join(', ')}): a new value of one of them is the likely cause`,
    };
  }
  return {
    kind: 'unknown',
    message:
      'the instruction, its files and its name are the same as in the previous build: a build argument in scope, a changed base image or a pruned cache',
  };
}
