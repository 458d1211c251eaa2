// What a build-file reader returns, and the helpers the readers share.

import { MAX_FILE_BYTES } from '../../parse/limits';
import { relativeTo, type WorkspaceFs } from '../fs';

/**
 * Where a context came from: 'settings', 'inferred', 'default', or the name
 * of the build-file reader that declared it ('compose', 'bake', 'workflow', …).
 */
export type ContextSource = string;

/** A (context, Dockerfile) pair declared by one build file. */
export interface BuildEntry {
  dockerfile: string;
  contextDir: string;
  ignoreFile?: string;
  reason: string;
  source: ContextSource;
  /** Built by podman or buildah: `.containerignore` is read before `.dockerignore`. */
  podman?: boolean;
}

export interface ParsedBuildFile {
  entries: BuildEntry[];
  problems: string[];
  /** Other files this parse read (compose `include:` / `extends:`): a change to one re-parses this file. */
  reads?: string[];
}

/** One build-file format: which files it reads and how. Register it in registry.ts. */
export interface BuildFileReader {
  /** the source name shown in results, e.g. 'compose' */
  name: ContextSource;
  /** true for a file of this format; `rel` is `/`-separated from the workspace root */
  matches(abs: string, rel: string): boolean;
  parse(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile;
  /** Scripts and the like, read on the chance they build something: an unreadable one is no problem worth reporting. */
  optional?: boolean;
}

/** The most of a build file that is read (the one file-size limit, parse/limits.ts). */
export const MAX_BUILD_FILE_BYTES = MAX_FILE_BYTES;

export function display(fs: WorkspaceFs, abs: string): string {
  const rel = relativeTo(fs.root, abs);
  return rel === undefined ? abs : rel === '' ? '.' : rel;
}

export function dotRel(fs: WorkspaceFs, abs: string): string {
  const rel = relativeTo(fs.root, abs);
  return rel === undefined ? abs : rel === '' ? './' : './' + rel;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A context that is not a local folder: a URL, a Git remote, another target or image, or stdin. */
export function isRemote(context: string): boolean {
  return (
    context === '-' ||
    context.includes('://') ||
    context.startsWith('git@') ||
    context.startsWith('target:') ||
    context.startsWith('docker-image:') ||
    context.startsWith('oci-layout:')
  );
}
