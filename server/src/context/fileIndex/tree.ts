// The folder tree of one walked context: directories only, file names and
// sizes per folder (sizes filled in lazily by snapshots), kept current by file
// events. It does not depend on any ignore file.

import * as path from 'node:path';
import type { WorkspaceFs } from '../fs';

/** The index's limits, which the walk obeys and truncatedReason explains. */
export interface TreeLimits {
  maxFiles: number;
  maxDirs: number;
  maxDepth: number;
}

export const UNKNOWN = -1;
const MAX_UNREADABLE = 100;
// Read once: in the bundle every `path.sep` is a getter call, and this sits on the walk's hot path.
export const SEP = path.sep;

/**
 * One folder. Its file names are kept as one string joined by '/' (which no
 * name can contain) beside an array of sizes: a string per folder instead of
 * a string per file, because 100k small strings surviving the walk made the
 * garbage collector's scavenges cost as much as the listing itself.
 */
export interface DirNode {
  names: string;
  sizes: number[]; // per file, in `names` order; UNKNOWN until stat-ed
  dirs: Map<string, DirNode>;
  special?: Map<string, 'symlink' | 'other'>;
}

/**
 * The `dirs` of every folder without sub-folders (most of them): one shared
 * map instead of one per folder. It must stay empty: use childDirs() to add.
 */
const NO_DIRS: ReadonlyMap<string, DirNode> = new Map();

export function newNode(): DirNode {
  return { names: '', sizes: [], dirs: NO_DIRS as Map<string, DirNode> };
}

/** node.dirs, made a map of its own first if it is the shared empty one. */
export function childDirs(node: DirNode): Map<string, DirNode> {
  if (node.dirs === NO_DIRS) node.dirs = new Map();
  return node.dirs;
}

export function fileNames(n: DirNode): string[] {
  return n.sizes.length === 0 ? [] : n.names.split('/');
}

export function fileSize(n: DirNode, name: string): number | undefined {
  const i = fileNames(n).indexOf(name);
  return i < 0 ? undefined : n.sizes[i];
}

export function setFile(n: DirNode, name: string, size: number): void {
  const i = fileNames(n).indexOf(name);
  if (i >= 0) n.sizes[i] = size;
  else {
    n.names = n.sizes.length === 0 ? name : n.names + '/' + name;
    n.sizes.push(size);
  }
}

export function deleteFile(n: DirNode, name: string): void {
  const names = fileNames(n);
  const i = names.indexOf(name);
  if (i < 0) return;
  names.splice(i, 1);
  n.names = names.join('/');
  n.sizes.splice(i, 1);
  n.special?.delete(name);
}

export function joinRel(rel: string, name: string): string {
  return rel === '' ? name : rel + '/' + name;
}

export function subtreeFileCount(node: DirNode): number {
  let n = node.sizes.length;
  for (const child of node.dirs.values()) n += subtreeFileCount(child);
  return n;
}

/** Folders below node (node itself not counted). */
export function subtreeDirCount(node: DirNode): number {
  let n = node.dirs.size;
  for (const child of node.dirs.values()) n += subtreeDirCount(child);
  return n;
}

export class Tree<S = unknown> {
  sizeEpoch = 0;
  fileCount = 0;
  fileLimitHit = false;
  /** Folders below the root. */
  dirCount = 0;
  dirLimitHit = false;
  deepest?: string;
  unreadable: string[] = [];
  /** Snapshots of contexts in this tree, by cache key, least recently used first. */
  readonly snapshots = new Map<string, S>();
  constructor(
    readonly dir: string,
    readonly root: DirNode,
    readonly limits: TreeLimits,
  ) {}

  /** True when some of the folder was not listed (limits), so folders inside it must be walked on their own. */
  get partial(): boolean {
    return this.fileLimitHit || this.dirLimitHit || this.deepest !== undefined;
  }

  /** Why the listing is incomplete, when it is. */
  truncatedReason(): string | undefined {
    const { maxFiles, maxDepth, maxDirs } = this.limits;
    const parts: string[] = [];
    if (this.fileLimitHit)
      parts.push(`stopped after ${maxFiles.toLocaleString('en-US')} entries (the index's file limit)`);
    if (this.dirLimitHit)
      parts.push(`stopped after ${maxDirs.toLocaleString('en-US')} folders (the index's folder limit)`);
    if (this.deepest !== undefined)
      parts.push(`folders more than ${maxDepth} levels deep were not listed (first: ${this.deepest})`);
    return parts.length ? parts.join('; ') : undefined;
  }

  node(rel: string): DirNode | undefined {
    let node: DirNode | undefined = this.root;
    if (rel === '') return node;
    for (const part of rel.split('/')) {
      node = node.dirs.get(part);
      if (!node) return undefined;
    }
    return node;
  }
}

/**
 * Lists absDir into node (folders recursively, files by name only), within the
 * tree's limits. rel is node's path in the tree, depth its folder level.
 */
export function walkInto(fs: WorkspaceFs, tree: Tree, node: DirNode, absDir: string, rel: string, depth: number): void {
  const { maxFiles, maxDirs, maxDepth } = tree.limits;
  const entries = fs.readDir(absDir);
  if (!entries) {
    if (tree.unreadable.length < MAX_UNREADABLE) tree.unreadable.push(rel === '' ? '.' : rel);
    return;
  }
  let subdirs: string[] | undefined;
  const names: string[] = [];
  const room = maxFiles - tree.fileCount;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const kind = e.kind;
    if (kind === 'dir') {
      (subdirs ??= []).push(e.name);
      continue;
    }
    if (names.length >= room) {
      tree.fileLimitHit = true;
      break;
    }
    names.push(e.name);
    if (kind !== 'file') (node.special ??= new Map()).set(e.name, kind);
  }
  tree.fileCount += names.length;
  node.names = names.join('/');
  node.sizes = new Array<number>(names.length).fill(UNKNOWN);
  if (tree.fileLimitHit || !subdirs) return;
  const dirs = childDirs(node);
  for (const name of subdirs) {
    if (tree.dirCount >= maxDirs) {
      tree.dirLimitHit = true;
      return;
    }
    tree.dirCount++;
    const child = newNode();
    dirs.set(name, child);
    const childRel = joinRel(rel, name);
    if (depth + 1 >= maxDepth) {
      tree.deepest ??= childRel;
      continue;
    }
    walkInto(fs, tree, child, absDir + SEP + name, childRel, depth + 1);
    if (tree.fileLimitHit || tree.dirLimitHit) return;
  }
}
