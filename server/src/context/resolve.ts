// Which build context (folder + ignore file) a Dockerfile is built with.
//
// Order (DESIGN.md "Build context resolution"): explicit mappings (settings,
// then <root>/.cachelens.json); else every build file in the workspace that
// builds this Dockerfile (the formats are in buildfiles/registry.ts); else the
// Dockerfile's own folder. The ignore file is chosen by ignoreFileFor().
//
// Build files are found by a shallow walk of the workspace. Parses are cached
// per file (BuildFileCache) because resolution runs on every keystroke.

import * as path from 'node:path';
import { isInside, relativeTo, type WorkspaceFs } from './fs';
import { readerFor } from './buildfiles/registry';
import {
  display,
  dotRel,
  MAX_BUILD_FILE_BYTES,
  type BuildEntry,
  type ContextSource,
  type ParsedBuildFile,
} from './buildfiles/types';
import { contextIgnoreNames, ignoreFileCandidates } from './ignoreFiles';
import { readProjectConfig } from './projectConfig';

export type { ContextSource } from './buildfiles/types';
export { interpolateCompose, COMPOSE_FILES } from './buildfiles/compose';
export { BAKE_FILES } from './buildfiles/bake';
export { readBakeHcl } from './buildfiles/hclReader';

export interface ResolvedContext {
  dockerfile: string;
  contextDir: string;
  ignoreFile?: string;
  /** Where the context came from, for hover and the CLI, e.g. "compose.yaml service web (build.context ./app)". */
  reason: string;
  /** Why this ignore file (or why none), e.g. "Dockerfile.dockerignore beside the Dockerfile". */
  ignoreReason: string;
  source: ContextSource;
  /** Built by podman or buildah (which read `.containerignore` first); absent for Docker builds. */
  podman?: true;
}

/** A mapping from settings or .cachelens.json; paths relative to the workspace root. */
export interface ContextMapping {
  dockerfile: string;
  context: string;
  ignoreFile?: string;
}

export interface ResolveProblem {
  file: string;
  message: string;
}

export interface ResolveOptions {
  /** Mappings from the editor settings (relative to the root); `.cachelens.json` ones are read too. */
  mappings?: ContextMapping[];
  /** false in an untrusted workspace: only mappings and the default apply. Default true. */
  trusted?: boolean;
  /** Reuse parses between calls; call cache.invalidate(path) on file events. */
  cache?: BuildFileCache;
  /**
   * The Dockerfile's local COPY/ADD sources (context-relative, variables
   * expanded; globs allowed). When nothing names a context, the nearest folder
   * above the Dockerfile's in which they exist is used ('inferred').
   */
  copySources?: readonly string[];
}

export const SETTINGS_FILE = '.cachelens.json';
const DISCOVERY_DEPTH = 4;
const DISCOVERY_MAX_DIRS = 20_000;
const DISCOVERY_SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * Build files of a workspace and their parses, kept until invalidated.
 * One per workspace root; the LSP forwards file events to invalidate().
 */
export class BuildFileCache {
  private discovered: string[] | undefined;
  private parsed = new Map<string, ParsedBuildFile>();
  private settings: { mappings: ContextMapping[]; problems: string[] } | undefined;
  private real = new Map<string, string | undefined>();

  constructor(readonly fs: WorkspaceFs) {}

  /** Forgets what a file event may have changed (any path; cheap for unrelated ones). */
  invalidate(absPath?: string): void {
    if (absPath === undefined) {
      this.discovered = undefined;
      this.parsed.clear();
      this.settings = undefined;
      this.real.clear();
      return;
    }
    const abs = path.resolve(absPath);
    this.real.clear();
    if (abs === path.join(this.fs.root, SETTINGS_FILE)) this.settings = undefined;
    for (const [file, p] of this.parsed) if (p.reads?.includes(abs)) this.parsed.delete(file);
    if (this.isBuildFile(abs)) {
      this.parsed.delete(abs);
      // Deeper than the walk reaches: never discovered, nothing to redo.
      if ((relativeTo(this.fs.root, abs) ?? '').split('/').length > DISCOVERY_DEPTH + 1) return;
      if (!this.discovered?.includes(abs) || !this.fs.stat(abs)) this.discovered = undefined;
      return;
    }
    // A folder that appeared or vanished may hold build files.
    const st = this.fs.stat(abs);
    if (!st || st.kind === 'dir') {
      const rel = relativeTo(this.fs.root, abs);
      if (rel !== undefined && rel.split('/').length <= DISCOVERY_DEPTH) this.discovered = undefined;
    }
  }

  /** Build files within DISCOVERY_DEPTH folders of the root (node_modules and VCS folders skipped). */
  buildFiles(): string[] {
    if (this.discovered) return this.discovered;
    const found: string[] = [];
    let visited = 0;
    const walk = (dir: string, depth: number): void => {
      if (++visited > DISCOVERY_MAX_DIRS) return;
      const entries = this.fs.readDir(dir);
      if (!entries) return;
      for (const e of entries.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const abs = path.join(dir, e.name);
        if (e.kind === 'file' && this.isBuildFile(abs)) found.push(abs);
        else if (e.kind === 'dir' && !DISCOVERY_SKIP.has(e.name) && depth < DISCOVERY_DEPTH) walk(abs, depth + 1);
      }
    };
    walk(this.fs.root, 0);
    this.discovered = found;
    return found;
  }

  private isBuildFile(abs: string): boolean {
    const rel = relativeTo(this.fs.root, abs);
    return rel !== undefined && readerFor(abs, rel) !== undefined;
  }

  parse(abs: string): ParsedBuildFile {
    let p = this.parsed.get(abs);
    if (!p) {
      p = parseBuildFile(this.fs, abs);
      this.parsed.set(abs, p);
    }
    return p;
  }

  /** The file a path names with symlinks resolved (a root Dockerfile may link to docker/Dockerfile). */
  realPath(abs: string): string {
    if (!this.fs.realPath) return abs;
    if (!this.real.has(abs)) this.real.set(abs, this.fs.realPath(abs));
    return this.real.get(abs) ?? abs;
  }

  /** Mappings from <root>/.cachelens.json. */
  fileMappings(): { mappings: ContextMapping[]; problems: string[] } {
    this.settings ??= readSettingsFile(this.fs);
    return this.settings;
  }
}

function parseBuildFile(fs: WorkspaceFs, abs: string): ParsedBuildFile {
  const reader = readerFor(abs, relativeTo(fs.root, abs) ?? '');
  if (!reader) return { entries: [], problems: [] };
  const text = fs.readFile(abs, MAX_BUILD_FILE_BYTES);
  if (text === undefined)
    return { entries: [], problems: reader.optional ? [] : ['could not be read (binary, unreadable or over 1 MiB)'] };
  try {
    return reader.parse(fs, abs, text);
  } catch (e) {
    // The parsers report errors as values; this is a last guard so resolution never throws.
    return { entries: [], problems: [`could not be parsed: ${(e as Error).message}`] };
  }
}

function readSettingsFile(fs: WorkspaceFs): { mappings: ContextMapping[]; problems: string[] } {
  const { config, problems } = readProjectConfig(fs);
  return { mappings: config.contexts, problems };
}

/**
 * The ignore file of a build, in Docker's order: `<Dockerfile name>.dockerignore`
 * beside the Dockerfile, else `<context>/.dockerignore`. Docker never reads
 * `.containerignore`; podman and buildah read `<context>/.containerignore`
 * before `.dockerignore`, so it is used (first) only for builds cachelens
 * knows run with podman or buildah: a podman/buildah command line, or a
 * `Containerfile` with no build file naming it. An explicit ignore file
 * (fly.toml `ignorefile`, a mapping, `--ignorefile`) overrides both.
 */
export function ignoreFileFor(
  fs: WorkspaceFs,
  dockerfile: string,
  contextDir: string,
  podman = false,
): { ignoreFile?: string; ignoreReason: string } {
  const [beside, ...inContext] = ignoreFileCandidates(dockerfile, contextDir, podman);
  if (fs.stat(beside.path)?.kind === 'file')
    return {
      ignoreFile: beside.path,
      ignoreReason: `${beside.name} beside the Dockerfile (it takes precedence over the context's .dockerignore)`,
    };
  for (const c of inContext) {
    if (fs.stat(c.path)?.kind === 'file')
      return {
        ignoreFile: c.path,
        ignoreReason: `${c.name} at the context root${podman ? ' (podman/buildah read .containerignore first)' : ''}`,
      };
  }
  return {
    ignoreReason: `no ${beside.name} beside the Dockerfile and no ${contextIgnoreNames(podman).join(' or ')} at the context root`,
  };
}

function chooseIgnoreFile(
  fs: WorkspaceFs,
  dockerfile: string,
  e: BuildEntry,
  problems: ResolveProblem[],
  problemFile: string,
): { ignoreFile?: string; ignoreReason: string } {
  if (e.ignoreFile) {
    const st = fs.stat(e.ignoreFile);
    if (st && st.kind === 'file')
      return { ignoreFile: e.ignoreFile, ignoreReason: `${display(fs, e.ignoreFile)} (${e.reason})` };
    problems.push({
      file: problemFile,
      message: `the ignore file ${display(fs, e.ignoreFile)} named by ${e.reason} does not exist; using the default one`,
    });
  }
  return ignoreFileFor(fs, dockerfile, e.contextDir, e.podman);
}

/**
 * The build contexts a Dockerfile is built with. Never throws: unreadable or
 * malformed build files come back as problems. A context outside the
 * workspace or missing is a problem and is never read; when every source that
 * names this Dockerfile points to such a context, there is NO context (the
 * Dockerfile is analysed without one) rather than a guess about another folder.
 */
export function resolveContexts(
  dockerfileAbs: string,
  fs: WorkspaceFs,
  opts: ResolveOptions = {},
): { contexts: ResolvedContext[]; problems: ResolveProblem[] } {
  const dockerfile = path.resolve(dockerfileAbs);
  const cache = opts.cache ?? new BuildFileCache(fs);
  const problems: ResolveProblem[] = [];
  const contexts: ResolvedContext[] = [];
  const seen = new Set<string>();
  let named = false;

  const accept = (e: BuildEntry, problemFile: string): void => {
    named = true;
    if (!isInside(fs.root, e.contextDir)) {
      problems.push({
        file: problemFile,
        message: `${e.reason}: the context ${e.contextDir} is outside the workspace, so cachelens does not read it`,
      });
      return;
    }
    const st = fs.stat(e.contextDir);
    if (!st || (st.kind !== 'dir' && st.kind !== 'symlink')) {
      problems.push({
        file: problemFile,
        message: `${e.reason}: the context folder ${dotRel(fs, e.contextDir)} does not exist`,
      });
      return;
    }
    const ignore = chooseIgnoreFile(fs, dockerfile, e, problems, problemFile);
    const key = e.contextDir + '\0' + (ignore.ignoreFile ?? '');
    if (seen.has(key)) return;
    seen.add(key);
    contexts.push({
      dockerfile,
      contextDir: e.contextDir,
      ...ignore,
      reason: e.reason,
      source: e.source,
      ...(e.podman ? { podman: true as const } : {}),
    });
  };
  const done = () => named || contexts.length > 0;

  // 1. Explicit mappings.
  const fromFile = cache.fileMappings();
  for (const message of fromFile.problems) problems.push({ file: path.join(fs.root, SETTINGS_FILE), message });
  const mappingSources: [ContextMapping[], string, string][] = [
    [opts.mappings ?? [], 'the cachelens.contexts setting', fs.root],
    [fromFile.mappings, SETTINGS_FILE, path.join(fs.root, SETTINGS_FILE)],
  ];
  for (const [mappings, from, problemFile] of mappingSources) {
    for (const m of mappings) {
      if (path.resolve(fs.root, m.dockerfile) !== dockerfile) continue;
      const contextDir = path.resolve(fs.root, m.context);
      accept(
        {
          dockerfile,
          contextDir,
          ignoreFile: m.ignoreFile === undefined ? undefined : path.resolve(fs.root, m.ignoreFile),
          reason: `${from} maps it to ${m.context}`,
          source: 'settings',
        },
        problemFile,
      );
    }
  }
  if (done()) return { contexts, problems };

  // 2. Build files in the workspace (only when the workspace is trusted).
  if (opts.trusted !== false) {
    for (const file of cache.buildFiles()) {
      const parsed = cache.parse(file);
      for (const message of parsed.problems) problems.push({ file, message: `${display(fs, file)}: ${message}` });
      for (const e of parsed.entries)
        if (e.dockerfile === dockerfile || cache.realPath(e.dockerfile) === cache.realPath(dockerfile)) accept(e, file);
    }
    if (contexts.length > 1 && opts.copySources)
      return { contexts: byCopySources(fs, contexts, opts.copySources), problems };
    if (done()) return { contexts, problems };
  }

  // 3. Inferred from the COPY/ADD sources; 4. the Dockerfile's folder.
  const podman = /^containerfile/i.test(path.basename(dockerfile)) || undefined;
  const inferred = opts.copySources ? inferContext(fs, dockerfile, opts.copySources) : undefined;
  if (inferred)
    accept(
      {
        dockerfile,
        contextDir: inferred,
        reason: 'inferred from the COPY sources (they exist there, not beside the Dockerfile)',
        source: 'inferred',
        podman,
      },
      dockerfile,
    );
  else
    accept(
      {
        dockerfile,
        contextDir: path.dirname(dockerfile),
        reason: `the Dockerfile's folder`,
        source: 'default',
        podman,
      },
      dockerfile,
    );
  return { contexts, problems };
}

const MAX_INFER_SOURCES = 64;

/** Several contexts: the ones in which more of the COPY sources exist first (stable otherwise). */
function byCopySources(fs: WorkspaceFs, contexts: ResolvedContext[], sources: readonly string[]): ResolvedContext[] {
  const list = usableSources(sources);
  const score = new Map(contexts.map((c) => [c, list.filter((s) => sourceExists(fs, c.contextDir, s)).length]));
  return contexts.slice().sort((a, b) => score.get(b)! - score.get(a)!);
}

function usableSources(sources: readonly string[]): string[] {
  return [
    ...new Set(
      sources
        .map((s) => s.replace(/^\/+/, '').replace(/\/+$/, ''))
        .filter((s) => s !== '' && s !== '.' && !s.split('/').includes('..')),
    ),
  ].slice(0, MAX_INFER_SOURCES);
}

/**
 * The nearest folder above the Dockerfile's (up to the workspace root) in
 * which more of the COPY/ADD sources exist than in the Dockerfile's own
 * folder, preferring the one where most exist; undefined when the
 * Dockerfile's folder holds them all, or no folder does better.
 */
export function inferContext(fs: WorkspaceFs, dockerfile: string, sources: readonly string[]): string | undefined {
  const list = usableSources(sources);
  if (!list.length) return undefined;
  const score = (dir: string) => list.filter((src) => sourceExists(fs, dir, src)).length;
  let dir = path.dirname(dockerfile);
  const own = score(dir);
  if (own === list.length) return undefined;
  let best: { dir: string; n: number } | undefined;
  while (dir !== fs.root && isInside(fs.root, dir)) {
    dir = path.dirname(dir);
    const n = score(dir);
    if (n > own && (!best || n > best.n)) best = { dir, n };
    if (n === list.length) break;
  }
  return best?.dir;
}

/** True when `src` (a COPY source, possibly with `*`, `?` or `[…]` in a segment) names something under `dir`. */
function sourceExists(fs: WorkspaceFs, dir: string, src: string): boolean {
  let current = [dir];
  for (const seg of src.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (!/[*?[]/.test(seg)) {
      current = current.map((c) => path.join(c, seg));
      continue;
    }
    const re = globSegment(seg);
    const next: string[] = [];
    for (const c of current)
      for (const e of fs.readDir(c) ?? []) if (re.test(e.name) && next.length < 256) next.push(path.join(c, e.name));
    current = next;
  }
  return current.some((p) => fs.stat(p) !== undefined);
}

function globSegment(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          seg
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp('^' + re + '$');
  } catch {
    return /$^/;
  }
}
