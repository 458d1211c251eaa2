// The file-system surface the context analysis uses. Everything below
// context/ reads files only through a WorkspaceFs, so unit tests run on an
// in-memory tree (MemoryFs) and the real one (NodeFs) can enforce, in one
// place, that nothing outside the workspace root is ever read.

import * as nodeFs from 'node:fs';
import * as path from 'node:path';

export interface FileStat {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
}

export interface DirEntry {
  name: string;
  kind: FileStat['kind'];
}

export interface WorkspaceFs {
  /** Absolute; every path passed to the methods below is absolute and must lie inside it. */
  readonly root: string;
  /**
   * Text of a file, or undefined when it is missing, unreadable, outside the
   * root, larger than maxBytes (default DEFAULT_MAX_READ) or binary (has a NUL
   * byte in its first 8 KiB). Callers that need the reason use stat().
   */
  readFile(absPath: string, maxBytes?: number): string | undefined;
  /** lstat semantics: a symlink is reported as 'symlink', never followed. */
  stat(absPath: string): FileStat | undefined;
  /** Entries of a directory (kinds without following symlinks), or undefined. */
  readDir(absPath: string): DirEntry[] | undefined;
  /**
   * Sizes (lstat semantics) of entries of one directory, given by name, with -1
   * for an entry that is gone; undefined when the directory may not be read.
   * Optional: without it callers stat() each path. It exists because checking
   * the directory once per file cost as much as the lstat itself.
   */
  sizesIn?(absDir: string, names: readonly string[]): number[] | undefined;
  /** Canonical path with symlinks resolved, or undefined when missing, looping or outside the root. */
  realPath?(absPath: string): string | undefined;
  /** Drops whatever the implementation remembers about paths (called after file events). */
  invalidate?(absPath?: string): void;
  /**
   * A number that changes whenever the implementation forgets its remembered
   * answers (a file event, their time bound): what is derived from its answers
   * alone stays true while it does not change. Optional: without it, nothing
   * derived is kept.
   */
  generation?(): number;
}

export const DEFAULT_MAX_READ = 16 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;
// Read once: in the bundle every `path.sep` is a getter call, and these sit on the walk's hot path.
const SEP = path.sep;
const LSTAT_QUIET = { throwIfNoEntry: false } as const;

/** True when `p` is `root` or lies below it (both absolute and normalised). */
export function isInside(root: string, p: string): boolean {
  if (p === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return p.startsWith(prefix);
}

/** `/`-separated path of `abs` relative to `base`, '' for base itself; undefined when outside. */
export function relativeTo(base: string, abs: string): string | undefined {
  if (abs === base) return '';
  if (!isInside(base, abs)) return undefined;
  const rel = abs.slice(base.endsWith(path.sep) ? base.length : base.length + 1);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** path.resolve, skipped for paths that are already absolute and normal (the walk's own, on its hot path). */
function normalise(p: string): string {
  if (
    SEP === '/' &&
    p.charCodeAt(0) === 47 &&
    p.charCodeAt(p.length - 1) !== 47 &&
    p.indexOf('//') < 0 &&
    !hasDotSegment(p)
  )
    return p;
  return path.resolve(p);
}

/** True when a '/'-separated path has a `.` or `..` segment (hidden names like `.git` are not one). */
function hasDotSegment(p: string): boolean {
  for (let i = p.indexOf('/.'); i >= 0; i = p.indexOf('/.', i + 1)) {
    const next = p.charCodeAt(i + 2);
    if (Number.isNaN(next) || next === 47 || (next === 46 && (i + 3 === p.length || p.charCodeAt(i + 3) === 47)))
      return true;
  }
  return false;
}

function looksBinary(buf: Buffer, length: number): boolean {
  return buf.subarray(0, Math.min(length, BINARY_SNIFF_BYTES)).includes(0);
}

function kindOf(d: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileStat['kind'] {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (d.isSymbolicLink()) return 'symlink';
  return 'other';
}

/**
 * The real disk, confined to `root`. A path is accepted when it is lexically
 * inside the root and its directory's canonical path is inside the root's
 * canonical path, so a symlinked folder cannot lead out of the workspace.
 *
 * Checking every directory with realpath costs as much as the walk itself, so
 * directories are remembered as trusted once verified, and so are the
 * sub-directories that a trusted directory lists as real directories (not
 * symlinks). invalidate() forgets them all; FileIndex calls it on file events.
 *
 * The answers of realPath, stat, readDir and readFile are remembered for
 * `memoMs` (an analysis per keystroke asks the same ones again and again:
 * the ignore file, manifests, whether each COPY source exists) and forgotten
 * at once by invalidate(), which the server calls on every file event. The
 * time bound covers editors that send no file events: a change made outside
 * the editor shows within that time, as it did before on the next keystroke.
 */
export class NodeFs implements WorkspaceFs {
  readonly root: string;
  private readonly realRoot: string;
  private trusted = new Set<string>();
  private static readonly MAX_TRUSTED = 200_000;
  private memo = new Map<string, unknown>();
  private memoSince = 0;
  /** how many times the memo was forgotten (generation()) */
  private forgotten = 0;
  private static readonly MAX_MEMO = 4096;
  /** how long remembered answers last, ms (0: not remembered) */
  private readonly memoMs: number;

  constructor(root: string, options: { memoMs?: number } = {}) {
    this.memoMs = options.memoMs ?? 1000;
    this.root = path.resolve(root);
    let real: string;
    try {
      real = nodeFs.realpathSync.native(this.root);
    } catch {
      real = this.root;
    }
    this.realRoot = real;
  }

  invalidate(): void {
    this.trusted.clear();
    this.memo.clear();
    this.forgotten++;
  }

  generation(): number {
    if (this.memoMs <= 0) return ++this.forgotten;
    this.expireIfDue();
    return this.forgotten;
  }

  /** The whole memo expires together, memoMs after its first entry (or when full). */
  private expireIfDue(): void {
    const now = Date.now();
    if (now - this.memoSince >= this.memoMs || this.memo.size >= NodeFs.MAX_MEMO) {
      this.forgotten++;
      this.memo.clear();
      this.memoSince = now;
    }
  }

  /** The remembered answer for `key`, or computes and remembers it. */
  private remembered<T>(key: string, compute: () => T, keep: (value: T) => boolean = () => true): T {
    if (this.memoMs <= 0) return compute();
    this.expireIfDue();
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    if (keep(value)) this.memo.set(key, value);
    return value;
  }

  realPath(absPath: string): string | undefined {
    return this.remembered(`r\0${absPath}`, () => this.realPathNow(absPath));
  }

  private realPathNow(absPath: string): string | undefined {
    const p = path.resolve(absPath);
    if (!isInside(this.root, p)) return undefined;
    try {
      const real = nodeFs.realpathSync.native(p);
      return isInside(this.realRoot, real) ? real : undefined;
    } catch {
      return undefined;
    }
  }

  /** A directory we may list or whose children we may stat. */
  private dirAllowed(dir: string): boolean {
    if (this.trusted.has(dir)) return true;
    if (!isInside(this.root, dir)) return false;
    if (this.realPath(dir) === undefined) return false;
    this.trust(dir);
    return true;
  }

  private trust(dir: string): void {
    if (this.trusted.size >= NodeFs.MAX_TRUSTED) this.trusted.clear();
    this.trusted.add(dir);
  }

  /** The path itself must be inside; its parent must resolve inside (the last component is not followed). */
  private entryAllowed(absPath: string): string | undefined {
    const p = normalise(absPath);
    if (p === this.root) return p;
    if (!isInside(this.root, p)) return undefined;
    return this.dirAllowed(path.dirname(p)) ? p : undefined;
  }

  stat(absPath: string): FileStat | undefined {
    const st = this.remembered(`s\0${absPath}`, () => this.statNow(absPath));
    return st && { ...st };
  }

  private statNow(absPath: string): FileStat | undefined {
    const p = this.entryAllowed(absPath);
    if (p === undefined) return undefined;
    try {
      const st = nodeFs.lstatSync(p, LSTAT_QUIET);
      if (!st) return undefined;
      return { kind: kindOf(st), size: st.size };
    } catch {
      return undefined;
    }
  }

  readDir(absPath: string): DirEntry[] | undefined {
    return this.remembered(`d\0${absPath}`, () => this.readDirNow(absPath))?.slice();
  }

  private readDirNow(absPath: string): DirEntry[] | undefined {
    const p = normalise(absPath);
    if (!this.dirAllowed(p)) return undefined;
    let dirents: nodeFs.Dirent[];
    try {
      dirents = nodeFs.readdirSync(p, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const out: DirEntry[] = new Array(dirents.length);
    for (let i = 0; i < dirents.length; i++) {
      const d = dirents[i];
      const kind = kindOf(d);
      out[i] = { name: d.name, kind };
      if (kind === 'dir') this.trust(p + SEP + d.name);
    }
    return out;
  }

  sizesIn(absDir: string, names: readonly string[]): number[] | undefined {
    const dir = normalise(absDir);
    if (!this.dirAllowed(dir)) return undefined;
    const prefix = dir.endsWith(SEP) ? dir : dir + SEP;
    const out = new Array<number>(names.length);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      // Only names of entries of the checked directory; a path would leave it.
      if (name === '' || name === '.' || name === '..' || name.includes(SEP) || name.includes('/')) {
        out[i] = -1;
        continue;
      }
      try {
        out[i] = nodeFs.lstatSync(prefix + name, LSTAT_QUIET)?.size ?? -1;
      } catch {
        out[i] = -1;
      }
    }
    return out;
  }

  readFile(absPath: string, maxBytes = DEFAULT_MAX_READ): string | undefined {
    // large texts are not kept: the memo is for the small files every analysis reads again
    return this.remembered(
      `f\0${maxBytes}\0${absPath}`,
      () => this.readFileNow(absPath, maxBytes),
      (text) => (text?.length ?? 0) <= 256 * 1024,
    );
  }

  private readFileNow(absPath: string, maxBytes: number): string | undefined {
    const p = this.entryAllowed(absPath);
    if (p === undefined) return undefined;
    // Follow a final symlink only when its target stays inside the root.
    const real = this.realPath(p);
    if (real === undefined) return undefined;
    let fd: number | undefined;
    try {
      fd = nodeFs.openSync(real, 'r');
      const st = nodeFs.fstatSync(fd);
      if (!st.isFile() || st.size > maxBytes) return undefined;
      const buf = Buffer.allocUnsafe(st.size);
      let read = 0;
      while (read < st.size) {
        const n = nodeFs.readSync(fd, buf, read, st.size - read, read);
        if (n === 0) break;
        read += n;
      }
      if (looksBinary(buf, read)) return undefined;
      return buf.toString('utf8', 0, read);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) nodeFs.closeSync(fd);
    }
  }
}

type MemoryEntry = string | { size: number } | { symlink: string };

/**
 * An in-memory tree for tests. Keys are relative, '/'-separated; directories
 * are implied by the keys (a key ending in '/' makes an empty directory).
 * A value is the file's text, `{ size }` for a file whose content does not
 * matter, or `{ symlink: target }`.
 */
export class MemoryFs implements WorkspaceFs {
  readonly root: string;
  private files = new Map<string, MemoryEntry>();
  private dirs = new Map<string, Map<string, FileStat['kind']>>();

  constructor(root: string, files: Record<string, MemoryEntry>) {
    this.root = path.resolve(root);
    this.dirs.set(this.root, new Map());
    for (const [rel, value] of Object.entries(files)) {
      if (rel.endsWith('/')) this.mkdirs(this.abs(rel.slice(0, -1)));
      else this.write(rel, value);
    }
  }

  private abs(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, ...rel.split('/'));
  }

  private mkdirs(abs: string): void {
    if (abs === this.root || this.dirs.has(abs)) return;
    const parent = path.dirname(abs);
    this.mkdirs(parent);
    this.dirs.get(parent)!.set(path.basename(abs), 'dir');
    this.dirs.set(abs, new Map());
  }

  /** Adds or replaces a file (tests use it to simulate edits). */
  write(rel: string, value: MemoryEntry): void {
    const abs = this.abs(rel);
    this.mkdirs(path.dirname(abs));
    this.files.set(abs, value);
    const kind = typeof value === 'object' && 'symlink' in value ? 'symlink' : 'file';
    this.dirs.get(path.dirname(abs))!.set(path.basename(abs), kind);
  }

  /** Removes a file or a whole directory. */
  remove(rel: string): void {
    const abs = this.abs(rel);
    this.dirs.get(path.dirname(abs))?.delete(path.basename(abs));
    this.files.delete(abs);
    for (const key of [...this.dirs.keys()]) if (isInside(abs, key)) this.dirs.delete(key);
    for (const key of [...this.files.keys()]) if (isInside(abs, key)) this.files.delete(key);
  }

  stat(absPath: string): FileStat | undefined {
    const p = path.resolve(absPath);
    if (!isInside(this.root, p)) return undefined;
    if (this.dirs.has(p)) return { kind: 'dir', size: 4096 };
    const f = this.files.get(p);
    if (f === undefined) return undefined;
    if (typeof f === 'string') return { kind: 'file', size: Buffer.byteLength(f) };
    if ('symlink' in f) return { kind: 'symlink', size: f.symlink.length };
    return { kind: 'file', size: f.size };
  }

  readDir(absPath: string): DirEntry[] | undefined {
    const d = this.dirs.get(path.resolve(absPath));
    if (!d) return undefined;
    return [...d].map(([name, kind]) => ({ name, kind }));
  }

  readFile(absPath: string, maxBytes = DEFAULT_MAX_READ): string | undefined {
    const p = path.resolve(absPath);
    if (!isInside(this.root, p)) return undefined;
    const f = this.files.get(p);
    if (typeof f !== 'string') return undefined;
    if (Buffer.byteLength(f) > maxBytes || f.slice(0, BINARY_SNIFF_BYTES).includes('\0')) return undefined;
    return f;
  }

  realPath(absPath: string): string | undefined {
    let p = path.resolve(absPath);
    for (let hops = 0; hops < 40; hops++) {
      if (!isInside(this.root, p)) return undefined;
      const f = this.files.get(p);
      if (f !== undefined && typeof f === 'object' && 'symlink' in f) {
        p = path.resolve(path.dirname(p), f.symlink);
        continue;
      }
      return this.dirs.has(p) || f !== undefined ? p : undefined;
    }
    return undefined;
  }
}
