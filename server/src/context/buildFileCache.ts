// The build files of a workspace (found by a shallow walk) and their parses,
// cached per file because resolution runs on every keystroke.

import * as path from 'node:path';
import { relativeTo, type WorkspaceFs } from './fs';
import { readerFor } from './buildfiles/registry';
import type { ParsedBuildFile } from './buildfiles/types';
import { MAX_FILE_BYTES } from '../parse/limits';
import { readProjectConfig } from './projectConfig';

/** A mapping from settings or .cachelens.json; paths relative to the workspace root. */
export interface ContextMapping {
  dockerfile: string;
  context: string;
  ignoreFile?: string;
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
  const text = fs.readFile(abs, MAX_FILE_BYTES);
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
