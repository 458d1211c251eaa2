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
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isInside, relativeTo, type WorkspaceFs } from './fs';
import { readerFor } from './buildfiles/registry';
import { display, dotRel, isObject, MAX_BUILD_FILE_BYTES, type BuildEntry, type ContextSource, type ParsedBuildFile } from './buildfiles/types';

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

  constructor(readonly fs: WorkspaceFs) {}

  /** Forgets what a file event may have changed (any path; cheap for unrelated ones). */
  invalidate(absPath?: string): void {
    if (absPath === undefined) {
      this.discovered = undefined;
      this.parsed.clear();
      this.settings = undefined;
      return;
    }
    const abs = path.resolve(absPath);
    if (abs === path.join(this.fs.root, SETTINGS_FILE)) this.settings = undefined;
    if (this.isBuildFile(abs)) {
      this.parsed.delete(abs);
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
  if (text === undefined) return { entries: [], problems: ['could not be read (binary, unreadable or over 1 MiB)'] };
  try {
    return reader.parse(fs, abs, text);
  } catch (e) {
    // The parsers report errors as values; this is a last guard so resolution never throws.
    return { entries: [], problems: [`could not be parsed: ${(e as Error).message}`] };
  }
}

function readSettingsFile(fs: WorkspaceFs): { mappings: ContextMapping[]; problems: string[] } {
  const abs = path.join(fs.root, SETTINGS_FILE);
  if (!fs.stat(abs)) return { mappings: [], problems: [] };
  const text = fs.readFile(abs, MAX_BUILD_FILE_BYTES);
  if (text === undefined) return { mappings: [], problems: [`${SETTINGS_FILE} could not be read (binary, unreadable or over 1 MiB)`] };
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true });
  const problems = errors.slice(0, 5).map((e) => `${SETTINGS_FILE}: ${printParseErrorCode(e.error)} at offset ${e.offset}`);
  const mappings: ContextMapping[] = [];
  const list = isObject(json) ? json.contexts : undefined;
  if (list !== undefined && !Array.isArray(list)) problems.push(`${SETTINGS_FILE}: "contexts" should be a list of { "dockerfile", "context", "ignoreFile"? }`);
  for (const m of Array.isArray(list) ? list : []) {
    if (isObject(m) && typeof m.dockerfile === 'string' && typeof m.context === 'string' && (m.ignoreFile === undefined || typeof m.ignoreFile === 'string')) {
      mappings.push({ dockerfile: m.dockerfile, context: m.context, ignoreFile: m.ignoreFile as string | undefined });
    } else problems.push(`${SETTINGS_FILE}: each entry of "contexts" needs string "dockerfile" and "context"`);
  }
  return { mappings, problems };
}

function chooseIgnoreFile(fs: WorkspaceFs, dockerfile: string, contextDir: string, override: { file: string; from: string } | undefined, problems: ResolveProblem[], problemFile: string): { ignoreFile?: string; ignoreReason: string } {
  if (override) {
    const st = fs.stat(override.file);
    if (st && st.kind === 'file') return { ignoreFile: override.file, ignoreReason: `${display(fs, override.file)} (${override.from})` };
    problems.push({ file: problemFile, message: `the ignore file ${display(fs, override.file)} named by ${override.from} does not exist; using the default one` });
  }
  const beside = dockerfile + '.dockerignore';
  if (fs.stat(beside)?.kind === 'file') return { ignoreFile: beside, ignoreReason: `${path.basename(beside)} beside the Dockerfile (it takes precedence over the context's .dockerignore)` };
  const inContext = path.join(contextDir, '.dockerignore');
  if (fs.stat(inContext)?.kind === 'file') return { ignoreFile: inContext, ignoreReason: `.dockerignore at the context root` };
  return { ignoreReason: `no ${path.basename(dockerfile)}.dockerignore beside the Dockerfile and no .dockerignore at the context root` };
}

/**
 * The build contexts a Dockerfile is built with. Never throws: unreadable or
 * malformed build files and contexts outside the workspace come back as
 * problems, and resolution falls back to the next source.
 */
export function resolveContexts(dockerfileAbs: string, fs: WorkspaceFs, opts: ResolveOptions = {}): { contexts: ResolvedContext[]; problems: ResolveProblem[] } {
  const dockerfile = path.resolve(dockerfileAbs);
  const cache = opts.cache ?? new BuildFileCache(fs);
  const problems: ResolveProblem[] = [];
  const contexts: ResolvedContext[] = [];
  const seen = new Set<string>();

  const accept = (e: BuildEntry, problemFile: string): void => {
    if (!isInside(fs.root, e.contextDir)) {
      problems.push({ file: problemFile, message: `${e.reason}: the context ${e.contextDir} is outside the workspace, so cachelens does not read it` });
      return;
    }
    const st = fs.stat(e.contextDir);
    if (!st || (st.kind !== 'dir' && st.kind !== 'symlink')) {
      problems.push({ file: problemFile, message: `${e.reason}: the context folder ${dotRel(fs, e.contextDir)} does not exist` });
      return;
    }
    const override = e.ignoreFile ? { file: e.ignoreFile, from: e.reason } : undefined;
    const ignore = chooseIgnoreFile(fs, dockerfile, e.contextDir, override, problems, problemFile);
    const key = e.contextDir + '\0' + (ignore.ignoreFile ?? '');
    if (seen.has(key)) return;
    seen.add(key);
    contexts.push({ dockerfile, contextDir: e.contextDir, ...ignore, reason: e.reason, source: e.source });
  };

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
      accept({ dockerfile, contextDir, ignoreFile: m.ignoreFile === undefined ? undefined : path.resolve(fs.root, m.ignoreFile), reason: `${from} maps it to ${m.context}`, source: 'settings' }, problemFile);
    }
  }
  if (contexts.length) return { contexts, problems };

  // 2. Build files in the workspace (only when the workspace is trusted).
  if (opts.trusted !== false) {
    for (const file of cache.buildFiles()) {
      const parsed = cache.parse(file);
      for (const message of parsed.problems) problems.push({ file, message: `${display(fs, file)}: ${message}` });
      for (const e of parsed.entries) if (e.dockerfile === dockerfile) accept(e, file);
    }
    if (contexts.length) return { contexts, problems };
  }

  // 3. The Dockerfile's folder.
  accept({ dockerfile, contextDir: path.dirname(dockerfile), reason: `the Dockerfile's folder`, source: 'default' }, dockerfile);
  return { contexts, problems };
}
