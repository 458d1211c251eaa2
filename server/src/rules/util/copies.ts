// Shared knowledge about COPY/ADD steps: what they bring in, where it lands,
// and which manifests an install step needs from them.

import type { Instruction } from '../../parse/dockerfile';
import { precedingInChain } from '../../parse/dockerfile';
import { resolvePath, type CacheAnalysis } from '../../cache/analysis';
import type { InstallStep } from '../../ecosystems/match';
import { isManifestPath } from '../../ecosystems/match';
import { ANY_CASE_MANIFESTS } from '../../ecosystems/table';
import type { ContextView, ContextFile } from '../../context/view';
import { filesAt, filesIn, filesMatchingSource, hasFilesUnder, totalBytes } from '../../context/view';
import { yamlReader } from '../../parse/lazy';
import { simpleGlobToRegExp } from '../../parse/glob';

const WHOLE_CONTEXT = new Set(['.', './', '*', './*', '/', '']);

export function isLocalCopy(ins: Instruction): boolean {
  // a quoted source (`ADD "https://…git#${REF}" .`) is remote too
  return (
    !!ins.copy &&
    ins.copy.from === undefined &&
    !ins.copy.heredoc &&
    !ins.copy.sources.some((s) => /^["']?((https?|git):\/\/|git@)/.test(s.value))
  );
}

export function isWholeContext(source: string): boolean {
  return WHOLE_CONTEXT.has(source);
}

/** The context path a source stands for, without ./ and trailing slashes ('' = the root). */
export function sourcePath(source: string): string {
  const p = source.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return p === '.' || p === '*' ? '' : p;
}

/** Whether a COPY source names a directory of the context (or looks like one when the context is unknown). */
export function isDirectorySource(source: string, context?: ContextView): boolean {
  if (isWholeContext(source)) return true;
  if (source.endsWith('/')) return true;
  const p = sourcePath(source);
  if (/[*?[]/.test(p)) return !isManifestPath(p);
  if (context) {
    if (hasFilesUnder(context.allFiles, p)) return true;
    if (filesAt(context.allFiles, p).length) return false;
    // a path the context does not have (a context resolved from the wrong folder): judge by the name, as without one
  }
  return !/\.[A-Za-z0-9]+$/.test(p) && !isManifestPath(p) && !isExtensionlessFileName(p.split('/').pop() ?? '');
}

/** Names that are files by convention though they have no extension: `VERSION`, `LICENSE`, `Makefile`, `Procfile`. */
function isExtensionlessFileName(name: string): boolean {
  return /^[A-Z][A-Z0-9_-]*$/.test(name) || /^[A-Z][a-z]*file$/.test(name);
}

/** Where a COPY's dest resolves in the image (directory semantics). */
export function destDir(cache: CacheAnalysis, ins: Instruction): string {
  const dest = ins.copy?.dest?.value ?? '.';
  return resolvePath(cache.info(ins).workdir, dest);
}

/** The image directory an install step runs in. */
export function installDir(cache: CacheAnalysis, run: Instruction, install: InstallStep): string {
  return installCdPath(install).reduce((dir, cd) => resolvePath(dir, cd), cache.info(run).workdir);
}

/** The directory changes an install makes: `cd x` earlier in its RUN, then its own directory flag (`yarn --cwd x install`). */
export function installCdPath(install: InstallStep): string[] {
  const flags = install.ecosystem.dirFlags;
  if (!flags?.length) return install.cdPath;
  const argv = (install.expanded ?? install.command).argv;
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i];
    if (w === '--') break;
    if (flags.includes(w) && argv[i + 1]) return [...install.cdPath, argv[i + 1]];
    const eq = flags.find((f) => f.startsWith('--') && w.startsWith(f + '=') && w.length > f.length + 1);
    if (eq) return [...install.cdPath, w.slice(eq.length + 1)];
  }
  return install.cdPath;
}

export function isWithin(child: string, parent: string): boolean {
  return child === parent || parent === '/' || child.startsWith(parent.replace(/\/+$/, '') + '/');
}

function relative(child: string, parent: string): string {
  if (child === parent) return '';
  return parent === '/' ? child.slice(1) : child.slice(parent.length + 1);
}

/**
 * The broad sources of a COPY that lay down the install's directory, mapped to
 * the context directory that corresponds to the install directory.
 */
export function broadSourceFor(
  cache: CacheAnalysis,
  copy: Instruction,
  dir: string,
  context?: ContextView,
  /** sources that are not source even when they name a folder (the install's own config folders) */
  skip?: (source: string) => boolean,
): { source: string; contextDir: string } | undefined {
  const dest = destDir(cache, copy);
  if (!isWithin(dir, dest)) return undefined;
  const rel = relative(dir, dest);
  for (const s of copy.copy?.sources ?? []) {
    if (skip?.(s.value) || !isDirectorySource(s.value, context)) continue;
    if (/[*?[]/.test(sourcePath(s.value)) && !isWholeContext(s.value)) return { source: s.value, contextDir: rel };
    const base = sourcePath(s.value);
    return { source: s.value, contextDir: [base, rel].filter(Boolean).join('/') };
  }
  return undefined;
}

/** A COPY that only brings manifests/lockfiles. */
export function isManifestOnlyCopy(ins: Instruction): boolean {
  return !!ins.copy && ins.copy.sources.length > 0 && ins.copy.sources.every((s) => isManifestPath(s.value));
}

export interface ManifestGroup {
  /** context paths to copy */
  sources: string[];
  /** image directory (absolute) or the COPY's own relative form */
  dest: string;
}

/**
 * The manifest files an install needs, as they exist in the context (or the
 * ecosystem's defaults when the context is unknown), grouped by destination.
 */
export function manifestsFor(
  install: InstallStep,
  contextDir: string,
  dest: string,
  context: ContextView | undefined,
): ManifestGroup[] {
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  const wanted = [...install.manifests, ...install.optional, ...(install.ecosystem.installReads ?? [])];
  if (!context) {
    // without the real files: the manifests, the project-file globs, and the lockfile as an optional glob
    const lockfile = install.optional.find((o) => /lock|\.sum$/i.test(o));
    const globs = install.optional.filter((o) => o.includes('*'));
    const sources = [...install.manifests, ...globs, ...(lockfile ? [`${lockfile}*`] : [])].map((m) =>
      join(contextDir, m),
    );
    return sources.length ? [{ sources, dest: joinDest(dest, '') }] : [];
  }
  const groups: ManifestGroup[] = [];
  const dirs = [contextDir, ...workspaceDirs(install, contextDir, context)];
  for (const dir of dirs) {
    const here = filesIn(context.files, dir);
    const picked: string[] = [];
    const subdirs: string[] = [];
    for (const wantedName of wanted) {
      const name = wantedName.replace(/\/+$/, '');
      const path = join(dir, name);
      if (/[*?]/.test(name)) {
        const re = simpleGlobToRegExp(name);
        for (const f of here) if (re.test(f.path.split('/').pop()!)) picked.push(f.path);
      } else if (here.some((f) => f.path === path)) picked.push(path);
      else if (
        ANY_CASE_MANIFESTS.has(name.toLowerCase()) &&
        here.some((f) => f.path.split('/').pop()!.toLowerCase() === name.toLowerCase())
      )
        picked.push(here.find((f) => f.path.split('/').pop()!.toLowerCase() === name.toLowerCase())!.path);
      else if (hasFilesUnder(context.files, path)) subdirs.push(path);
      else if (install.manifests.includes(name) && dir === contextDir) picked.push(path);
    }
    const relDir = dir === contextDir ? '' : dir.slice(contextDir ? contextDir.length + 1 : 0);
    const groupDest = joinDest(dest, relDir);
    if (picked.length) groups.push({ sources: unique(picked), dest: groupDest });
    for (const sub of subdirs) groups.push({ sources: [sub + '/'], dest: joinDest(groupDest, sub.split('/').pop()!) });
    // files the manifests pull in (`-r requirements/base.txt`), placed where they sit relative to the install
    const includes = includedFiles(install, picked, context).filter((p) => !picked.includes(p));
    const byDir = new Map<string, string[]>();
    for (const inc of includes) {
      const incDir = inc.includes('/') ? inc.slice(0, inc.lastIndexOf('/')) : '';
      if (contextDir && !(incDir === contextDir || incDir.startsWith(contextDir + '/'))) continue;
      const rel = contextDir ? incDir.slice(contextDir.length + 1) : incDir;
      byDir.set(rel, [...(byDir.get(rel) ?? []), inc]);
    }
    for (const [rel, sources] of byDir) groups.push({ sources, dest: joinDest(dest, rel) });
  }
  return groups;
}

const MAX_INCLUDE_DEPTH = 5;

/** Context files that manifests include through the ecosystem's include directives, transitively. */
function includedFiles(install: InstallStep, manifests: string[], context: ContextView): string[] {
  const directives = install.pattern.includeDirectives;
  if (!directives?.length) return [];
  const found = new Set<string>();
  let frontier = manifests;
  for (let depth = 0; depth < MAX_INCLUDE_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      for (const line of (context.readText(file) ?? '').split(/\r\n|\r|\n/)) {
        const words = line.trim().split(/[\s=]+/);
        if (!directives.includes(words[0]) || !words[1]) continue;
        const target = normalizeRel([base, words[1]].filter(Boolean).join('/'));
        if (target && !found.has(target) && context.files.some((f) => f.path === target)) {
          found.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return [...found];
}

function normalizeRel(p: string): string | undefined {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function joinDest(dest: string, rel: string): string {
  const base = dest.replace(/\/+$/, '');
  if (!rel) return (base === '' ? '.' : base) + '/';
  return `${base === '' ? '.' : base}/${rel}/`;
}

/** Member packages of an npm/yarn/bun or pnpm workspace rooted at contextDir. */
function workspaceDirs(install: InstallStep, contextDir: string, context: ContextView): string[] {
  const kind = install.ecosystem.workspaces;
  if (!kind) return [];
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  let globs: string[] = [];
  try {
    if (kind === 'pnpm') {
      const text = context.readText(join(contextDir, 'pnpm-workspace.yaml'));
      const doc = text ? yamlReader().parse(text) : undefined;
      if (doc && Array.isArray(doc.packages)) globs = doc.packages.filter((p: unknown) => typeof p === 'string');
    } else {
      const text = context.readText(join(contextDir, 'package.json'));
      const pkg = text ? JSON.parse(text) : undefined;
      const ws = pkg?.workspaces;
      globs = Array.isArray(ws) ? ws : Array.isArray(ws?.packages) ? ws.packages : [];
    }
  } catch {
    return [];
  }
  const dirs = new Set<string>();
  for (const glob of globs.filter((g) => !g.startsWith('!'))) {
    const pattern = join(contextDir, glob.replace(/\/+$/, '')).replace(/\*{3,}/g, '**');
    const re = new RegExp(
      '^' +
        pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*(\/\*\*)*/g, '.+')
          .replace(/\*/g, '[^/]+') +
        '/package\\.json$',
    );
    for (const f of context.files) if (re.test(f.path)) dirs.add(f.path.slice(0, -'/package.json'.length));
  }
  return [...dirs].sort();
}

/** How a COPY reads in words: "`COPY . .` copies 1,204 files (3.1 MB)". */
export function describeCopy(
  copy: Instruction,
  context?: ContextView,
): { files?: readonly ContextFile[]; words: string } {
  const srcs = copy.copy?.sources.map((s) => s.value) ?? [];
  if (!context)
    return { words: srcs.some(isWholeContext) ? 'the whole build context' : srcs.map((s) => `\`${s}\``).join(', ') };
  const files =
    srcs.length === 1
      ? filesMatchingSource(context.files, srcs[0])
      : uniqueFiles(srcs.flatMap((s) => filesMatchingSource(context.files, s)));
  // sources missing from the context (CL109): its lists may be another folder's, so no counts
  if (context.uncertain)
    return {
      files,
      words: srcs.some(isWholeContext) ? 'the whole build context' : srcs.map((s) => `\`${s}\``).join(', '),
    };
  const bytes = totalBytes(files);
  // a listing cut short by the index's limits gives lower bounds, not counts
  const atLeast = context.truncated ? 'at least ' : '';
  return {
    files,
    words: `${atLeast}${formatCount(files.length)} file${files.length === 1 ? '' : 's'} (${atLeast}${formatBytes(bytes)})`,
  };
}

function uniqueFiles(files: readonly ContextFile[]): ContextFile[] {
  const seen = new Map<string, ContextFile>();
  for (const f of files) seen.set(f.path, f);
  return [...seen.values()];
}

// one formatter: toLocaleString builds one per call (1 % of a keystroke's analysis)
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/**
 * "3 files" — or, when the context is uncertain (sources missing from it,
 * CL109), the plural noun alone ("files"): its lists may be another folder's.
 */
export function countWords(n: number, noun: string, context?: ContextView): string {
  if (context?.uncertain) return `${noun}s`;
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** Short form of an instruction for messages: `COPY . .`, `RUN npm ci` (first line, trimmed). */
export function shortText(ins: Instruction, max = 48): string {
  const oneLine = ins.text
    .split(/\r?\n/)[0]
    .replace(/\s+\\$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}

export function commandText(install: InstallStep): string {
  return install.command.argv.join(' ');
}

export function rerunsInstall(stepsAfter: number): string {
  return stepsAfter === 0
    ? 're-runs the install'
    : `re-runs the install and the ${stepsAfter} step${stepsAfter === 1 ? '' : 's'} after it`;
}

/**
 * The text of the install's first manifest as the image has it when the install runs: the context
 * file the latest COPY laid at `<install dir>/<manifest>` (undefined when unknown).
 */
export function manifestText(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  context?: ContextView,
): string | undefined {
  const name = install.manifests[0];
  if (!name || !context) return undefined;
  const dir = installDir(cache, run, install);
  const target = resolvePath(dir, name);
  const chain = precedingInChain(run);
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i];
    if (!isLocalCopy(c)) continue;
    const dest = destDir(cache, c);
    const lands = dest === target || resolvePath(dest, name) === target;
    for (const s of c.copy!.sources) {
      const p = sourcePath(s.value);
      const base = p.split('/').pop() ?? '';
      const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
      if (lands && base === name) return context.readText(p);
      if (lands && /[*?[]/.test(base) && simpleGlobToRegExp(base).test(name))
        return context.readText([parent, name].filter(Boolean).join('/'));
    }
    const broad = broadSourceFor(cache, c, dir, context);
    if (broad && !/[*?[]/.test(broad.contextDir)) {
      const text = context.readText([broad.contextDir, name].filter(Boolean).join('/'));
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

const readsSourceMemo = new WeakMap<InstallStep, boolean>();

/**
 * Whether the install reads the project's source besides its manifests: it installs the project itself
 * (`uv sync`, `poetry install`, `pip install .`, `go build`), unless its manifest says there is no
 * project to install (`package-mode = false`); or its manifest pulls the source in (a Gemfile's `gemspec`).
 */
export function readsSource(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  context?: ContextView,
): boolean {
  const rule = install.pattern.sourceByManifest;
  const declared = !!install.pattern.needsSource;
  if (!rule || !context) return declared;
  const memo = readsSourceMemo.get(install);
  if (memo !== undefined) return memo;
  const text = manifestText(cache, run, install, context);
  let result = declared;
  if (text !== undefined) {
    if (declared && rule.unless && new RegExp(rule.unless, 'm').test(text)) result = false;
    if (!declared && rule.if && new RegExp(rule.if, 'm').test(text)) result = true;
  }
  readsSourceMemo.set(install, result);
  return result;
}

/**
 * The install fetches nothing in this tree: the nearest folder at or above its directory (within
 * what the COPY brings) that holds its manifest also holds a file like go's `vendor/modules.txt`.
 */
export function fetchesNothingIn(
  install: InstallStep,
  contextDir: string,
  base: string,
  context: ContextView,
): boolean {
  const beside = install.pattern.fetchesNothingWith?.besideManifest;
  if (!beside?.length || /[*?[]/.test(contextDir) || !install.manifests.length) return false;
  const has = (p: string) => filesAt(context.files, p).some((f) => f.path === p);
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  for (let d = contextDir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (install.manifests.some((m) => has(join(d, m)))) return beside.some((b) => has(join(d, b)));
    if (d === '' || d === base) return false;
  }
}

/** Whether the install's manifest (go.mod) exists at or above the folder the install's project comes from. */
export function hasManifestAtOrAbove(
  run: Instruction,
  install: InstallStep,
  contextDir: string,
  context: ContextView,
): boolean {
  if (/[*?[]/.test(contextDir)) return true;
  const has = (p: string) => filesAt(context.files, p).some((f) => f.path === p);
  for (let d = contextDir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (install.manifests.some((m) => has([d, m].filter(Boolean).join('/')))) return true;
    if (d === '') break;
  }
  // a manifest the Dockerfile brings from elsewhere (another stage, a RUN that writes it) is not in the context
  return [...precedingInChain(run), run].some(
    (i) =>
      (i.copy?.from !== undefined || !!i.run) &&
      install.manifests.some((m) => i.text.includes(m) || i.text.includes(m.replace('.', ' ') + ' init')),
  );
}

/**
 * Whether the install downloads nothing here, judged from the context: Go beside `vendor/modules.txt`,
 * or with no go.mod at all (GOPATH-style single files). Flags (`-mod=vendor`, GOFLAGS) are seen earlier,
 * in the cache analysis.
 */
export function fetchesNothingHere(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  context?: ContextView,
): boolean {
  if (
    !context ||
    (!install.pattern.fetchesNothingWith?.besideManifest.length && !install.pattern.fetchesNothingWithoutManifest)
  )
    return false;
  const dir = installDir(cache, run, install);
  const copy = [...precedingInChain(run)]
    .reverse()
    .find((c) => isLocalCopy(c) && !!broadSourceFor(cache, c, dir, context));
  if (!copy) return false;
  const broad = broadSourceFor(cache, copy, dir, context)!;
  if (fetchesNothingIn(install, broad.contextDir, sourcePath(broad.source), context)) return true;
  return (
    !!install.pattern.fetchesNothingWithoutManifest && !hasManifestAtOrAbove(run, install, broad.contextDir, context)
  );
}
