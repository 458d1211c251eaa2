// A workspace: its file system, the index of its build contexts and the parsed
// compose/bake/devcontainer/fly files. Turns a Dockerfile path into the build
// contexts it is analysed against, and runs lint for each. Used by the server
// (one per workspace folder) and the CLI (one per argument).

import * as path from 'node:path';
import { NodeFs, type WorkspaceFs } from '../context/fs';
import { FileIndex, type ContextSnapshot } from '../context/fileIndex';
import {
  resolveContexts,
  BuildFileCache,
  type ContextMapping,
  type ResolvedContext,
  type ResolveProblem,
} from '../context/resolve';
import { parseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import { DOCKERIGNORE, ignoreFileCandidates } from '../context/ignoreFiles';
import { MAX_FILE_BYTES } from '../parse/limits';
import type { ContextView, ContextFile } from '../context/view';
import { lint, type LintOptions, type LintResult } from './lint';
import { parseDockerfile } from '../parse/dockerfile';
import { localCopySources } from './copySources';
import type { Finding } from '../rules/rule';
import { readProjectConfig, isExcluded, PROJECT_CONFIG_FILE, type ProjectConfigResult } from '../context/projectConfig';

export interface AnalyzeOptions extends LintOptions {
  mappings?: ContextMapping[];
  /** false in an untrusted workspace: no compose/bake files, no walk of the file system */
  trusted?: boolean;
  /** open editor texts that override the disk (absolute path → text) */
  overlays?: ReadonlyMap<string, string>;
}

export interface Analysis {
  /** lint result against the first context (or none), for hover and code actions */
  primary: LintResult;
  primaryContext?: ContextView;
  contexts: ResolvedContext[];
  /** findings of every context, deduplicated */
  findings: Finding[];
  problems: ResolveProblem[];
}

export class Workspace {
  readonly fs: WorkspaceFs;
  readonly index: FileIndex;
  readonly buildFiles: BuildFileCache;
  /** file lists per snapshot; a snapshot updated in place by a file event gets a new version */
  /** local COPY/ADD sources per Dockerfile, from its last analysis or its text on disk */
  private copySources = new Map<string, readonly string[] | undefined>();
  private views = new WeakMap<ContextSnapshot, { version: number; files: ContextFile[]; allFiles: ContextFile[] }>();
  private config?: ProjectConfigResult;
  /** resolve()'s answers, valid while the file system's generation is the one they were computed at */
  private resolved = new Map<
    string,
    { generation: number; result: { contexts: ResolvedContext[]; problems: ResolveProblem[] } }
  >();

  constructor(root: string, opts: { maxFiles?: number } = {}) {
    this.fs = new NodeFs(root);
    this.index = new FileIndex(this.fs, { maxFiles: opts.maxFiles });
    this.buildFiles = new BuildFileCache(this.fs);
  }

  get root(): string {
    return this.fs.root;
  }

  contains(absPath: string): boolean {
    const rel = path.relative(this.root, absPath);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /** <root>/.cachelens.json, read once and again after it changes. */
  projectConfig(): ProjectConfigResult {
    return (this.config ??= readProjectConfig(this.fs));
  }

  /** Whether .cachelens.json's "exclude" leaves this file unchecked. */
  excludes(absPath: string): boolean {
    return isExcluded(this.root, this.projectConfig().config, absPath);
  }

  onFileChanged(absPath: string, change: 'created' | 'changed' | 'deleted'): void {
    if (path.resolve(absPath) === path.join(this.root, PROJECT_CONFIG_FILE)) this.config = undefined;
    this.fs.invalidate?.(absPath);
    this.buildFiles.invalidate(absPath);
    this.copySources.delete(absPath);
    this.index.onFileChanged(absPath, change);
  }

  /** A closed document: what was kept for it from its analyses (its COPY sources) is read from disk again when asked. */
  forgetDocument(absPath: string): void {
    this.copySources.delete(absPath);
  }

  /**
   * The contexts of a Dockerfile. `copySources` (its local COPY/ADD sources) lets an
   * unnamed context be inferred; without them, those of the last analysis (or of the
   * text on disk) are used, so the server's other callers see the same contexts.
   */
  resolve(
    dockerfile: string,
    opts: AnalyzeOptions = {},
    copySources?: readonly string[],
  ): { contexts: ResolvedContext[]; problems: ResolveProblem[] } {
    const trusted = opts.trusted ?? true;
    const sources = copySources ?? (trusted ? this.sourcesOf(dockerfile) : undefined);
    // the same question while the file system's answers are the same (every keystroke asks it): the same answer
    const generation = this.fs.generation?.();
    const key = JSON.stringify([dockerfile, trusted, opts.mappings ?? null, sources ?? null]);
    const kept = this.resolved.get(key);
    if (kept && generation !== undefined && kept.generation === generation) return kept.result;
    const result = resolveContexts(dockerfile, this.fs, {
      mappings: opts.mappings,
      trusted,
      cache: this.buildFiles,
      copySources: sources,
    });
    if (generation !== undefined) {
      if (this.resolved.size >= 64) this.resolved.clear();
      this.resolved.set(key, { generation, result });
    }
    return result;
  }

  private sourcesOf(dockerfile: string): readonly string[] | undefined {
    if (!this.copySources.has(dockerfile)) {
      const text = this.fs.readFile(dockerfile, MAX_FILE_BYTES);
      const model = text === undefined ? undefined : parseDockerfile(text);
      this.copySources.set(dockerfile, model && !model.skipped ? localCopySources(model) : undefined);
    }
    return this.copySources.get(dockerfile);
  }

  /** ignore texts parsed lately, with their matchers: every keystroke's analysis reads the same ignore file */
  private ignores = new Map<string, { parsed: ReturnType<typeof parseIgnoreFile>; matcher: IgnoreMatcher }>();

  private ignoreFor(text: string): { parsed: ReturnType<typeof parseIgnoreFile>; matcher: IgnoreMatcher } {
    let hit = this.ignores.get(text);
    if (!hit) {
      const parsed = parseIgnoreFile(text);
      hit = { parsed, matcher: new IgnoreMatcher(parsed.patterns) };
      if (this.ignores.size >= 16) this.ignores.delete(this.ignores.keys().next().value!);
      this.ignores.set(text, hit);
    }
    return hit;
  }

  /** The build context as the rules see it. */
  view(resolved: ResolvedContext, overlays?: ReadonlyMap<string, string>): ContextView {
    const ignorePath = resolved.ignoreFile;
    const ignoreText = ignorePath
      ? (overlays?.get(ignorePath) ?? this.fs.readFile(ignorePath, 4 * 1024 * 1024))
      : undefined;
    const { parsed, matcher } = ignoreText !== undefined ? this.ignoreFor(ignoreText) : {};
    const snapshot = this.index.snapshot(resolved.contextDir, matcher, ignoreText ?? '\0none');
    let lists = this.views.get(snapshot);
    if (!lists || lists.version !== snapshot.version) {
      const files = snapshot.files.filter((f) => !f.kind).map((f) => ({ path: f.path, size: f.size }));
      const allFiles: ContextFile[] = [];
      for (const f of snapshot.presentFiles())
        if (!f.kind || f.kind === 'file') allFiles.push({ path: f.path, size: Math.max(0, f.size ?? 0) });
      lists = { version: snapshot.version, files, allFiles };
      this.views.set(snapshot, lists);
    }
    const dir = resolved.contextDir;
    let overlaid: ReadonlySet<string> | undefined;
    return {
      dir,
      reason: resolved.reason,
      ignore: parsed && matcher && ignorePath ? { path: ignorePath, text: ignoreText!, parsed, matcher } : undefined,
      ignorePathForNew: ignorePath ?? path.join(dir, DOCKERIGNORE),
      files: lists.files,
      allFiles: lists.allFiles,
      truncated: snapshot.truncated ?? snapshot.error,
      readText: (rel) => {
        const abs = path.join(dir, rel);
        return overlays?.get(abs) ?? this.fs.readFile(abs, MAX_FILE_BYTES);
      },
      textState: () => {
        const generation = this.fs.generation?.();
        if (generation === undefined) return undefined;
        overlaid ??= overlaidPaths(dir, overlays);
        return { generation, overlaid };
      },
      exists: (rel) => this.fs.stat(path.join(dir, rel)) !== undefined,
    };
  }

  analyze(dockerfile: string, text: string, opts: AnalyzeOptions = {}): Analysis {
    // .cachelens.json's severities; the caller's (editor settings, --rule) win
    const fileRules = opts.trusted === false ? {} : this.projectConfig().config.rules;
    if (Object.keys(fileRules).length) opts = { ...opts, rules: { ...fileRules, ...opts.rules } };
    const trusted = opts.trusted ?? true;
    const model = parseDockerfile(text);
    const sources = trusted && !model.skipped ? localCopySources(model) : undefined;
    if (sources) this.copySources.set(dockerfile, sources);
    const resolved =
      trusted || opts.mappings?.length ? this.resolve(dockerfile, opts, sources) : { contexts: [], problems: [] };
    const { problems } = resolved;
    const contexts = opts.overlays
      ? resolved.contexts.map((c) => withOverlaidIgnoreFile(c, opts.overlays!))
      : resolved.contexts;
    const views = trusted ? contexts.map((c) => this.view(c, opts.overlays)) : [];
    const results = views.length
      ? views.map((v) => lint({ path: dockerfile, text, context: v, model }, opts))
      : [lint({ path: dockerfile, text, model }, opts)];
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const r of results) {
      for (const f of r.findings) {
        // One finding per rule and place: the first context's (the one the most COPY sources exist in)
        // wins, so disagreeing contexts do not repeat a warning with other counts.
        const key = `${f.rule}|${f.path}|${f.range.start.line}:${f.range.start.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(f);
      }
    }
    return { primary: results[0], primaryContext: views[0], contexts, findings, problems };
  }
}

/**
 * An ignore file that exists only as an open editor text or a pending fix
 * (CL101 creates one) applies as if it were on disk, with the same precedence.
 */
function withOverlaidIgnoreFile(c: ResolvedContext, overlays: ReadonlyMap<string, string>): ResolvedContext {
  if (c.ignoreFile) return c;
  const found = ignoreFileCandidates(c.dockerfile, c.contextDir, c.podman).find((f) => overlays.has(f.path))?.path;
  return found ? { ...c, ignoreFile: found, ignoreReason: `${path.basename(found)} (not saved yet)` } : c;
}

// what is a Dockerfile by name: one list, in names.ts
export { isDockerfileName } from './names';

export { isIgnoreFileName } from '../context/ignoreFiles';

/** The context-relative paths (with `/`) of the open editors' texts that lie inside `dir`. */
function overlaidPaths(dir: string, overlays: ReadonlyMap<string, string> | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const abs of overlays?.keys() ?? []) {
    const rel = path.relative(dir, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) out.add(rel.split(path.sep).join('/'));
  }
  return out;
}
