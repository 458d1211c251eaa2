// One walk of each build context, kept current from file events.
//
// The walk lists directories only (no per-file stat: that alone costs more
// than `find`), into a tree that does not depend on any ignore file. A
// ContextSnapshot is that tree seen through one matcher: it stats only the
// files the matcher lets through (their sizes are the cache key's cost) and
// counts the excluded ones per top-level folder without stat-ing them
// (`excludedUnsized`); folders the matcher can skip as a whole are counted
// without testing each path.
//
// Symlinks are never followed: Docker sends them into the context as links,
// so they are entries like files (kind 'symlink'), and a symlink loop cannot
// make the walk loop. Bind-mount cycles are stopped by the depth limit.
//
// File events update the tree and every cached snapshot by the delta of the
// changed path, without touching the disk beyond that path.
//
// Files: tree.ts (the folder tree and its walk), snapshot.ts (one context
// through one matcher), types.ts (the shapes readers see), and this file, the
// index of trees and their snapshots.

import * as path from 'node:path';
import { type FileStat, isInside, relativeTo, type WorkspaceFs } from '../fs';
import { ErrorSnapshot, Snapshot } from './snapshot';
import {
  childDirs,
  type DirNode,
  deleteFile,
  fileSize,
  newNode,
  setFile,
  subtreeDirCount,
  subtreeFileCount,
  Tree,
  type TreeLimits,
  walkInto,
} from './tree';
import type { ContextSnapshot, FileIndexOptions, PathMatcher } from './types';

export type {
  ContextSnapshot,
  FileIndexOptions,
  IndexedFile,
  PathMatcher,
  PresentFile,
  TopDirStats,
} from './types';
export { ROOT_FILES } from './types';

/** Ids for matchers used as snapshot keys (when no ignore key is given), so every key is a string. */
const matcherIds = new WeakMap<PathMatcher, number>();
let nextMatcherId = 0;

/**
 * The snapshot cache key of a context (base, its path in the tree) seen through
 * a matcher: the ignore key when given, else the matcher object's identity.
 */
function snapshotKey(base: string, matcher: PathMatcher | undefined, ignoreKey: string | undefined): string {
  if (ignoreKey !== undefined) return `${base}\0k:${ignoreKey}`;
  if (matcher === undefined) return `${base}\0none`;
  let id = matcherIds.get(matcher);
  if (id === undefined) matcherIds.set(matcher, (id = nextMatcherId++));
  return `${base}\0m:${id}`;
}

/**
 * Listings of build contexts. snapshot() walks a context once and caches the
 * result per (folder, ignore key); onFileChanged() keeps every cached walk and
 * snapshot current. A context inside an already-walked one reuses that walk.
 */
export class FileIndex {
  private readonly limits: TreeLimits;
  private readonly maxSnapshots: number;
  private trees = new Map<string, Tree<Snapshot>>();

  constructor(
    private readonly fs: WorkspaceFs,
    opts: FileIndexOptions = {},
  ) {
    this.limits = {
      maxFiles: opts.maxFiles ?? 200_000,
      maxDirs: opts.maxDirs ?? 200_000,
      maxDepth: opts.maxDepth ?? 64,
    };
    this.maxSnapshots = opts.maxSnapshotsPerContext ?? 8;
  }

  /**
   * The context `contextDir` (absolute) as the matcher sees it. Snapshots are
   * cached by `ignoreKey` (e.g. the ignore file's text) when given, else by the
   * matcher object; pass the same key for the same rules to get the cache.
   */
  snapshot(contextDir: string, matcher: PathMatcher | undefined, ignoreKey?: string): ContextSnapshot {
    const dir = path.resolve(contextDir);
    if (!isInside(this.fs.root, dir))
      return new ErrorSnapshot(
        dir,
        `the context folder ${dir} is outside the workspace root ${this.fs.root}, so it is not read`,
      );
    const found = this.findTree(dir);
    if (typeof found === 'string') return new ErrorSnapshot(dir, found);
    const { tree, base } = found;
    const key = snapshotKey(base, matcher, ignoreKey);
    let snap = tree.snapshots.get(key);
    if (snap) {
      tree.snapshots.delete(key); // re-inserted below: most recently used last
    } else {
      snap = new Snapshot(tree, base, matcher);
      if (tree.snapshots.size >= this.maxSnapshots) tree.snapshots.delete(tree.snapshots.keys().next().value!);
    }
    tree.snapshots.set(key, snap);
    if (snap.epoch !== tree.sizeEpoch) snap.compute(this.fs);
    return snap;
  }

  /** Forgets every walk (the next snapshot() walks again). */
  clear(): void {
    this.trees.clear();
  }

  private findTree(dir: string): { tree: Tree<Snapshot>; base: string } | string {
    const exact = this.trees.get(dir);
    if (exact) return { tree: exact, base: '' };
    for (const tree of this.trees.values()) {
      const rel = relativeTo(tree.dir, dir);
      if (rel === undefined || rel === '') continue;
      if (tree.partial) continue;
      if (tree.node(rel)) return { tree, base: rel };
    }
    if (this.fs.realPath && this.fs.realPath(dir) === undefined) {
      const st = this.fs.stat(dir);
      if (!st) return `the context folder ${dir} does not exist`;
      return `the context folder ${dir} resolves outside the workspace root or through a symlink loop, so it is not read`;
    }
    const st = this.fs.stat(dir);
    if (!st || (st.kind !== 'dir' && st.kind !== 'symlink'))
      return `the context folder ${dir} does not exist or is not a folder`;
    const tree = new Tree<Snapshot>(dir, newNode(), this.limits);
    walkInto(this.fs, tree, tree.root, dir, '', 0);
    // Walks of folders inside this one are now redundant: their contexts will be served from this walk.
    if (!tree.partial) {
      for (const [key, other] of this.trees)
        if (isInside(dir, other.dir) && tree.node(relativeTo(dir, other.dir)!)) this.trees.delete(key);
    }
    this.trees.set(dir, tree);
    return { tree, base: '' };
  }

  /**
   * Applies a file event (from the editor's watcher) to every walk that holds
   * the path. Reads only the changed path (a created folder is walked).
   */
  onFileChanged(absPath: string, change: 'created' | 'changed' | 'deleted'): void {
    const abs = path.resolve(absPath);
    if (change !== 'changed') this.fs.invalidate?.(abs);
    for (const [key, tree] of [...this.trees]) {
      const rel = relativeTo(tree.dir, abs);
      if (rel === undefined) {
        // The context folder, or a folder above it, was removed or replaced: walk again when asked.
        if (change !== 'changed' && isInside(abs, tree.dir)) this.trees.delete(key);
        continue;
      }
      if (rel === '') {
        if (change === 'deleted') this.trees.delete(key);
        continue;
      }
      this.applyChange(tree, abs, rel, change);
    }
  }

  private applyChange(tree: Tree<Snapshot>, abs: string, rel: string, change: 'created' | 'changed' | 'deleted'): void {
    const slash = rel.lastIndexOf('/');
    const parentRel = slash < 0 ? '' : rel.slice(0, slash);
    const name = rel.slice(slash + 1);
    const parent = tree.node(parentRel);
    if (!parent) {
      // A file inside a folder we have not seen: walk the first missing folder.
      if (change === 'deleted') return;
      const parts = rel.split('/');
      let i = 0;
      let node = tree.root;
      while (node.dirs.has(parts[i])) node = node.dirs.get(parts[i++])!;
      const missing = parts.slice(0, i + 1).join('/');
      this.applyChange(tree, path.join(tree.dir, ...parts.slice(0, i + 1)), missing, 'created');
      return;
    }
    const st = change === 'deleted' ? undefined : this.fs.stat(abs);
    const wasDir = parent.dirs.has(name);
    const wasFile = fileSize(parent, name) !== undefined;
    if (st?.kind === 'dir' && wasDir) return; // a folder's own change event carries nothing
    if (wasDir) this.removeDir(tree, parent, rel, name);
    else if (wasFile) this.updateFile(tree, parent, rel, name, undefined);
    if (!st) return;
    if (st.kind === 'dir') this.addDir(tree, parent, abs, rel, name);
    else if (tree.fileCount < this.limits.maxFiles || wasFile) this.updateFile(tree, parent, rel, name, st);
    else tree.fileLimitHit = true;
  }

  /** Replaces (or, with st undefined, removes) one file entry and its share in every snapshot. */
  private updateFile(tree: Tree<Snapshot>, parent: DirNode, rel: string, name: string, st: FileStat | undefined): void {
    const old = fileSize(parent, name);
    const oldKind = parent.special?.get(name);
    const live = this.liveSnapshots(tree);
    if (old !== undefined) {
      for (const s of live) {
        const cr = s.contextRel(rel);
        if (cr !== undefined) s.accountFile(cr, old, s.isExcluded(cr), oldKind, -1);
      }
      deleteFile(parent, name);
      tree.fileCount--;
    }
    if (!st) return;
    setFile(parent, name, st.size);
    const kind = st.kind === 'symlink' || st.kind === 'other' ? st.kind : undefined;
    if (kind) (parent.special ??= new Map()).set(name, kind);
    tree.fileCount++;
    for (const s of live) {
      const cr = s.contextRel(rel);
      if (cr !== undefined) s.accountFile(cr, st.size, s.isExcluded(cr), kind, 1);
    }
  }

  private removeDir(tree: Tree<Snapshot>, parent: DirNode, rel: string, name: string): void {
    const node = parent.dirs.get(name)!;
    for (const s of this.liveSnapshots(tree)) {
      const cr = s.contextRel(rel);
      if (cr === undefined) {
        // The context folder itself, or a folder above it, went away: recount (to nothing) when asked.
        if (s.base === rel || s.base.startsWith(rel + '/')) s.epoch = -1;
        continue;
      }
      s.visit(this.fs, node, path.join(s.dir, ...cr.split('/')), cr, s.skippedAt(cr), 'remove');
      s.dropTopIfEmpty();
    }
    tree.fileCount -= subtreeFileCount(node);
    tree.dirCount -= subtreeDirCount(node) + 1;
    parent.dirs.delete(name);
    tree.unreadable = tree.unreadable.filter((u) => u !== rel && !u.startsWith(rel + '/'));
  }

  private addDir(tree: Tree<Snapshot>, parent: DirNode, abs: string, rel: string, name: string): void {
    const live = this.liveSnapshots(tree);
    if (tree.dirCount >= this.limits.maxDirs) {
      tree.dirLimitHit = true;
      for (const s of live) s.truncated = tree.truncatedReason();
      return;
    }
    tree.dirCount++;
    const node = newNode();
    childDirs(parent).set(name, node);
    walkInto(this.fs, tree, node, abs, rel, rel.split('/').length);
    // Size first for every snapshot, then account, so that all of them see the same sizes.
    for (const s of live) {
      const cr = s.contextRel(rel);
      if (cr !== undefined) s.visit(this.fs, node, abs, cr, s.skippedAt(cr), 'size');
    }
    for (const s of live) {
      const cr = s.contextRel(rel);
      if (cr !== undefined) s.visit(this.fs, node, abs, cr, s.skippedAt(cr), 'add');
    }
    for (const s of live) s.truncated = tree.truncatedReason();
  }

  /** Snapshots that are up to date (stale ones recompute when next asked for). */
  private liveSnapshots(tree: Tree<Snapshot>): Snapshot[] {
    return [...tree.snapshots.values()].filter((s) => s.epoch === tree.sizeEpoch);
  }
}
