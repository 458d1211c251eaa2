// Which ignore file a build reads, in one place. Docker reads
// `<Dockerfile name>.dockerignore` beside the Dockerfile, else
// `<context>/.dockerignore`; it never reads `.containerignore`. podman and
// buildah read `<context>/.containerignore` before `.dockerignore`.

import * as path from 'node:path';

export const DOCKERIGNORE = '.dockerignore';
export const CONTAINERIGNORE = '.containerignore';

/** One place a build may find its ignore file, in precedence order. */
export interface IgnoreFileCandidate {
  /** Absolute path. */
  path: string;
  /** File name: `X.dockerignore`, `.dockerignore` or `.containerignore`. */
  name: string;
  /** True for `<Dockerfile name>.dockerignore` beside the Dockerfile. */
  beside: boolean;
}

/** `<Dockerfile name>.dockerignore` beside the Dockerfile, which takes precedence over the context's. */
export function besideIgnoreFile(dockerfile: string): string {
  return dockerfile + DOCKERIGNORE;
}

/** The ignore files a build of `dockerfile` with `contextDir` reads, first existing one wins. */
export function ignoreFileCandidates(dockerfile: string, contextDir: string, podman = false): IgnoreFileCandidate[] {
  const beside = besideIgnoreFile(dockerfile);
  return [
    { path: beside, name: path.basename(beside), beside: true },
    ...contextIgnoreNames(podman).map((name) => ({ path: path.join(contextDir, name), name, beside: false })),
  ];
}

/** The names read at the context root, in order. */
export function contextIgnoreNames(podman = false): string[] {
  return podman ? [CONTAINERIGNORE, DOCKERIGNORE] : [DOCKERIGNORE];
}

/** `.dockerignore`, `X.dockerignore` or `.containerignore`. */
export function isIgnoreFileName(name: string): boolean {
  return name === DOCKERIGNORE || name.endsWith(DOCKERIGNORE) || name === CONTAINERIGNORE;
}

/**
 * The Dockerfile `X.dockerignore` belongs to (`X` beside it), or undefined for
 * a context-level ignore file (`.dockerignore`, `.containerignore`), which
 * serves every build whose context folder holds it.
 */
export function dockerfileOfIgnoreFile(ignoreFile: string): string | undefined {
  const name = path.basename(ignoreFile);
  if (name === DOCKERIGNORE || name === CONTAINERIGNORE || !name.endsWith(DOCKERIGNORE)) return undefined;
  return ignoreFile.slice(0, -DOCKERIGNORE.length);
}
