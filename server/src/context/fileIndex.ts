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

import * as path from 'node:path';
import { isInside, relativeTo, type FileStat, type WorkspaceFs } from './fs';

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

const UNKNOWN = -1;
const MAX_UNREADABLE = 100;
// Read once: in the bundle every `path.sep` is a getter call, and this sits on the walk's hot path.
const SEP = path.sep;

/**
 * One folder. Its file names are kept as one string joined by '/' (which no
 * name can contain) beside an array of sizes: a string per folder instead of
 * a string per file, because 100k small strings surviving the walk made the
 * garbage collector's scavenges cost as much as the listing itself.
 */
interface DirNode {
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

function newNode(): DirNode {
  return { names: '', sizes: [], dirs: NO_DIRS as Map<string, DirNode> };
}

/** node.dirs, made a map of its own first if it is the shared empty one. */
function childDirs(node: DirNode): Map<string, DirNode> {
  if (node.dirs === NO_DIRS) node.dirs = new Map();
  return node.dirs;
}

function fileNames(n: DirNode): string[] {
  return n.sizes.length === 0 ? [] : n.names.split('/');
}

function fileSize(n: DirNode, name: string): number | undefined {
  const i = fileNames(n).indexOf(name);
  return i < 0 ? undefined : n.sizes[i];
}

function setFile(n: DirNode, name: string, size: number): void {
  const i = fileNames(n).indexOf(name);
  if (i >= 0) n.sizes[i] = size;
  else {
    n.names = n.sizes.length === 0 ? name : n.names + '/' + name;
    n.sizes.push(size);
  }
}

function deleteFile(n: DirNode, name: string): void {
  const names = fileNames(n);
  const i = names.indexOf(name);
  if (i < 0) return;
  names.splice(i, 1);
  n.names = names.join('/');
  n.sizes.splice(i, 1);
  n.special?.delete(name);
}

function joinRel(rel: string, name: string): string {
  return rel === '' ? name : rel + '/' + name;
}

function subtreeFileCount(node: DirNode): number {
  let n = node.sizes.length;
  for (const child of node.dirs.values()) n += subtreeFileCount(child);
  return n;
}

/** Folders below node (node itself not counted). */
function subtreeDirCount(node: DirNode): number {
  let n = node.dirs.size;
  for (const child of node.dirs.values()) n += subtreeDirCount(child);
  return n;
}

class Tree {
  sizeEpoch = 0;
  fileCount = 0;
  fileLimitHit = false;
  /** Folders below the root. */
  dirCount = 0;
  dirLimitHit = false;
  deepest?: string;
  unreadable: string[] = [];
  readonly snapshots = new Map<unknown, Snapshot>();
  constructor(
    readonly dir: string,
    readonly root: DirNode,
  ) {}

  /** True when some of the folder was not listed (limits), so folders inside it must be walked on their own. */
  get partial(): boolean {
    return this.fileLimitHit || this.dirLimitHit || this.deepest !== undefined;
  }

  truncatedReason(maxFiles: number, maxDepth: number, maxDirs: number): string | undefined {
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

/** 'size' stats included files without a size; 'add'/'remove' account a subtree; 'compute' does size and add at once. */
type Pass = 'size' | 'add' | 'remove' | 'compute';

class Snapshot implements ContextSnapshot {
  readonly dir: string;
  epoch = -1;
  version = 0;
  private included = new Map<string, number>();
  private special = new Map<string, 'symlink' | 'other'>();
  private filesCache: IndexedFile[] | undefined;
  totalBytes = 0;
  excludedCount = 0;
  excludedBytes = 0;
  excludedUnsized = 0;
  topDirs = new Map<string, TopDirStats>();
  truncated?: string;

  constructor(
    private readonly index: FileIndex,
    readonly tree: Tree,
    /** Path of the context folder inside the tree ('' when the tree is this context). */
    readonly base: string,
    readonly matcher: PathMatcher | undefined,
  ) {
    this.dir = base === '' ? tree.dir : path.join(tree.dir, ...base.split('/'));
  }

  readonly error = undefined;

  get unreadable(): readonly string[] {
    const prefix = this.base === '' ? '' : this.base + '/';
    return this.tree.unreadable.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));
  }

  get includedCount(): number {
    return this.included.size;
  }

  get files(): readonly IndexedFile[] {
    if (!this.filesCache) {
      const out: IndexedFile[] = [];
      for (const [p, size] of this.included) {
        const kind = this.special.get(p);
        out.push(kind ? { path: p, size, kind } : { path: p, size });
      }
      this.filesCache = out;
    }
    return this.filesCache;
  }

  private get node(): DirNode | undefined {
    return this.tree.node(this.base);
  }

  /** Full recount from the in-memory tree; stats included files not yet sized. */
  compute(fs: WorkspaceFs): void {
    this.version++;
    this.included.clear();
    this.special.clear();
    this.filesCache = undefined;
    this.totalBytes = this.excludedCount = this.excludedBytes = this.excludedUnsized = 0;
    this.topDirs.clear();
    const node = this.node;
    if (node) {
      if (this.visit(fs, node, this.dir, '', false, 'compute')) this.tree.sizeEpoch++;
    }
    this.truncated = this.index.truncatedReason(this.tree);
    this.epoch = this.tree.sizeEpoch;
  }

  /** The topDirs key a file path counts under. */
  private topKey(rel: string): string {
    const slash = rel.indexOf('/');
    return slash < 0 ? ROOT_FILES : rel.slice(0, slash);
  }

  private top(rel: string): TopDirStats {
    return this.topFor(this.topKey(rel));
  }

  private topFor(key: string): TopDirStats {
    let t = this.topDirs.get(key);
    if (!t) this.topDirs.set(key, (t = { files: 0, bytes: 0, excludedFiles: 0, excludedBytes: 0 }));
    return t;
  }

  private ancestorsSkipped(rel: string): boolean {
    if (!this.matcher?.canSkipDir) return false;
    let i = rel.indexOf('/');
    while (i >= 0) {
      if (this.matcher.canSkipDir(rel.slice(0, i))) return true;
      i = rel.indexOf('/', i + 1);
    }
    return false;
  }

  isExcluded(rel: string): boolean {
    if (!this.matcher) return false;
    return this.ancestorsSkipped(rel) || this.matcher.excludes(rel);
  }

  kindOf(rel: string): FileStat['kind'] | undefined {
    if (rel === '' || rel === '.') return 'dir';
    const slash = rel.lastIndexOf('/');
    const parentRel = slash < 0 ? '' : rel.slice(0, slash);
    const parent = this.tree.node(
      this.base === '' ? parentRel : parentRel === '' ? this.base : this.base + '/' + parentRel,
    );
    if (!parent) return undefined;
    const name = rel.slice(slash + 1);
    if (parent.dirs.has(name)) return 'dir';
    if (fileSize(parent, name) === undefined) return undefined;
    return parent.special?.get(name) ?? 'file';
  }

  *presentPaths(): Iterable<string> {
    const node = this.node;
    if (!node) return;
    const stack: [DirNode, string][] = [[node, '']];
    while (stack.length) {
      const [n, rel] = stack.pop()!;
      for (const name of fileNames(n)) yield joinRel(rel, name);
      for (const [name, child] of n.dirs) {
        const p = joinRel(rel, name);
        yield p;
        stack.push([child, p]);
      }
    }
  }

  *presentFiles(): Iterable<PresentFile> {
    const node = this.node;
    if (!node) return;
    // Folders and their path prefixes ('' or 'a/b/') side by side: this runs over every file of the context.
    const nodes: DirNode[] = [node];
    const prefixes: string[] = [''];
    while (nodes.length) {
      const n = nodes.pop()!;
      const prefix = prefixes.pop()!;
      const names = fileNames(n);
      const special = n.special;
      for (let i = 0; i < names.length; i++) {
        const size = n.sizes[i];
        yield {
          path: prefix + names[i],
          kind: special?.get(names[i]) ?? 'file',
          size: size === UNKNOWN ? undefined : size,
        };
      }
      for (const [name, child] of n.dirs) {
        nodes.push(child);
        prefixes.push(prefix + name + '/');
      }
    }
  }

  *presentDirs(): Iterable<string> {
    const node = this.node;
    if (!node) return;
    const stack: [DirNode, string][] = [[node, '']];
    while (stack.length) {
      const [n, rel] = stack.pop()!;
      for (const [name, child] of n.dirs) {
        const p = joinRel(rel, name);
        yield p;
        stack.push([child, p]);
      }
    }
  }

  /**
   * Walks a subtree (rel relative to the context). 'size' stats the included
   * files that have no size yet and returns whether it sized any; 'add' and
   * 'remove' account the subtree into, or out of, the totals.
   */
  visit(
    fs: WorkspaceFs,
    node: DirNode,
    absDir: string,
    rel: string,
    skipped: boolean,
    pass: Pass,
    top?: string,
  ): boolean {
    if (skipped) {
      if (pass !== 'size') this.accountSkipped(node, rel, pass === 'remove' ? -1 : 1);
      return false;
    }
    // Files directly in the context count under ROOT_FILES; everything below a top folder under its name.
    const filesTop = top ?? (rel === '' ? ROOT_FILES : this.topKey(rel + '/x'));
    const prefix = rel === '' ? '' : rel + '/';
    const matcher = this.matcher;
    let sized = false;
    const names = fileNames(node);
    const count = names.length;
    const paths = new Array<string>(count);
    const excluded = new Array<boolean>(count);
    let unsized: number[] | undefined;
    for (let i = 0; i < count; i++) {
      const p = prefix + names[i];
      paths[i] = p;
      excluded[i] = matcher ? matcher.excludes(p) : false;
      if (!excluded[i] && node.sizes[i] === UNKNOWN) (unsized ??= []).push(i);
    }
    if (unsized && (pass === 'size' || pass === 'compute')) {
      this.sizeFiles(fs, node, names, absDir, unsized);
      sized = true;
    }
    if (pass !== 'size') {
      const sign = pass === 'remove' ? -1 : 1;
      for (let i = 0; i < count; i++)
        this.accountFile(paths[i], node.sizes[i], excluded[i], node.special?.get(names[i]), sign, filesTop);
    }
    for (const [name, child] of node.dirs) {
      const p = prefix + name;
      const skip = matcher?.canSkipDir ? matcher.canSkipDir(p) : false;
      const childTop = rel === '' ? name : filesTop;
      if (this.visit(fs, child, absDir + SEP + name, p, skip, pass, childTop)) sized = true;
    }
    return sized;
  }

  /** Stats the files at `which` (indices into names) of one folder, in one batch when the fs can. */
  private sizeFiles(fs: WorkspaceFs, node: DirNode, names: string[], absDir: string, which: number[]): void {
    const batch = fs.sizesIn?.(
      absDir,
      which.map((i) => names[i]),
    );
    for (let k = 0; k < which.length; k++) {
      const size = fs.sizesIn ? (batch?.[k] ?? -1) : (fs.stat(absDir + SEP + names[which[k]])?.size ?? -1);
      // A file that vanished since the walk counts as empty until its delete event arrives.
      node.sizes[which[k]] = Math.max(size, 0);
    }
  }

  private accountSkipped(node: DirNode, rel: string, sign: 1 | -1): void {
    this.version++;
    const t = this.top(rel + '/x');
    let files = 0;
    let bytes = 0;
    let unsized = 0;
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      for (const size of n.sizes) {
        files++;
        if (size === UNKNOWN) unsized++;
        else bytes += size;
      }
      for (const child of n.dirs.values()) stack.push(child);
    }
    this.excludedCount += sign * files;
    this.excludedBytes += sign * bytes;
    this.excludedUnsized += sign * unsized;
    t.excludedFiles += sign * files;
    t.excludedBytes += sign * bytes;
  }

  accountFile(
    rel: string,
    size: number,
    excluded: boolean,
    kind: 'symlink' | 'other' | undefined,
    sign: 1 | -1,
    topKey?: string,
  ): void {
    this.version++;
    const t = this.topFor(topKey ?? this.topKey(rel));
    if (excluded) {
      this.excludedCount += sign;
      t.excludedFiles += sign;
      if (size === UNKNOWN) this.excludedUnsized += sign;
      else {
        this.excludedBytes += sign * size;
        t.excludedBytes += sign * size;
      }
      return;
    }
    const known = size === UNKNOWN ? 0 : size;
    this.filesCache = undefined;
    if (sign > 0) {
      this.included.set(rel, known);
      if (kind) this.special.set(rel, kind);
    } else {
      this.included.delete(rel);
      this.special.delete(rel);
    }
    this.totalBytes += sign * known;
    t.files += sign;
    t.bytes += sign * known;
  }

  /** rel of a tree path inside this context, or undefined when outside it. */
  contextRel(treeRel: string): string | undefined {
    if (this.base === '') return treeRel;
    if (treeRel === this.base) return '';
    return treeRel.startsWith(this.base + '/') ? treeRel.slice(this.base.length + 1) : undefined;
  }

  /** Whether the folder rel, or one above it, is skipped as a whole. */
  skippedAt(rel: string): boolean {
    return this.ancestorsSkipped(rel + '/x');
  }

  dropTopIfEmpty(): void {
    for (const [k, t] of this.topDirs) if (t.files === 0 && t.excludedFiles === 0) this.topDirs.delete(k);
  }
}

class ErrorSnapshot implements ContextSnapshot {
  readonly version = 0;
  readonly files: readonly IndexedFile[] = [];
  readonly includedCount = 0;
  readonly totalBytes = 0;
  readonly excludedCount = 0;
  readonly excludedBytes = 0;
  readonly excludedUnsized = 0;
  readonly topDirs = new Map<string, TopDirStats>();
  readonly unreadable: readonly string[] = [];
  constructor(
    readonly dir: string,
    readonly error: string,
  ) {}
  presentPaths(): Iterable<string> {
    return [];
  }
  presentDirs(): Iterable<string> {
    return [];
  }
  presentFiles(): Iterable<PresentFile> {
    return [];
  }
  kindOf(): undefined {
    return undefined;
  }
  isExcluded(): boolean {
    return false;
  }
}

/**
 * Listings of build contexts. snapshot() walks a context once and caches the
 * result per (folder, ignore key); onFileChanged() keeps every cached walk and
 * snapshot current. A context inside an already-walked one reuses that walk.
 */
export class FileIndex {
  private readonly maxFiles: number;
  private readonly maxDirs: number;
  private readonly maxDepth: number;
  private readonly maxSnapshots: number;
  private trees = new Map<string, Tree>();

  constructor(
    private readonly fs: WorkspaceFs,
    opts: FileIndexOptions = {},
  ) {
    this.maxFiles = opts.maxFiles ?? 200_000;
    this.maxDirs = opts.maxDirs ?? 200_000;
    this.maxDepth = opts.maxDepth ?? 64;
    this.maxSnapshots = opts.maxSnapshotsPerContext ?? 8;
  }

  /** @internal */
  truncatedReason(tree: Tree): string | undefined {
    return tree.truncatedReason(this.maxFiles, this.maxDepth, this.maxDirs);
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
    // Without an ignore key the matcher object itself is the key (found by a scan of at most maxSnapshots).
    const stringKey =
      ignoreKey !== undefined ? `${base}\0k:${ignoreKey}` : matcher === undefined ? `${base}\0none` : undefined;
    let key: unknown = stringKey;
    let snap: Snapshot | undefined;
    if (stringKey !== undefined) snap = tree.snapshots.get(stringKey);
    else for (const [k, s] of tree.snapshots) if (s.base === base && s.matcher === matcher && k === s) snap = s;
    if (snap) {
      tree.snapshots.delete(key ?? snap); // re-inserted below: most recently used last
    } else {
      snap = new Snapshot(this, tree, base, matcher);
      if (tree.snapshots.size >= this.maxSnapshots) tree.snapshots.delete(tree.snapshots.keys().next().value);
    }
    key ??= snap;
    tree.snapshots.set(key, snap);
    if (snap.epoch !== tree.sizeEpoch) snap.compute(this.fs);
    return snap;
  }

  /** Forgets every walk (the next snapshot() walks again). */
  clear(): void {
    this.trees.clear();
  }

  private findTree(dir: string): { tree: Tree; base: string } | string {
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
    const tree = new Tree(dir, newNode());
    this.walk(tree, tree.root, dir, '', 0);
    // Walks of folders inside this one are now redundant: their contexts will be served from this walk.
    if (!tree.partial) {
      for (const [key, other] of this.trees)
        if (isInside(dir, other.dir) && tree.node(relativeTo(dir, other.dir)!)) this.trees.delete(key);
    }
    this.trees.set(dir, tree);
    return { tree, base: '' };
  }

  private walk(tree: Tree, node: DirNode, absDir: string, rel: string, depth: number): void {
    const entries = this.fs.readDir(absDir);
    if (!entries) {
      if (tree.unreadable.length < MAX_UNREADABLE) tree.unreadable.push(rel === '' ? '.' : rel);
      return;
    }
    let subdirs: string[] | undefined;
    const names: string[] = [];
    const room = this.maxFiles - tree.fileCount;
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
      if (tree.dirCount >= this.maxDirs) {
        tree.dirLimitHit = true;
        return;
      }
      tree.dirCount++;
      const child = newNode();
      dirs.set(name, child);
      const childRel = joinRel(rel, name);
      if (depth + 1 >= this.maxDepth) {
        tree.deepest ??= childRel;
        continue;
      }
      this.walk(tree, child, absDir + SEP + name, childRel, depth + 1);
      if (tree.fileLimitHit || tree.dirLimitHit) return;
    }
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

  private applyChange(tree: Tree, abs: string, rel: string, change: 'created' | 'changed' | 'deleted'): void {
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
    else if (tree.fileCount < this.maxFiles || wasFile) this.updateFile(tree, parent, rel, name, st);
    else tree.fileLimitHit = true;
  }

  /** Replaces (or, with st undefined, removes) one file entry and its share in every snapshot. */
  private updateFile(tree: Tree, parent: DirNode, rel: string, name: string, st: FileStat | undefined): void {
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

  private removeDir(tree: Tree, parent: DirNode, rel: string, name: string): void {
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

  private addDir(tree: Tree, parent: DirNode, abs: string, rel: string, name: string): void {
    const live = this.liveSnapshots(tree);
    if (tree.dirCount >= this.maxDirs) {
      tree.dirLimitHit = true;
      for (const s of live) s.truncated = this.truncatedReason(tree);
      return;
    }
    tree.dirCount++;
    const node = newNode();
    childDirs(parent).set(name, node);
    this.walk(tree, node, abs, rel, rel.split('/').length);
    // Size first for every snapshot, then account, so that all of them see the same sizes.
    for (const s of live) {
      const cr = s.contextRel(rel);
      if (cr !== undefined) s.visit(this.fs, node, abs, cr, s.skippedAt(cr), 'size');
    }
    for (const s of live) {
      const cr = s.contextRel(rel);
      if (cr !== undefined) s.visit(this.fs, node, abs, cr, s.skippedAt(cr), 'add');
    }
    for (const s of live) s.truncated = this.truncatedReason(tree);
  }

  /** Snapshots that are up to date (stale ones recompute when next asked for). */
  private liveSnapshots(tree: Tree): Snapshot[] {
    return [...tree.snapshots.values()].filter((s) => s.epoch === tree.sizeEpoch);
  }
}
