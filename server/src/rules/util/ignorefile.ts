// Shared knowledge for the build-context rules (CL1xx): which COPYs send a
// whole folder, which volatile paths a file list holds, and edits on the
// ignore file (append entries, change or drop one pattern line).

import * as path from 'node:path';
import type { DockerfileModel, Instruction, Word } from '../../parse/dockerfile';
import { precedingInChain } from '../../parse/dockerfile';
import type { InstallStep } from '../../ecosystems/match';
import type { CacheAnalysis } from '../../cache/analysis';
import type { ContextView, ContextFile } from '../../context/view';
import { filesMatchingSource, hasFilesUnder } from '../../context/view';
import { parseIgnoreFile, patternMatches, goClean, type IgnorePattern } from '../../context/ignore';
import { LineIndex, type Range } from '../../parse/text';
import { ECOSYSTEMS } from '../../ecosystems/table';
import { commandMatchesAny } from '../../ecosystems/match';
import { VOLATILE_PATHS, type VolatilePath, DEFENSIVE_ENTRIES, LOCAL_ONLY_DEFAULTS } from '../../ecosystems/volatile';
import type { FileEdit, Fix, Report, RuleContext } from '../rule';
import {
  isLocalCopy,
  isWholeContext,
  isDirectorySource,
  formatCount,
  formatBytes,
  installDir,
  broadSourceFor,
} from './copies';
import { simpleGlobToRegExp } from '../../parse/glob';

export interface CopySource {
  ins: Instruction;
  word: Word;
  /** context path, cleaned ('' = the whole context) */
  path: string;
}

/** A source's context path: `./src/` → `src`, `.` → '' (null for variables and URLs). */
export function contextPathOf(source: string): string | null {
  if (/\$|^[a-z]+:\/\//i.test(source)) return null;
  const clean = goClean(source.replace(/^\/+/, ''));
  return clean === '.' || clean === '*' ? '' : clean;
}

/** Every source of every local COPY/ADD. */
export function localSources(model: DockerfileModel): CopySource[] {
  const out: CopySource[] = [];
  for (const ins of model.instructions) {
    if (!isLocalCopy(ins)) continue;
    for (const word of ins.copy!.sources) {
      const p = contextPathOf(word.value);
      if (p !== null) out.push({ ins, word, path: isWholeContext(word.value) ? '' : p });
    }
  }
  return out;
}

/**
 * Sources that send a whole folder: `.`, `./`, `*`, or a folder of the
 * context (`frontend/`). A glob such as `*.go` names files, not a folder.
 */
export function broadSources(model: DockerfileModel, context?: ContextView): CopySource[] {
  return localSources(model).filter((s) => {
    if (s.path === '') return true;
    if (/[*?[]/.test(s.path)) return false;
    return context ? hasFilesUnder(context.allFiles, s.path) : isDirectorySource(s.word.value);
  });
}

/** Files of a list that a source sends (the whole list for the context root). */
export function filesUnder(files: readonly ContextFile[], source: CopySource): readonly ContextFile[] {
  return source.path === '' ? files : filesMatchingSource(files, source.path);
}

const DEFENSIVE_RES = DEFENSIVE_ENTRIES.map((d) => simpleGlobToRegExp(d));
const FILE_NAME_RES = VOLATILE_PATHS.map((r) => (r.fileName ? new RegExp(r.fileName) : undefined));

const memo = new WeakMap<readonly ContextFile[], Map<string, unknown>>();

/**
 * Caches what depends only on a context's file list (and the strings in
 * `key`, such as the ignore text): the Workspace hands out the same list
 * until the files change, so a keystroke in the Dockerfile does not redo
 * scans of a 100k-file context.
 */
export function memoized<T>(files: readonly ContextFile[], key: string, compute: () => T): T {
  let byKey = memoList(files);
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = compute();
  if (byKey.size > 32) byKey = memoList(files, true);
  byKey.set(key, value);
  return value;
}

function memoList(files: readonly ContextFile[], reset = false): Map<string, unknown> {
  let m = memo.get(files);
  if (!m || reset) memo.set(files, (m = new Map()));
  return m;
}

/**
 * Runs a check whose findings depend only on the context and its ignore file
 * (not on the Dockerfile) once per file list and ignore text, and replays
 * its reports (copies, so nobody shares them) on later runs.
 */
export function reportPerContext(
  ctx: RuleContext,
  rule: string,
  extraKey: string,
  check: (report: (r: Report) => void) => void,
): void {
  const context = ctx.context;
  if (!context) return;
  const key = `${rule}|${context.dir}|${context.ignore?.path ?? ''}|${context.truncated ?? ''}|${context.uncertain ? 'uncertain' : ''}|${extraKey}|${context.ignore?.text ?? ''}`;
  const reports = memoized(context.allFiles, key, () => {
    const out: Report[] = [];
    check((r) => out.push(r));
    return out;
  });
  for (const r of reports) ctx.report(structuredClone(r));
}

/** The paths of a file list, as a set (built once per list). */
export function pathSet(files: readonly ContextFile[]): ReadonlySet<string> {
  return memoized(files, 'paths', () => new Set(files.map((f) => f.path)));
}

export interface VolatileHit {
  row: VolatilePath;
  /** the line to write in the ignore file */
  entry: string;
  /** where it was found (folders or files), at most a few */
  examples: string[];
  /** every place it was found */
  allRoots: string[];
  files: number;
  bytes: number;
}

/** Ecosystem ids the Dockerfile installs for, and ids it builds with. */
export function ecosystemSteps(
  model: DockerfileModel,
  cache: CacheAnalysis,
): { install: Set<string>; build: Set<string> } {
  const install = new Set(cache.installSites().map((s) => s.install.ecosystem.id));
  const build = new Set<string>();
  for (const ins of model.instructions) {
    for (const c of ins.run?.commands ?? [])
      for (const e of ECOSYSTEMS) if (commandMatchesAny(e.builds, c)) build.add(e.id);
  }
  return { install, build };
}

/**
 * The volatile paths among `files`. `every` lists all files present, to find
 * the project file beside an output folder. Rows gated on an ecosystem count
 * only when the Dockerfile runs that step itself.
 */
export function findVolatile(
  files: readonly ContextFile[],
  every: readonly ContextFile[],
  steps: { install: Set<string>; build: Set<string> },
): VolatileHit[] {
  const key = `volatile|${[...steps.install].sort().join(',')}|${[...steps.build].sort().join(',')}|${every.length}`;
  return files.length > 1000
    ? memoized(files, key, () => scanVolatile(files, every, steps))
    : scanVolatile(files, every, steps);
}

function scanVolatile(
  files: readonly ContextFile[],
  every: readonly ContextFile[],
  steps: { install: Set<string>; build: Set<string> },
): VolatileHit[] {
  let present: ReadonlySet<string> | undefined;
  let namesIn: Map<string, string[]> | undefined;
  const globs = new Map<string, RegExp>();
  // literal project files by lookup; a glob (`*.csproj`) scans the folder's names, listed on first need
  const has = (dir: string, wanted: string[]) =>
    wanted.some((w) => {
      if (!/[*?[]/.test(w)) return (present ??= pathSet(every)).has(dir ? `${dir}/${w}` : w);
      if (!namesIn) {
        namesIn = new Map();
        for (const f of every) {
          const slash = f.path.lastIndexOf('/');
          const d = slash < 0 ? '' : f.path.slice(0, slash);
          const list = namesIn.get(d) ?? [];
          list.push(f.path.slice(slash + 1));
          namesIn.set(d, list);
        }
      }
      const re = globs.get(w) ?? simpleGlobToRegExp(w);
      globs.set(w, re);
      return (namesIn.get(dir) ?? []).some((n) => re.test(n));
    });
  const rows = VOLATILE_PATHS.filter(
    (r) => !r.whenEcosystem || r.whenEcosystem.ids.some((id) => steps[r.whenEcosystem!.step].has(id)),
  );
  const dirRows = new Map<string, VolatilePath[]>();
  for (const r of rows) if (r.dirName) dirRows.set(r.dirName, [...(dirRows.get(r.dirName) ?? []), r]);
  const fileRows = rows.filter((r) => r.fileName).map((r) => ({ row: r, re: new RegExp(r.fileName!) }));
  const hits = new Map<string, VolatileHit>();
  const rootsSeen = new Map<string, Set<string>>();
  const add = (row: VolatilePath, at: string, file: ContextFile) => {
    const name = at.slice(at.lastIndexOf('/') + 1);
    const entry = row.entry.replace('{path}', at).replace('{name}', name);
    let hit = hits.get(entry);
    if (!hit) hits.set(entry, (hit = { row, entry, examples: [], allRoots: [], files: 0, bytes: 0 }));
    const seen = rootsSeen.get(entry) ?? new Set<string>();
    rootsSeen.set(entry, seen);
    if (!seen.has(at)) {
      seen.add(at);
      hit.allRoots.push(at);
      if (hit.examples.length < 3) hit.examples.push(at);
    }
    hit.files++;
    hit.bytes += file.size;
  };
  const dirVerdict = new Map<string, VolatilePath | null>();
  for (const f of files) {
    const parts = f.path.split('/');
    let matched = false;
    for (let i = 0; i < parts.length - 1 && !matched; i++) {
      const candidates = dirRows.get(parts[i]);
      if (!candidates) continue;
      const at = parts.slice(0, i + 1).join('/');
      let row = dirVerdict.get(at);
      if (row === undefined) {
        const parent = parts.slice(0, i).join('/');
        row =
          candidates.find(
            (r) =>
              (!r.rootOnly || i === 0) &&
              (!r.besideAny || has(parent, r.besideAny)) &&
              (!r.containsAny || has(at, r.containsAny)),
          ) ?? null;
        dirVerdict.set(at, row);
      }
      if (row) {
        add(row, at, f);
        matched = true;
      }
    }
    if (matched) continue;
    const name = parts[parts.length - 1];
    const fr = fileRows.find((r) => (!r.row.rootOnly || parts.length === 1) && r.re.test(name));
    if (fr) add(fr.row, f.path, f);
  }
  // table order, so a new ignore file reads in a stable, familiar order
  return [...hits.values()].sort((a, b) => VOLATILE_PATHS.indexOf(a.row) - VOLATILE_PATHS.indexOf(b.row));
}

/** The Dockerfile and the ignore file, when they sit inside the context and reach it. */
export function buildFilesInContext(
  context: ContextView,
  dockerfilePath: string,
  files: readonly ContextFile[],
): VolatileHit[] {
  const out: VolatileHit[] = [];
  const row: VolatilePath = { what: 'the Dockerfile and its ignore file', kind: 'docker', entry: '' };
  const candidates = [dockerfilePath, context.ignore?.path ?? context.ignorePathForNew];
  for (const abs of candidates) {
    const rel = path.relative(context.dir, abs).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const f = files.find((x) => x.path === rel);
    if (f && !out.some((h) => h.entry === rel))
      out.push({ row, entry: rel, examples: [rel], allRoots: [rel], files: 1, bytes: f.size });
  }
  return out;
}

/** Would writing this entry shut out something the Dockerfile names explicitly (`COPY dist/ …`, `COPY .env.production .env`)? */
export function excludesNamedSource(entry: string, model: DockerfileModel, context: ContextView): boolean {
  const p = parseIgnoreFile(entry).patterns[0];
  if (!p) return false;
  for (const s of localSources(model)) {
    if (s.path === '') continue;
    if (/[*?[]/.test(s.path)) {
      if (filesMatchingSource(context.allFiles, s.path).some((f) => patternMatches(p, f.path))) return true;
    } else if (patternMatches(p, s.path)) return true;
  }
  return false;
}

/** Entries for a file list, dropping those that would exclude a named COPY source. */
export function volatileEntries(
  ctx: { dockerfile: DockerfileModel; cache: CacheAnalysis; path: string },
  context: ContextView,
  files: readonly ContextFile[],
): VolatileHit[] {
  const steps = ecosystemSteps(ctx.dockerfile, ctx.cache);
  const hits = [...findVolatile(files, context.allFiles, steps), ...buildFilesInContext(context, ctx.path, files)];
  const committed = committedSecrets(context, hits);
  return hits.filter((h) => !committed.has(h) && !excludesNamedSource(h.entry, ctx.dockerfile, context));
}

/**
 * Env files (`.env.production`, `.env.ci`) the project commits: its `.gitignore` does not list them, so they
 * are in every clone, change only with a commit, and the app or its build reads them (Laravel, Vite modes).
 * Ignoring them would change the image; they are neither local-only nor secret. Judged only where a
 * `.gitignore` is there to say so.
 */
function committedSecrets(context: ContextView, hits: readonly VolatileHit[]): Set<VolatileHit> {
  const out = new Set<VolatileHit>();
  const secrets = hits.filter((h) => h.row.kind === 'secrets' && !h.row.dirName);
  if (!secrets.length || !context.allFiles.some((f) => f.path === '.gitignore')) return out;
  // each .gitignore speaks for its own folder (Laravel's storage/app/.gitignore holds `*`)
  const rules = context.allFiles
    .filter((f) => f.path === '.gitignore' || f.path.endsWith('/.gitignore'))
    .slice(0, 50)
    .flatMap((f) => {
      const dir = f.path.slice(0, -'.gitignore'.length);
      return (context.readText(f.path) ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
        .map((l) => ({ dir, byName: !l.replace(/\/+$/, '').includes('/'), re: simpleGlobToRegExp(bareName(l)) }));
    });
  const ignored = (p: string) =>
    rules.some(
      (r) => p.startsWith(r.dir) && r.re.test(r.byName ? p.slice(p.lastIndexOf('/') + 1) : p.slice(r.dir.length)),
    );
  for (const h of secrets) if (h.allRoots.every((p) => !ignored(p))) out.add(h);
  return out;
}

/** "`.git` (1,204 files, 3.1 MB)" */
export function describeHit(h: VolatileHit): string {
  const where = h.row.dirName || h.row.kind === 'docker' ? h.examples[0] + (h.row.dirName ? '/' : '') : h.examples[0];
  const more = h.examples.length > 1 ? ` and more` : '';
  const size = h.bytes > 0 ? `, ${formatBytes(h.bytes)}` : '';
  return `\`${where}\`${more} (${formatCount(h.files)} file${h.files === 1 ? '' : 's'}${size})`;
}

// ---------------------------------------------------------------------------
// Edits on the ignore file

let lastIndex: LineIndex | undefined;

/** The line index of an ignore text; the last one is kept, as every finding of a lint asks about the same text. */
function linesOf(text: string): LineIndex {
  if (lastIndex?.text !== text) lastIndex = new LineIndex(text);
  return lastIndex;
}

export function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** Appends lines at the end of the ignore file (after a line break if the last line has none). */
export function appendLinesEdit(filePath: string, text: string, lines: string[]): FileEdit {
  const index = linesOf(text);
  const last = index.lines.length - 1;
  const at = index.lineEnd(last);
  const eol = eolOf(text);
  const needsBreak = index.lines[last] !== '';
  return { path: filePath, range: { start: at, end: at }, newText: (needsBreak ? eol : '') + lines.join(eol) + eol };
}

/** The whole text of a line, without its line break. */
export function lineRange(text: string, line: number): Range {
  const index = linesOf(text);
  return { start: { line, character: 0 }, end: index.lineEnd(line) };
}

/** The pattern as written on its line (without surrounding whitespace). */
export function patternRange(_text: string, p: IgnorePattern): Range {
  const raw = p.raw;
  const start = raw.length - raw.trimStart().length;
  const end = raw.trimEnd().length;
  return { start: { line: p.line, character: start }, end: { line: p.line, character: Math.max(start, end) } };
}

/** Removes a whole line, with its line break. */
export function removeLineEdit(filePath: string, text: string, line: number): FileEdit {
  const index = linesOf(text);
  const isLast = line + 1 >= index.lines.length;
  if (isLast && line > 0)
    return { path: filePath, range: { start: index.lineEnd(line - 1), end: index.lineEnd(line) }, newText: '' };
  return { path: filePath, range: { start: { line, character: 0 }, end: index.nextLineStart(line) }, newText: '' };
}

/** The text of a pattern the way it reads in messages: `node_modules`, `!dist/*.map`. */
export function shownPattern(p: IgnorePattern): string {
  return p.raw.trim();
}

// ---------------------------------------------------------------------------
// Root anchoring

/** The pattern's longest run of literal characters (no slashes at its ends), or undefined when it has classes or escapes. */
function literalOf(p: IgnorePattern): string | undefined {
  if (/[[\\]/.test(p.pattern)) return undefined;
  const chunks = p.pattern
    .split(/[*?]+/)
    .map((c) => c.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean);
  return chunks.sort((a, b) => b.length - a.length)[0];
}

/** Every path of a long list in one string, so one native search rules a literal in or out. */
function joinedPaths(files: readonly ContextFile[]): string {
  return memoized(files, 'joined', () => files.map((f) => f.path).join('\n'));
}

/**
 * The files a single pattern matches (it or a parent folder), ignoring every
 * other line. A path can match only if it contains the pattern's longest
 * literal run, which rules out most files, and on long lists usually the
 * whole list in one search.
 */
export function filesMatchedBy(p: IgnorePattern, files: readonly ContextFile[]): ContextFile[] {
  const literal = literalOf(p);
  if (!literal) return files.filter((f) => patternMatches(p, f.path));
  if (files.length > 1000 && !joinedPaths(files).includes(literal)) return [];
  return files.filter((f) => f.path.includes(literal) && patternMatches(p, f.path));
}

/** Whether a single pattern matches any of the files. */
export function matchesAny(p: IgnorePattern, files: readonly ContextFile[]): boolean {
  const literal = literalOf(p);
  if (!literal) return files.some((f) => patternMatches(p, f.path));
  if (files.length > 1000 && !joinedPaths(files).includes(literal)) return false;
  return files.some((f) => f.path.includes(literal) && patternMatches(p, f.path));
}

/** Whether a single-name pattern could name a volatile path of the table (`node_modules`, `*.pyc`, `.venv`). */
export function namesVolatile(p: IgnorePattern): boolean {
  const name = bareName(p.pattern);
  if (name.includes('/')) return false;
  const probe = name.replace(/\*/g, 'x');
  const glob = /[*?[]/.test(name) ? simpleGlobToRegExp(name) : undefined;
  return VOLATILE_PATHS.some(
    (r, i) =>
      (!!r.dirName && !r.rootOnly && (r.dirName === name || !!glob?.test(r.dirName))) ||
      !!FILE_NAME_RES[i]?.test(probe),
  );
}

/** A single-name pattern written the `.gitignore` way: no slash inside, not anchored with a leading `/`. */
export function isUnanchoredName(p: IgnorePattern): boolean {
  if (p.error || p.pattern === '' || p.pattern.includes('/') || p.pattern.startsWith('**')) return false;
  const written = p.raw.trim().replace(/^!\s*/, '');
  return !written.startsWith('/');
}

/** Files of the list that the pattern matches once prefixed with a double star (any depth) but the pattern itself does not. */
export function deeperMatches(p: IgnorePattern, files: readonly ContextFile[]): ContextFile[] {
  const deep = parseIgnoreFile('**/' + p.pattern).patterns[0];
  if (!deep || deep.error) return [];
  return filesMatchedBy(deep, files).filter((f) => !patternMatches(p, f.path));
}

const EVERY_ECOSYSTEM = new Set(ECOSYSTEMS.map((e) => e.id));

/**
 * What a root-anchored name leaves in deeper down that is volatile (the
 * `.gitignore` habit with `node_modules`, `__pycache__`, `*.pyc`): nested
 * copies of an ordinary name (`config/`, `*.md`, `LICENSE`) are often source
 * the image needs, so they do not count.
 */
export function volatileDeeper(
  p: IgnorePattern,
  files: readonly ContextFile[],
  every: readonly ContextFile[],
): ContextFile[] {
  if (!namesVolatile(p)) return [];
  const deeper = deeperMatches(p, files);
  if (!deeper.length) return [];
  const all = { install: EVERY_ECOSYSTEM, build: EVERY_ECOSYSTEM };
  const roots = findVolatile(deeper, every, all).flatMap((h) => h.allRoots);
  return deeper.filter((f) => roots.some((r) => f.path === r || f.path.startsWith(r + '/')));
}

/** The deepest-first distinct folders (or files) named by a single-name pattern, for messages. */
export function matchedRoots(p: IgnorePattern, files: readonly ContextFile[]): Map<string, number> {
  const deep = parseIgnoreFile('**/' + p.pattern).patterns[0];
  const roots = new Map<string, number>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const at = parts.slice(0, i).join('/');
      if (deep && patternMatches(deep, at)) {
        roots.set(at, (roots.get(at) ?? 0) + 1);
        break;
      }
    }
  }
  return roots;
}

/**
 * The fixes that write entries: a safe one without secrets (an app may read
 * its `.env` at run time, so leaving it out changes what runs) and, when
 * secrets were found, a second one that also leaves them out.
 */
export function entryFixes(
  hits: VolatileHit[],
  entries: string[],
  make: (chosen: string[]) => Omit<Fix, 'safe' | 'isPreferred'>,
): Fix[] {
  const secret = new Set(hits.filter((h) => h.row.kind === 'secrets').map((h) => h.entry));
  const plain = entries.filter((e) => !secret.has(e));
  const fixes: Fix[] = [];
  if (plain.length) fixes.push({ ...make(plain), safe: true, isPreferred: true });
  if (secret.size) {
    fixes.push({ ...make(entries), safe: false });
  }
  return fixes;
}

// ---------------------------------------------------------------------------
// Manifests that installs need

export interface NeededManifest {
  /** context path */
  path: string;
  run: Instruction;
  install: InstallStep;
  /** the COPY that should bring it */
  copy: Instruction;
}

/**
 * The manifest and lockfile paths of the context that the COPYs before each
 * install step bring (or would, were they not excluded): the ecosystem's
 * manifests and optional files found under a folder copy, or named by a file copy.
 */
export function neededManifests(_model: DockerfileModel, cache: CacheAnalysis, context: ContextView): NeededManifest[] {
  const present = pathSet(context.allFiles);
  const out: NeededManifest[] = [];
  const seen = new Set<string>();
  for (const { ins: run, install } of cache.installSites()) {
    const dir = installDir(cache, run, install);
    const wanted = [...install.manifests, ...install.optional].filter((n) => !n.endsWith('/'));
    const wantedRe = wanted.map((w) => simpleGlobToRegExp(w));
    for (const copy of precedingInChain(run)) {
      if (!isLocalCopy(copy)) continue;
      const add = (p: string) => {
        const key = `${run.index}|${p}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push({ path: p, run, install, copy });
      };
      const broad = broadSourceFor(cache, copy, dir, context);
      if (broad && !/[*?[]/.test(broad.contextDir)) {
        for (const name of wanted) {
          if (/[*?]/.test(name)) {
            const re = simpleGlobToRegExp(name);
            const prefix = broad.contextDir ? broad.contextDir + '/' : '';
            for (const f of context.allFiles)
              if (
                f.path.startsWith(prefix) &&
                !f.path.slice(prefix.length).includes('/') &&
                re.test(f.path.slice(prefix.length))
              )
                add(f.path);
          } else {
            const p = broad.contextDir ? `${broad.contextDir}/${name}` : name;
            if (present.has(p)) add(p);
          }
        }
      }
      for (const word of copy.copy!.sources) {
        const sp = contextPathOf(word.value);
        if (!sp || isDirectorySource(word.value, context)) continue;
        for (const f of filesMatchingSource(context.allFiles, sp)) {
          const name = f.path.slice(f.path.lastIndexOf('/') + 1);
          if (wantedRe.some((re) => re.test(name))) add(f.path);
        }
      }
    }
  }
  return out;
}

/** A pattern or `.gitignore` entry reduced to what it names: no anchors, no trailing `/`, `/*`, `/**`. */
export function bareName(pattern: string): string {
  return pattern
    .trim()
    .replace(/^\/+/, '')
    .replace(/^(\*\*\/)+/, '')
    .replace(/(\/\*\*?)+$/, '')
    .replace(/\/+$/, '');
}

export interface GitignoreEntries {
  /** entries as context paths (`dir/entry`) */
  paths: Set<string>;
  /** entries without a slash, which `.gitignore` matches at any depth */
  names: Set<string>;
}

/** What the context's `.gitignore` files list (the first `limit` of them). */
export function gitignoreEntries(context: ContextView, limit = 50): GitignoreEntries {
  const paths = new Set<string>();
  const names = new Set<string>();
  const files = context.allFiles
    .filter((f) => f.path === '.gitignore' || f.path.endsWith('/.gitignore'))
    .slice(0, limit);
  for (const f of files) {
    const dir = f.path.slice(0, -'.gitignore'.length);
    for (const raw of (context.readText(f.path) ?? '').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('!')) continue;
      const bare = bareName(line);
      if (!line.replace(/\/+$/, '').includes('/')) names.add(bare);
      paths.add(dir + bare);
    }
  }
  return { paths, names };
}

/**
 * A path element that names secrets, local data or generated output wherever it
 * sits (`priv/cert`, `config/master.key`, `data/app.sqlite`, `priv/static/assets`,
 * `frontend/.pnp.js`): such a line is a guard even when nothing matches it today.
 */
const GUARD_ELEMENT = new RegExp(
  '^(' +
    [
      '\\.env([.*_-].*)?',
      '[^/]*\\.env',
      'secrets?([._-].*)?',
      '[^/]*secret[^/]*',
      'credentials?([._-].*)?',
      'certs?',
      'certificates?',
      'ssl',
      'tls',
      'keys?',
      'private',
      'master\\.key',
      '[^/]*\\.(pem|key|crt|cer|p12|pfx|jks|keystore|gpg|asc|sqlite3?|db|dump|log|syso|tfstate|tfvars)',
      'id_[rd]sa[^/]*',
      '[^/]*\\.local([.].*)?',
      '[^/]*local[^/]*\\*?',
      '\\*local\\*',
      'deploy(ment)?s?',
      '\\.terraform',
      'kubeconfig',
      '\\.kube',
      '\\.aws',
      '\\.ssh',
      'dist',
      'build',
      'builds',
      'out',
      'output',
      'target',
      'bin',
      'obj',
      'generated[^/]*',
      'generated_code',
      'gen',
      'assets',
      'static',
      'public',
      'cache_manifest\\.json',
      'coverage',
      'reports?',
      '\\.pnp(\\.[cm]?js)?',
      '\\.husky',
      '\\.next',
      '\\.nuxt',
      '_build',
      'deps',
      'node_modules',
      '\\.vscode',
      '\\.venv',
      'venv',
      '__pycache__',
      'uploads?',
      'tmp',
      'temp',
      'data',
    ].join('|') +
    ')$',
  'i',
);

/**
 * A pattern that guards against files that appear later (a local install, a
 * build, a secret someone drops in): a volatile path anywhere in it, one of
 * the usual guard entries, or something the project's `.gitignore` files list.
 */
export function isDefensivePattern(p: IgnorePattern, gitignored: GitignoreEntries): boolean {
  const bare = bareName(p.pattern);
  const last = bare.slice(bare.lastIndexOf('/') + 1);
  if (bare.split('/').some((e) => GUARD_ELEMENT.test(e))) return true;
  if (gitignored.paths.has(bare) || gitignored.names.has(bare) || gitignored.names.has(last)) return true;
  if (DEFENSIVE_ENTRIES.some((d, i) => d === last || d === bare || DEFENSIVE_RES[i].test(last))) return true;
  const probe = last.replace(/\*/g, 'x');
  const elements = bare.split('/');
  const namesDir = (r: VolatilePath) =>
    !!r.dirName && elements.some((e) => e === r.dirName || (/[*?[]/.test(e) && simpleGlobToRegExp(e).test(r.dirName!)));
  return VOLATILE_PATHS.some((r, i) => namesDir(r) || !!FILE_NAME_RES[i]?.test(probe));
}

/**
 * The ecosystem's usual local-only entries for a new ignore file, beyond what
 * the context holds today: only those that match nothing in it (so the image
 * built from this checkout stays the same) and that shut out no source the
 * Dockerfile names, nor a folder above one.
 */
export function localOnlyEntries(
  ctx: { dockerfile: DockerfileModel; cache: CacheAnalysis },
  context: ContextView,
  have: readonly string[],
): string[] {
  const steps = ecosystemSteps(ctx.dockerfile, ctx.cache);
  const used = new Set([...steps.install, ...steps.build]);
  const out: string[] = [];
  const named = localSources(ctx.dockerfile)
    .filter((s) => s.path !== '')
    .map((s) => s.path);
  for (const row of LOCAL_ONLY_DEFAULTS) {
    if (row.ecosystems !== '*' && !row.ecosystems.some((id) => used.has(id))) continue;
    for (const entry of row.entries) {
      if (have.includes(entry) || out.includes(entry)) continue;
      const p = parseIgnoreFile(entry).patterns[0];
      if (!p) continue;
      if (
        context.allFiles.some(
          (f) =>
            patternMatches(p, f.path) ||
            f.path
              .split('/')
              .slice(0, -1)
              .some((_, i, parts) => patternMatches(p, parts.slice(0, i + 1).join('/'))),
        )
      )
        continue;
      if (excludesNamedSource(entry, ctx.dockerfile, context)) continue;
      if (named.some((n) => n.split('/').some((_, i, parts) => patternMatches(p, parts.slice(0, i + 1).join('/')))))
        continue;
      out.push(entry);
    }
  }
  return out;
}
