// What a COPY/ADD step brings in and where it lands: local or remote, whole
// context or a folder, its destination in the image, the broad sources that lay
// down a directory, and how it reads in words.

import type { Instruction } from '../parse/dockerfile';
import { resolvePath, type CacheAnalysis } from './analysis';
import { isManifestPath } from '../ecosystems/match';
import type { ContextView, ContextFile } from '../context/view';
import { filesAt, filesMatchingSource, hasFilesUnder, totalBytes } from '../context/view';
import { formatBytes, formatCount } from './text';

const WHOLE_CONTEXT = new Set(['.', './', '*', './*', '/', '']);

export function isLocalCopy(ins: Instruction): boolean {
  // a quoted source (`ADD "https://…git#${REF}" .`) is remote too
  return (
    !!ins.copy &&
    ins.copy.from === undefined &&
    !ins.copy.heredoc &&
    !ins.copy.sources.some((s) => /^["']?((https?|git):\/\/|git@)/.test(s.value))
  );
}

export function isWholeContext(source: string): boolean {
  return WHOLE_CONTEXT.has(source);
}

/** The context path a source stands for, without ./ and trailing slashes ('' = the root). */
export function sourcePath(source: string): string {
  const p = source.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return p === '.' || p === '*' ? '' : p;
}

/** Whether a COPY source names a directory of the context (or looks like one when the context is unknown). */
export function isDirectorySource(source: string, context?: ContextView): boolean {
  if (isWholeContext(source)) return true;
  if (source.endsWith('/')) return true;
  const p = sourcePath(source);
  if (/[*?[]/.test(p)) return !isManifestPath(p);
  if (context) {
    if (hasFilesUnder(context.allFiles, p)) return true;
    if (filesAt(context.allFiles, p).length) return false;
    // a path the context does not have (a context resolved from the wrong folder): judge by the name, as without one
  }
  return !/\.[A-Za-z0-9]+$/.test(p) && !isManifestPath(p) && !isExtensionlessFileName(p.split('/').pop() ?? '');
}

/** Names that are files by convention though they have no extension: `VERSION`, `LICENSE`, `Makefile`, `Procfile`. */
function isExtensionlessFileName(name: string): boolean {
  return /^[A-Z][A-Z0-9_-]*$/.test(name) || /^[A-Z][a-z]*file$/.test(name);
}

/** Where a COPY's dest resolves in the image (directory semantics). */
export function destDir(cache: CacheAnalysis, ins: Instruction): string {
  const dest = ins.copy?.dest?.value ?? '.';
  return resolvePath(cache.info(ins).workdir, dest);
}

export function isWithin(child: string, parent: string): boolean {
  return child === parent || parent === '/' || child.startsWith(parent.replace(/\/+$/, '') + '/');
}

function relative(child: string, parent: string): string {
  if (child === parent) return '';
  return parent === '/' ? child.slice(1) : child.slice(parent.length + 1);
}

/**
 * The broad sources of a COPY that lay down the install's directory, mapped to
 * the context directory that corresponds to the install directory.
 */
export function broadSourceFor(
  cache: CacheAnalysis,
  copy: Instruction,
  dir: string,
  context?: ContextView,
  /** sources that are not source even when they name a folder (the install's own config folders) */
  skip?: (source: string) => boolean,
): { source: string; contextDir: string } | undefined {
  const dest = destDir(cache, copy);
  if (!isWithin(dir, dest)) return undefined;
  const rel = relative(dir, dest);
  for (const s of copy.copy?.sources ?? []) {
    if (skip?.(s.value) || !isDirectorySource(s.value, context)) continue;
    if (/[*?[]/.test(sourcePath(s.value)) && !isWholeContext(s.value)) return { source: s.value, contextDir: rel };
    const base = sourcePath(s.value);
    return { source: s.value, contextDir: [base, rel].filter(Boolean).join('/') };
  }
  return undefined;
}

/** A COPY that only brings manifests/lockfiles. */
export function isManifestOnlyCopy(ins: Instruction): boolean {
  return !!ins.copy && ins.copy.sources.length > 0 && ins.copy.sources.every((s) => isManifestPath(s.value));
}

/** How a COPY reads in words: "`COPY . .` copies 1,204 files (3.1 MB)". */
export function describeCopy(
  copy: Instruction,
  context?: ContextView,
): { files?: readonly ContextFile[]; words: string } {
  const srcs = copy.copy?.sources.map((s) => s.value) ?? [];
  if (!context)
    return { words: srcs.some(isWholeContext) ? 'the whole build context' : srcs.map((s) => `\`${s}\``).join(', ') };
  const files =
    srcs.length === 1
      ? filesMatchingSource(context.files, srcs[0])
      : uniqueFiles(srcs.flatMap((s) => filesMatchingSource(context.files, s)));
  // sources missing from the context (CL109): its lists may be another folder's, so no counts
  if (context.uncertain)
    return {
      files,
      words: srcs.some(isWholeContext) ? 'the whole build context' : srcs.map((s) => `\`${s}\``).join(', '),
    };
  const bytes = totalBytes(files);
  // a listing cut short by the index's limits gives lower bounds, not counts
  const atLeast = context.truncated ? 'at least ' : '';
  return {
    files,
    words: `${atLeast}${formatCount(files.length)} file${files.length === 1 ? '' : 's'} (${atLeast}${formatBytes(bytes)})`,
  };
}

function uniqueFiles(files: readonly ContextFile[]): ContextFile[] {
  const seen = new Map<string, ContextFile>();
  for (const f of files) seen.set(f.path, f);
  return [...seen.values()];
}
