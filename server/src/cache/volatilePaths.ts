// Volatile paths in a build context (dependency folders, build output, caches,
// secrets): which a file list holds, which entries a new ignore file would
// write, and which the Dockerfile's own named sources rule out.

import * as path from 'node:path';
import type { DockerfileModel } from '../parse/dockerfile';
import type { CacheAnalysis } from './analysis';
import type { ContextView, ContextFile } from '../context/view';
import { filesAt, filesMatchingSource } from '../context/view';
import { ignoreLinePattern, patternMatches, type IgnorePattern } from '../context/ignore';
import { VOLATILE_PATHS, type VolatilePath, LOCAL_ONLY_DEFAULTS } from '../ecosystems/volatile';
import { simpleGlobToRegExp } from '../parse/glob';
import { localSources } from './localSources';
import { buildEcosystemsOf } from './builds';
import { memoized, memoizedOnTexts, pathSet } from './memo';
import { formatBytes, formatCount } from './text';
import { perText } from '../parse/textMemo';

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

/** per analysis (CL101, CL102 and the entry helpers ask it several times per lint) */
const stepsOf = new WeakMap<CacheAnalysis, { install: Set<string>; build: Set<string> }>();

/** Ecosystem ids the Dockerfile installs for, and ids it builds with. */
export function ecosystemSteps(
  model: DockerfileModel,
  cache: CacheAnalysis,
): { install: Set<string>; build: Set<string> } {
  let steps = stepsOf.get(cache);
  if (!steps) stepsOf.set(cache, (steps = stepsNow(model, cache)));
  return steps;
}

function stepsNow(model: DockerfileModel, cache: CacheAnalysis): { install: Set<string>; build: Set<string> } {
  const install = new Set(cache.installSites().map((s) => s.install.ecosystem.id));
  const build = new Set<string>();
  for (const ins of model.instructions) {
    for (const c of ins.run?.commands ?? []) for (const e of buildEcosystemsOf(c)) build.add(e.id);
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
  return memoized(files, key, () => scanVolatile(files, every, steps));
}

function scanVolatile(
  files: readonly ContextFile[],
  every: readonly ContextFile[],
  steps: { install: Set<string>; build: Set<string> },
): VolatileHit[] {
  const has = projectFileProbe(every);
  const rows = VOLATILE_PATHS.filter(
    (r) => !r.whenEcosystem || r.whenEcosystem.ids.some((id) => steps[r.whenEcosystem!.step].has(id)),
  );
  const dirRows = new Map<string, VolatilePath[]>();
  for (const r of rows) if (r.dirName) dirRows.set(r.dirName, [...(dirRows.get(r.dirName) ?? []), r]);
  const fileRows = rows.filter((r) => r.fileName).map((r) => ({ row: r, re: new RegExp(r.fileName!) }));
  const { hits, add } = hitCollector();
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

/**
 * Whether a folder holds one of the wanted project files: literal names by lookup; a glob
 * (`*.csproj`) scans the folder's names, listed on first need.
 */
function projectFileProbe(every: readonly ContextFile[]): (dir: string, wanted: string[]) => boolean {
  let present: ReadonlySet<string> | undefined;
  let namesIn: Map<string, string[]> | undefined;
  const globs = new Map<string, RegExp>();
  return (dir, wanted) =>
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
}

/** The hits by entry, and how a file found at a volatile path is added to them. */
function hitCollector(): {
  hits: Map<string, VolatileHit>;
  add: (row: VolatilePath, at: string, file: ContextFile) => void;
} {
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
  return { hits, add };
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
    const rel = contextRelative(context.dir, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const f = filesAt(files, rel).find((x) => x.path === rel);
    if (f && !out.some((h) => h.entry === rel))
      out.push({ row, entry: rel, examples: [rel], allRoots: [rel], files: 1, bytes: f.size });
  }
  return out;
}

/** A path relative to the context folder, with `/`: kept per pair, as every keystroke asks for the same two files. */
function contextRelative(dir: string, abs: string): string {
  return relativeKept(`${dir}\0${abs}`);
}

const relativeKept = perText((pair: string) => {
  const [dir, abs] = pair.split('\0');
  return path.relative(dir, abs).split(path.sep).join('/');
});

/** Would writing this entry shut out something the Dockerfile names explicitly (`COPY dist/ …`, `COPY .env.production .env`)? */
export function excludesNamedSource(entry: string, model: DockerfileModel, context: ContextView): boolean {
  const p = ignoreLinePattern(entry);
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
 * The lines of the context's `.gitignore` files (the first 50), each for its own folder (Laravel's
 * storage/app/.gitignore holds `*`). Compiled once per file list while their texts stay the same.
 */
function gitignoreRules(context: ContextView): readonly { dir: string; byName: boolean; re: RegExp }[] {
  return memoizedOnTexts(context.allFiles, context, 'gitignoreRules', (read) =>
    context.allFiles
      .filter((f) => f.path === '.gitignore' || f.path.endsWith('/.gitignore'))
      .slice(0, 50)
      .flatMap((f) => {
        const dir = f.path.slice(0, -'.gitignore'.length);
        return (read(f.path) ?? '')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
          .map((l) => ({
            dir,
            byName: !l.replace(/\/+$/, '').includes('/'),
            re: simpleGlobToRegExp(
              l
                .replace(/^\/+/, '')
                .replace(/^(\*\*\/)+/, '')
                .replace(/(\/\*\*?)+$/, '')
                .replace(/\/+$/, ''),
            ),
          }));
      }),
  );
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
  if (!secrets.length || !pathSet(context.allFiles).has('.gitignore')) return out;
  const rules = gitignoreRules(context);
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
      const p = ignoreLinePattern(entry);
      if (!p || matchesSomeFile(context.allFiles, entry, p)) continue;
      if (excludesNamedSource(entry, ctx.dockerfile, context)) continue;
      if (named.some((n) => n.split('/').some((_, i, parts) => patternMatches(p, parts.slice(0, i + 1).join('/')))))
        continue;
      out.push(entry);
    }
  }
  return out;
}

/** whether an entry's pattern matches a file of the list or a folder above one: kept per list (every keystroke asks) */
const matchedEntries = new WeakMap<readonly ContextFile[], Map<string, boolean>>();

function matchesSomeFile(files: readonly ContextFile[], entry: string, p: IgnorePattern): boolean {
  let byEntry = matchedEntries.get(files);
  if (!byEntry) matchedEntries.set(files, (byEntry = new Map()));
  let hit = byEntry.get(entry);
  if (hit === undefined) {
    hit = files.some(
      (f) =>
        patternMatches(p, f.path) ||
        f.path
          .split('/')
          .slice(0, -1)
          .some((_, i, parts) => patternMatches(p, parts.slice(0, i + 1).join('/'))),
    );
    byEntry.set(entry, hit);
  }
  return hit;
}
