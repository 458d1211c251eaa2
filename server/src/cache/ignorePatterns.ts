// What one ignore-file pattern names: the files it matches (fast on long
// lists), whether it names a volatile path, what it leaves in deeper down when
// anchored at the root, and whether it guards against files that appear later.

import type { ContextView, ContextFile } from '../context/view';
import { parseIgnoreFile, patternMatches, type IgnorePattern } from '../context/ignore';
import { ECOSYSTEMS } from '../ecosystems/table';
import { VOLATILE_PATHS, type VolatilePath, DEFENSIVE_ENTRIES } from '../ecosystems/volatile';
import { simpleGlobToRegExp } from '../parse/glob';
import { memoized } from './memo';
import { findVolatile } from './volatilePaths';

const DEFENSIVE_RES = DEFENSIVE_ENTRIES.map((d) => simpleGlobToRegExp(d));
const FILE_NAME_RES = VOLATILE_PATHS.map((r) => (r.fileName ? new RegExp(r.fileName) : undefined));

/** The text of a pattern the way it reads in messages: `node_modules`, `!dist/*.map`. */
export function shownPattern(p: IgnorePattern): string {
  return p.raw.trim();
}

/** The pattern's longest run of literal characters (no slashes at its ends), or undefined when it has classes or escapes. */
function literalOf(p: IgnorePattern): string | undefined {
  if (/[[\\]/.test(p.pattern)) return undefined;
  const chunks = p.pattern
    .split(/[*?]+/)
    .map((c) => c.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean);
  return chunks.sort((a, b) => b.length - a.length)[0];
}

/** Every path of a long list in one string, so one native search rules a literal in or out. */
function joinedPaths(files: readonly ContextFile[]): string {
  return memoized(files, 'joined', () => files.map((f) => f.path).join('\n'));
}

/**
 * The files a single pattern matches (it or a parent folder), ignoring every
 * other line. A path can match only if it contains the pattern's longest
 * literal run, which rules out most files, and on long lists usually the
 * whole list in one search.
 */
export function filesMatchedBy(p: IgnorePattern, files: readonly ContextFile[]): ContextFile[] {
  const literal = literalOf(p);
  if (!literal) return files.filter((f) => patternMatches(p, f.path));
  if (files.length > 1000 && !joinedPaths(files).includes(literal)) return [];
  return files.filter((f) => f.path.includes(literal) && patternMatches(p, f.path));
}

/** Whether a single pattern matches any of the files. */
export function matchesAny(p: IgnorePattern, files: readonly ContextFile[]): boolean {
  const literal = literalOf(p);
  if (!literal) return files.some((f) => patternMatches(p, f.path));
  if (files.length > 1000 && !joinedPaths(files).includes(literal)) return false;
  return files.some((f) => f.path.includes(literal) && patternMatches(p, f.path));
}

/** Whether a single-name pattern could name a volatile path of the table (`node_modules`, `*.pyc`, `.venv`). */
export function namesVolatile(p: IgnorePattern): boolean {
  const name = bareName(p.pattern);
  if (name.includes('/')) return false;
  const probe = name.replace(/\*/g, 'x');
  const glob = /[*?[]/.test(name) ? simpleGlobToRegExp(name) : undefined;
  return VOLATILE_PATHS.some(
    (r, i) =>
      (!!r.dirName && !r.rootOnly && (r.dirName === name || !!glob?.test(r.dirName))) ||
      !!FILE_NAME_RES[i]?.test(probe),
  );
}

/** A single-name pattern written the `.gitignore` way: no slash inside, not anchored with a leading `/`. */
export function isUnanchoredName(p: IgnorePattern): boolean {
  if (p.error || p.pattern === '' || p.pattern.includes('/') || p.pattern.startsWith('**')) return false;
  const written = p.raw.trim().replace(/^!\s*/, '');
  return !written.startsWith('/');
}

/** Files of the list that the pattern matches once prefixed with a double star (any depth) but the pattern itself does not. */
export function deeperMatches(p: IgnorePattern, files: readonly ContextFile[]): ContextFile[] {
  const deep = parseIgnoreFile('**/' + p.pattern).patterns[0];
  if (!deep || deep.error) return [];
  return filesMatchedBy(deep, files).filter((f) => !patternMatches(p, f.path));
}

const EVERY_ECOSYSTEM = new Set(ECOSYSTEMS.map((e) => e.id));

/**
 * What a root-anchored name leaves in deeper down that is volatile (the
 * `.gitignore` habit with `node_modules`, `__pycache__`, `*.pyc`): nested
 * copies of an ordinary name (`config/`, `*.md`, `LICENSE`) are often source
 * the image needs, so they do not count.
 */
export function volatileDeeper(
  p: IgnorePattern,
  files: readonly ContextFile[],
  every: readonly ContextFile[],
): ContextFile[] {
  if (!namesVolatile(p)) return [];
  const deeper = deeperMatches(p, files);
  if (!deeper.length) return [];
  const all = { install: EVERY_ECOSYSTEM, build: EVERY_ECOSYSTEM };
  const roots = findVolatile(deeper, every, all).flatMap((h) => h.allRoots);
  return deeper.filter((f) => roots.some((r) => f.path === r || f.path.startsWith(r + '/')));
}

/** The deepest-first distinct folders (or files) named by a single-name pattern, for messages. */
export function matchedRoots(p: IgnorePattern, files: readonly ContextFile[]): Map<string, number> {
  const deep = parseIgnoreFile('**/' + p.pattern).patterns[0];
  const roots = new Map<string, number>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const at = parts.slice(0, i).join('/');
      if (deep && patternMatches(deep, at)) {
        roots.set(at, (roots.get(at) ?? 0) + 1);
        break;
      }
    }
  }
  return roots;
}

/** A pattern or `.gitignore` entry reduced to what it names: no anchors, no trailing `/`, `/*`, `/**`. */
export function bareName(pattern: string): string {
  return pattern
    .trim()
    .replace(/^\/+/, '')
    .replace(/^(\*\*\/)+/, '')
    .replace(/(\/\*\*?)+$/, '')
    .replace(/\/+$/, '');
}

export interface GitignoreEntries {
  /** entries as context paths (`dir/entry`) */
  paths: Set<string>;
  /** entries without a slash, which `.gitignore` matches at any depth */
  names: Set<string>;
}

/** What the context's `.gitignore` files list (the first `limit` of them). */
export function gitignoreEntries(context: ContextView, limit = 50): GitignoreEntries {
  const paths = new Set<string>();
  const names = new Set<string>();
  const files = context.allFiles
    .filter((f) => f.path === '.gitignore' || f.path.endsWith('/.gitignore'))
    .slice(0, limit);
  for (const f of files) {
    const dir = f.path.slice(0, -'.gitignore'.length);
    for (const raw of (context.readText(f.path) ?? '').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('!')) continue;
      const bare = bareName(line);
      if (!line.replace(/\/+$/, '').includes('/')) names.add(bare);
      paths.add(dir + bare);
    }
  }
  return { paths, names };
}

/**
 * A path element that names secrets, local data or generated output wherever it
 * sits (`priv/cert`, `config/master.key`, `data/app.sqlite`, `priv/static/assets`,
 * `frontend/.pnp.js`): such a line is a guard even when nothing matches it today.
 */
const GUARD_ELEMENT = new RegExp(
  '^(' +
    [
      '\\.env([.*_-].*)?',
      '[^/]*\\.env',
      'secrets?([._-].*)?',
      '[^/]*secret[^/]*',
      'credentials?([._-].*)?',
      'certs?',
      'certificates?',
      'ssl',
      'tls',
      'keys?',
      'private',
      'master\\.key',
      '[^/]*\\.(pem|key|crt|cer|p12|pfx|jks|keystore|gpg|asc|sqlite3?|db|dump|log|syso|tfstate|tfvars)',
      'id_[rd]sa[^/]*',
      '[^/]*\\.local([.].*)?',
      '[^/]*local[^/]*\\*?',
      '\\*local\\*',
      'deploy(ment)?s?',
      '\\.terraform',
      'kubeconfig',
      '\\.kube',
      '\\.aws',
      '\\.ssh',
      'dist',
      'build',
      'builds',
      'out',
      'output',
      'target',
      'bin',
      'obj',
      'generated[^/]*',
      'generated_code',
      'gen',
      'assets',
      'static',
      'public',
      'cache_manifest\\.json',
      'coverage',
      'reports?',
      '\\.pnp(\\.[cm]?js)?',
      '\\.husky',
      '\\.next',
      '\\.nuxt',
      '_build',
      'deps',
      'node_modules',
      '\\.venv',
      'venv',
      '__pycache__',
      'uploads?',
      'tmp',
      'temp',
      'data',
    ].join('|') +
    ')$',
  'i',
);

/**
 * A pattern that guards against files that appear later (a local install, a
 * build, a secret someone drops in): a volatile path anywhere in it, one of
 * the usual guard entries, or something the project's `.gitignore` files list.
 */
export function isDefensivePattern(p: IgnorePattern, gitignored: GitignoreEntries): boolean {
  const bare = bareName(p.pattern);
  const last = bare.slice(bare.lastIndexOf('/') + 1);
  if (bare.split('/').some((e) => GUARD_ELEMENT.test(e))) return true;
  if (gitignored.paths.has(bare) || gitignored.names.has(bare) || gitignored.names.has(last)) return true;
  if (DEFENSIVE_ENTRIES.some((d, i) => d === last || d === bare || DEFENSIVE_RES[i].test(last))) return true;
  const probe = last.replace(/\*/g, 'x');
  const elements = bare.split('/');
  const namesDir = (r: VolatilePath) =>
    !!r.dirName && elements.some((e) => e === r.dirName || (/[*?[]/.test(e) && simpleGlobToRegExp(e).test(r.dirName!)));
  return VOLATILE_PATHS.some((r, i) => namesDir(r) || !!FILE_NAME_RES[i]?.test(probe));
}
