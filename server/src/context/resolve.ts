// Which build context (folder + ignore file) a Dockerfile is built with.
//
// Order (DESIGN.md "Build context resolution"): explicit mappings (settings,
// then <root>/.cachelens.json); else every build file in the workspace that
// builds this Dockerfile (the formats are in buildfiles/registry.ts); else the
// Dockerfile's own folder. The ignore file is chosen by ignoreFileFor().
//
// Build files are found and their parses cached by BuildFileCache
// (buildFileCache.ts); the inference from COPY sources is inferContext.ts.

import * as path from 'node:path';
import { isInside, type WorkspaceFs } from './fs';
import { BuildFileCache, type ContextMapping, SETTINGS_FILE } from './buildFileCache';
import { display, dotRel, type BuildEntry, type ContextSource } from './buildfiles/types';
import { contextIgnoreNames, ignoreFileCandidates } from './ignoreFiles';
import { byCopySources, inferContext } from './inferContext';

export type { ContextSource } from './buildfiles/types';
export { BuildFileCache, type ContextMapping, SETTINGS_FILE } from './buildFileCache';
export { inferContext } from './inferContext';
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
  const found = new Found(fs, dockerfile);

  // 1. Explicit mappings.
  acceptMappings(found, cache, opts.mappings ?? []);
  if (found.done) return found.result();

  // 2. Build files in the workspace (only when the workspace is trusted).
  if (opts.trusted !== false) {
    acceptBuildFiles(found, cache);
    if (found.contexts.length > 1 && opts.copySources)
      return { contexts: byCopySources(fs, found.contexts, opts.copySources), problems: found.problems };
    if (found.done) return found.result();
  }

  // 3. Inferred from the COPY/ADD sources; 4. the Dockerfile's folder.
  acceptFallback(found, opts.copySources);
  return found.result();
}

/** The contexts and problems found so far, in order, without duplicates. */
class Found {
  readonly problems: ResolveProblem[] = [];
  readonly contexts: ResolvedContext[] = [];
  private readonly seen = new Set<string>();
  /** Something named this Dockerfile (even if its context was unusable). */
  private named = false;

  constructor(
    readonly fs: WorkspaceFs,
    readonly dockerfile: string,
  ) {}

  get done(): boolean {
    return this.named || this.contexts.length > 0;
  }

  result(): { contexts: ResolvedContext[]; problems: ResolveProblem[] } {
    return { contexts: this.contexts, problems: this.problems };
  }

  accept(e: BuildEntry, problemFile: string): void {
    const { fs, dockerfile, problems } = this;
    this.named = true;
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
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.contexts.push({
      dockerfile,
      contextDir: e.contextDir,
      ...ignore,
      reason: e.reason,
      source: e.source,
      ...(e.podman ? { podman: true as const } : {}),
    });
  }
}

/** The editor setting's mappings, then .cachelens.json's. */
function acceptMappings(found: Found, cache: BuildFileCache, settingMappings: ContextMapping[]): void {
  const { fs, dockerfile } = found;
  const fromFile = cache.fileMappings();
  for (const message of fromFile.problems) found.problems.push({ file: path.join(fs.root, SETTINGS_FILE), message });
  const mappingSources: [ContextMapping[], string, string][] = [
    [settingMappings, 'the cachelens.contexts setting', fs.root],
    [fromFile.mappings, SETTINGS_FILE, path.join(fs.root, SETTINGS_FILE)],
  ];
  for (const [mappings, from, problemFile] of mappingSources) {
    for (const m of mappings) {
      if (path.resolve(fs.root, m.dockerfile) !== dockerfile) continue;
      const contextDir = path.resolve(fs.root, m.context);
      found.accept(
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
}

/** Every build file of the workspace that builds this Dockerfile (or a symlink to it). */
function acceptBuildFiles(found: Found, cache: BuildFileCache): void {
  const { fs, dockerfile } = found;
  for (const file of cache.buildFiles()) {
    const parsed = cache.parse(file);
    for (const message of parsed.problems) found.problems.push({ file, message: `${display(fs, file)}: ${message}` });
    for (const e of parsed.entries)
      if (e.dockerfile === dockerfile || cache.realPath(e.dockerfile) === cache.realPath(dockerfile))
        found.accept(e, file);
  }
}

/** The folder the COPY sources exist in when it is not the Dockerfile's, else the Dockerfile's folder. */
function acceptFallback(found: Found, copySources: readonly string[] | undefined): void {
  const { fs, dockerfile } = found;
  const podman = /^containerfile/i.test(path.basename(dockerfile)) || undefined;
  const inferred = copySources ? inferContext(fs, dockerfile, copySources) : undefined;
  if (inferred)
    found.accept(
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
    found.accept(
      {
        dockerfile,
        contextDir: path.dirname(dockerfile),
        reason: `the Dockerfile's folder`,
        source: 'default',
        podman,
      },
      dockerfile,
    );
}
