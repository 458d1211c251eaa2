// What is a Dockerfile, by name: one list for the CLI's directory scan, the
// server and the editor (package.json contributes.languages and the client's
// document selector; a test checks that they agree with this list).

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Exact file names. */
export const DOCKERFILE_FILENAMES = ['Dockerfile', 'Containerfile'] as const;

/** Name globs (`*` = any characters), as VS Code's filenamePatterns take them. */
export const DOCKERFILE_PATTERNS = [
  'Dockerfile.*',
  '*.Dockerfile',
  'Containerfile.*',
  '*.Containerfile',
  'Dockerfile-*',
  'Containerfile-*',
] as const;

/**
 * Last extensions that make a Dockerfile-ish name something else: a template
 * to render first (`Dockerfile.j2`), a program or document about Dockerfiles
 * (`dockerfile.go`, `Dockerfile.5.md`), a backup (`Dockerfile.orig`). Variant
 * names (`Dockerfile.dev`, `Dockerfile.alpine`, `Dockerfile.test`) stay
 * Dockerfiles; `x.Dockerfile` always is one.
 */
export const NOT_DOCKERFILE_EXTENSIONS: ReadonlySet<string> = new Set([
  // templates
  'j2',
  'jinja',
  'jinja2',
  'tmpl',
  'tpl',
  'template',
  'gotmpl',
  'erb',
  'hbs',
  'handlebars',
  'mustache',
  'ejs',
  'njk',
  'liquid',
  'eex',
  'heex',
  'in',
  'm4',
  'mako',
  // source files
  'ex',
  'exs',
  'go',
  'py',
  'ts',
  'mts',
  'cts',
  'js',
  'mjs',
  'cjs',
  'rb',
  'rs',
  'java',
  'kt',
  'scala',
  'cs',
  'php',
  'pl',
  'lua',
  'sh',
  'bash',
  'zsh',
  'ps1',
  'bat',
  'cmd',
  // documents and data
  'md',
  'markdown',
  'rst',
  'adoc',
  'txt',
  'html',
  'json',
  'jsonc',
  'yml',
  'yaml',
  'toml',
  'xml',
  'ini',
  'cfg',
  'csv',
  'snap',
  'golden',
  // backups and patches
  'bak',
  'orig',
  'rej',
  'swp',
  'swo',
  'tmp',
  'patch',
  'diff',
]);

/** Folders a directory scan does not enter: tools' state, dependencies, vendored trees. */
export const SKIPPED_SCAN_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  '__pycache__',
  '.cachelens',
  'vendor',
  'third_party',
]);

/** The Dockerfiles at or under `dir`, sorted by path, not entering SKIPPED_SCAN_DIRS; bounded in depth and count. */
export function findDockerfiles(dir: string, limits: { maxDepth: number; maxFiles?: number }): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > limits.maxDepth || out.length >= (limits.maxFiles ?? Number.POSITIVE_INFINITY)) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !SKIPPED_SCAN_DIRS.has(e.name)) walk(path.join(d, e.name), depth + 1);
      else if (e.isFile() && isDockerfileName(e.name)) out.push(path.join(d, e.name));
    }
  };
  walk(dir, 0);
  return out;
}

function globToRegExp(glob: string): string {
  return glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+');
}

// names are matched case-insensitively (`dockerfile`, `api.dockerfile` are common), as before
const DOCKERFILE_ISH = new RegExp(
  `^(?:${[...DOCKERFILE_FILENAMES.map((n) => globToRegExp(n)), ...DOCKERFILE_PATTERNS.map(globToRegExp)].join('|')})$`,
  'i',
);

/** A name any of the patterns match (templates and source files too). */
export function looksLikeDockerfileName(name: string): boolean {
  return DOCKERFILE_ISH.test(name) && !/\.dockerignore$/i.test(name);
}

/** A Dockerfile-ish name whose last extension says it is a template, a source file or a backup. */
export function isDockerfileTemplateName(name: string): boolean {
  if (!looksLikeDockerfileName(name)) return false;
  const dot = name.lastIndexOf('.');
  if (dot < 0) return false;
  return NOT_DOCKERFILE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** A file a directory scan analyses as a Dockerfile. */
export function isDockerfileName(name: string): boolean {
  return looksLikeDockerfileName(name) && !isDockerfileTemplateName(name);
}
