// One context seen through one matcher: the files that reach it (sized),
// the excluded ones (counted per top-level folder), updated in place by file
// events through accountFile and visit.

import * as path from 'node:path';
import type { FileStat, WorkspaceFs } from '../fs';
import * as treeModule from './tree';
import type { DirNode, Tree } from './tree';
import * as types from './types';
import type { ContextSnapshot, IndexedFile, PathMatcher, PresentFile, TopDirStats } from './types';

// Module-local copies of imported bindings used on hot paths: run from source (tsx),
// each file is CommonJS, where every read of an imported binding is a getter call.
const { fileNames, fileSize, joinRel, SEP, UNKNOWN } = treeModule;
const { ROOT_FILES } = types;

/** 'size' stats included files without a size; 'add'/'remove' account a subtree; 'compute' does size and add at once. */
export type Pass = 'size' | 'add' | 'remove' | 'compute';

export class Snapshot implements ContextSnapshot {
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
    readonly tree: Tree<Snapshot>,
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
    this.truncated = this.tree.truncatedReason();
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

export class ErrorSnapshot implements ContextSnapshot {
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
