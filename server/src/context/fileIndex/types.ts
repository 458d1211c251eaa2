// The file index's public shapes: what a context snapshot tells its readers.

import type { FileStat } from '../fs';

/** What the index needs of a matcher; IgnoreMatcher from ./ignore fits it. */
export interface PathMatcher {
  /** True when the context path (relative, '/'-separated) is left out of the context. */
  excludes(relPath: string): boolean;
  /** True when every path below relDir is excluded, so the walk need not test them one by one. */
  canSkipDir?(relDir: string): boolean;
}

export interface IndexedFile {
  path: string;
  size: number;
  /** Present only for entries that are not regular files. */
  kind?: 'symlink' | 'other';
}

export interface TopDirStats {
  /** Files (and links) this folder contributes to the context, and their bytes. */
  files: number;
  bytes: number;
  /** Files the ignore file keeps out, and the bytes of those that were sized. */
  excludedFiles: number;
  excludedBytes: number;
}

/** Key used in topDirs for files that sit directly in the context folder. */
export const ROOT_FILES = '.';

/** A path present in the context, excluded or not. */
export interface PresentFile {
  path: string;
  kind: 'file' | 'symlink' | 'other';
  /** undefined when the file was not sized (excluded files are counted, not stat-ed). */
  size: number | undefined;
}

/**
 * One context seen through one ignore file. The object is kept and updated in
 * place by file events; `version` changes whenever its contents do, so cache
 * anything derived from it by (snapshot, version).
 */
export interface ContextSnapshot {
  /** Absolute context folder. */
  readonly dir: string;
  /** Bumped on every change of what the snapshot holds. */
  readonly version: number;
  /** Files that reach the context after the ignore rules, in walk order. */
  readonly files: readonly IndexedFile[];
  readonly includedCount: number;
  /** Bytes of the included files. */
  readonly totalBytes: number;
  readonly excludedCount: number;
  /** Bytes of the excluded files that were sized; see excludedUnsized. */
  readonly excludedBytes: number;
  /**
   * Excluded files counted but not sized: the walk stats only what reaches
   * the context (a stat per file would cost more than the listing itself).
   * Files created or changed after the walk are sized from their event.
   */
  readonly excludedUnsized: number;
  /** Per top-level entry of the context (folder name, or ROOT_FILES). */
  readonly topDirs: ReadonlyMap<string, TopDirStats>;
  /** Why the listing is incomplete (file or depth limit), when it is. */
  readonly truncated?: string;
  /** Why there is no listing at all (folder missing, outside the workspace). */
  readonly error?: string;
  /** Folders that could not be listed (relative), at most 100. */
  readonly unreadable: readonly string[];
  /** Every relative path present in the context, files and folders, excluded ones too. */
  presentPaths(): Iterable<string>;
  /** Every relative folder path present, excluded ones too. */
  presentDirs(): Iterable<string>;
  /** Every file, symlink and other non-folder entry present, excluded ones too. */
  presentFiles(): Iterable<PresentFile>;
  /** Kind of a relative path present in the context (excluded or not), or undefined. */
  kindOf(relPath: string): FileStat['kind'] | undefined;
  /** True when the path is left out by the ignore rules (as the snapshot counted it). */
  isExcluded(relPath: string): boolean;
}

export interface FileIndexOptions {
  /** Stop listing after this many entries per context (default 200,000). */
  maxFiles?: number;
  /**
   * Stop listing after this many folders per context (default 200,000): the
   * file limit alone let a tree of mostly empty folders be walked whole (1M
   * empty folders held 300-470 MB).
   */
  maxDirs?: number;
  /** Do not descend below this many folder levels (default 64). */
  maxDepth?: number;
  /** Snapshots (ignore-file variants) kept per context (default 8). */
  maxSnapshotsPerContext?: number;
}
