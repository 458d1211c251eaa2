// Which manifests an install needs: the files to copy before it (grouped by
// destination, with workspace members and included files), and the manifest
// and lockfile paths of the context that the COPYs before each install bring.

import type { DockerfileModel, Instruction } from '../parse/dockerfile';
import { precedingInChain } from '../parse/dockerfile';
import type { CacheAnalysis } from './analysis';
import type { InstallStep } from '../ecosystems/match';
import { ANY_CASE_MANIFESTS } from '../ecosystems/table';
import type { ContextView } from '../context/view';
import { filesIn, filesMatchingSource, hasFilesUnder } from '../context/view';
import { simpleGlobToRegExp } from '../parse/glob';
import { broadSourceFor, isDirectorySource, isLocalCopy } from './copies';
import { installDir } from './installs';
import { contextPathOf } from './localSources';
import { pathSet } from './memo';
import { workspaceDirs } from './members';

export interface ManifestGroup {
  /** context paths to copy */
  sources: string[];
  /** image directory (absolute) or the COPY's own relative form */
  dest: string;
}

/**
 * The manifest files an install needs, as they exist in the context (or the
 * ecosystem's defaults when the context is unknown), grouped by destination.
 */
export function manifestsFor(
  install: InstallStep,
  contextDir: string,
  dest: string,
  context: ContextView | undefined,
): ManifestGroup[] {
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  const wanted = [...install.manifests, ...install.optional, ...(install.ecosystem.installReads ?? [])];
  if (!context) {
    // without the real files: the manifests, the project-file globs, and the lockfile as an optional glob
    const lockfile = install.optional.find((o) => /lock|\.sum$/i.test(o));
    const globs = install.optional.filter((o) => o.includes('*'));
    const sources = [...install.manifests, ...globs, ...(lockfile ? [`${lockfile}*`] : [])].map((m) =>
      join(contextDir, m),
    );
    return sources.length ? [{ sources, dest: joinDest(dest, '') }] : [];
  }
  const groups: ManifestGroup[] = [];
  const dirs = [contextDir, ...workspaceDirs(install, contextDir, context)];
  for (const dir of dirs) {
    const here = filesIn(context.files, dir);
    const picked: string[] = [];
    const subdirs: string[] = [];
    for (const wantedName of wanted) {
      const name = wantedName.replace(/\/+$/, '');
      const path = join(dir, name);
      if (/[*?]/.test(name)) {
        const re = simpleGlobToRegExp(name);
        for (const f of here) if (re.test(f.path.split('/').pop()!)) picked.push(f.path);
      } else if (here.some((f) => f.path === path)) picked.push(path);
      else if (
        ANY_CASE_MANIFESTS.has(name.toLowerCase()) &&
        here.some((f) => f.path.split('/').pop()!.toLowerCase() === name.toLowerCase())
      )
        picked.push(here.find((f) => f.path.split('/').pop()!.toLowerCase() === name.toLowerCase())!.path);
      else if (hasFilesUnder(context.files, path)) subdirs.push(path);
      else if (install.manifests.includes(name) && dir === contextDir) picked.push(path);
    }
    const relDir = dir === contextDir ? '' : dir.slice(contextDir ? contextDir.length + 1 : 0);
    const groupDest = joinDest(dest, relDir);
    if (picked.length) groups.push({ sources: unique(picked), dest: groupDest });
    for (const sub of subdirs) groups.push({ sources: [sub + '/'], dest: joinDest(groupDest, sub.split('/').pop()!) });
    // files the manifests pull in (`-r requirements/base.txt`), placed where they sit relative to the install
    const includes = includedFiles(install, picked, context).filter((p) => !picked.includes(p));
    const byDir = new Map<string, string[]>();
    for (const inc of includes) {
      const incDir = inc.includes('/') ? inc.slice(0, inc.lastIndexOf('/')) : '';
      if (contextDir && !(incDir === contextDir || incDir.startsWith(contextDir + '/'))) continue;
      const rel = contextDir ? incDir.slice(contextDir.length + 1) : incDir;
      byDir.set(rel, [...(byDir.get(rel) ?? []), inc]);
    }
    for (const [rel, sources] of byDir) groups.push({ sources, dest: joinDest(dest, rel) });
  }
  return groups;
}

const MAX_INCLUDE_DEPTH = 5;

/** Context files that manifests include through the ecosystem's include directives, transitively. */
function includedFiles(install: InstallStep, manifests: string[], context: ContextView): string[] {
  const directives = install.pattern.includeDirectives;
  if (!directives?.length) return [];
  const found = new Set<string>();
  let frontier = manifests;
  for (let depth = 0; depth < MAX_INCLUDE_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      for (const line of (context.readText(file) ?? '').split(/\r\n|\r|\n/)) {
        const words = line.trim().split(/[\s=]+/);
        if (!directives.includes(words[0]) || !words[1]) continue;
        const target = normalizeRel([base, words[1]].filter(Boolean).join('/'));
        if (target && !found.has(target) && context.files.some((f) => f.path === target)) {
          found.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return [...found];
}

function normalizeRel(p: string): string | undefined {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function joinDest(dest: string, rel: string): string {
  const base = dest.replace(/\/+$/, '');
  if (!rel) return (base === '' ? '.' : base) + '/';
  return `${base === '' ? '.' : base}/${rel}/`;
}

export interface NeededManifest {
  /** context path */
  path: string;
  run: Instruction;
  install: InstallStep;
  /** the COPY that should bring it */
  copy: Instruction;
}

/**
 * The manifest and lockfile paths of the context that the COPYs before each
 * install step bring (or would, were they not excluded): the ecosystem's
 * manifests and optional files found under a folder copy, or named by a file copy.
 */
export function neededManifests(
  _model: DockerfileModel,
  cache: CacheAnalysis,
  context: ContextView,
): readonly NeededManifest[] {
  // CL104 and CL105 both ask, with the same analysis and context
  const last = lastNeeded.get(cache);
  if (last?.context === context) return last.needed;
  const needed = findNeededManifests(cache, context);
  lastNeeded.set(cache, { context, needed });
  return needed;
}

const lastNeeded = new WeakMap<CacheAnalysis, { context: ContextView; needed: readonly NeededManifest[] }>();

function findNeededManifests(cache: CacheAnalysis, context: ContextView): NeededManifest[] {
  const present = pathSet(context.allFiles);
  const out: NeededManifest[] = [];
  const seen = new Set<string>();
  for (const { ins: run, install } of cache.installSites()) {
    const dir = installDir(cache, run, install);
    const wanted = [...install.manifests, ...install.optional].filter((n) => !n.endsWith('/'));
    const wantedRe = wanted.map((w) => simpleGlobToRegExp(w));
    for (const copy of precedingInChain(run)) {
      if (!isLocalCopy(copy)) continue;
      const add = (p: string) => {
        const key = `${run.index}|${p}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push({ path: p, run, install, copy });
      };
      const broad = broadSourceFor(cache, copy, dir, context);
      if (broad && !/[*?[]/.test(broad.contextDir)) {
        for (const name of wanted) {
          if (/[*?]/.test(name)) {
            const re = simpleGlobToRegExp(name);
            const prefix = broad.contextDir ? broad.contextDir + '/' : '';
            for (const f of context.allFiles)
              if (
                f.path.startsWith(prefix) &&
                !f.path.slice(prefix.length).includes('/') &&
                re.test(f.path.slice(prefix.length))
              )
                add(f.path);
          } else {
            const p = broad.contextDir ? `${broad.contextDir}/${name}` : name;
            if (present.has(p)) add(p);
          }
        }
      }
      for (const word of copy.copy!.sources) {
        const sp = contextPathOf(word.value);
        if (!sp || isDirectorySource(word.value, context)) continue;
        for (const f of filesMatchingSource(context.allFiles, sp)) {
          const name = f.path.slice(f.path.lastIndexOf('/') + 1);
          if (wantedRe.some((re) => re.test(name))) add(f.path);
        }
      }
    }
  }
  return out;
}
