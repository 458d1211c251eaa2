// Paths that should not reach a build context, as data: they change without
// any source edit (so `COPY . .` misses the cache), are rebuilt inside the
// image anyway, or leak secrets. CL101 writes a new ignore file from these
// rows, CL102 appends the rows a context still sends, CL106 keeps quiet about
// entries that name them (they guard against files that appear later).

export type VolatileKind = 'vcs' | 'dependencies' | 'build-output' | 'secrets' | 'logs' | 'editor' | 'cache' | 'docker';

export interface VolatilePath {
  /** what it is, for messages */
  what: string;
  kind: VolatileKind;
  /** a folder with this name (any depth unless rootOnly) */
  dirName?: string;
  /** a file whose name matches this (a regular expression over the last path element) */
  fileName?: string;
  /** only at the context root */
  rootOnly?: boolean;
  /**
   * the entry written to the ignore file; `{path}` stands for each place it
   * was found (outputs are volatile only beside their project file), `{name}`
   * for the file name found (`.env.local`, never the `.env.example` template)
   */
  entry: string;
  /** a folder counts only when one of these files sits beside it (its project file) */
  besideAny?: string[];
  /** a folder counts only when it holds one of these files (a virtualenv's pyvenv.cfg) */
  containsAny?: string[];
  /**
   * only when the Dockerfile runs an install (dependencies) or a build
   * (build outputs) of one of these ecosystem ids: otherwise the image may
   * rely on the copy from the host
   */
  whenEcosystem?: { ids: string[]; step: 'install' | 'build' };
}

const NODE = ['npm', 'yarn', 'pnpm', 'bun'];

export const VOLATILE_PATHS: readonly VolatilePath[] = [
  { what: 'Git history', kind: 'vcs', dirName: '.git', rootOnly: true, entry: '.git' },
  { what: 'Mercurial / Subversion history', kind: 'vcs', dirName: '.hg', rootOnly: true, entry: '.hg' },
  { what: 'Subversion history', kind: 'vcs', dirName: '.svn', rootOnly: true, entry: '.svn' },
  {
    what: 'installed Node packages',
    kind: 'dependencies',
    dirName: 'node_modules',
    entry: '**/node_modules',
    whenEcosystem: { ids: NODE, step: 'install' },
  },
  { what: 'Python bytecode', kind: 'cache', dirName: '__pycache__', entry: '**/__pycache__' },
  { what: 'Python bytecode', kind: 'cache', fileName: '\\.py[co]$', entry: '**/*.py[co]' },
  { what: 'a Python virtualenv', kind: 'dependencies', dirName: '.venv', entry: '**/.venv' },
  { what: 'a Python virtualenv', kind: 'dependencies', dirName: 'venv', containsAny: ['pyvenv.cfg'], entry: '**/venv' },
  { what: 'test and lint caches', kind: 'cache', dirName: '.pytest_cache', entry: '**/.pytest_cache' },
  { what: 'test and lint caches', kind: 'cache', dirName: '.mypy_cache', entry: '**/.mypy_cache' },
  { what: 'test and lint caches', kind: 'cache', dirName: '.ruff_cache', entry: '**/.ruff_cache' },
  { what: 'test and lint caches', kind: 'cache', dirName: '.tox', entry: '**/.tox' },
  { what: 'coverage reports', kind: 'cache', dirName: 'coverage', besideAny: ['package.json'], entry: '{path}' },
  { what: 'coverage reports', kind: 'cache', dirName: '.nyc_output', entry: '**/.nyc_output' },
  { what: 'build caches', kind: 'cache', dirName: '.turbo', entry: '**/.turbo' },
  { what: 'build caches', kind: 'cache', dirName: '.gradle', entry: '**/.gradle' },
  {
    what: 'build output',
    kind: 'build-output',
    dirName: '.next',
    besideAny: ['package.json'],
    entry: '{path}',
    whenEcosystem: { ids: NODE, step: 'build' },
  },
  {
    what: 'build output',
    kind: 'build-output',
    dirName: 'dist',
    besideAny: ['package.json', 'pyproject.toml', 'setup.py'],
    entry: '{path}',
    whenEcosystem: { ids: [...NODE, 'poetry', 'uv', 'pip'], step: 'build' },
  },
  {
    what: 'build output',
    kind: 'build-output',
    dirName: 'build',
    besideAny: ['package.json', 'build.gradle', 'build.gradle.kts'],
    entry: '{path}',
    whenEcosystem: { ids: [...NODE, 'gradle'], step: 'build' },
  },
  {
    what: 'build output',
    kind: 'build-output',
    dirName: 'target',
    besideAny: ['Cargo.toml', 'pom.xml'],
    entry: '{path}',
    whenEcosystem: { ids: ['cargo', 'maven'], step: 'build' },
  },
  {
    what: 'build output',
    kind: 'build-output',
    dirName: 'bin',
    besideAny: ['*.csproj', '*.fsproj'],
    entry: '{path}',
    whenEcosystem: { ids: ['dotnet'], step: 'build' },
  },
  {
    what: 'build output',
    kind: 'build-output',
    dirName: 'obj',
    besideAny: ['*.csproj', '*.fsproj'],
    entry: '{path}',
    whenEcosystem: { ids: ['dotnet'], step: 'install' },
  },
  { what: 'secrets', kind: 'secrets', fileName: '^\\.env$', entry: '**/.env' },
  {
    what: 'secrets',
    kind: 'secrets',
    fileName: '^\\.env\\.(?!(.*[.-])?(example|sample|template|dist|defaults)$)[^/]+$',
    entry: '**/{name}',
  },
  { what: 'log files', kind: 'logs', fileName: '\\.log$', entry: '**/*.log' },
  { what: 'editor settings', kind: 'editor', dirName: '.idea', entry: '.idea' },
  // not `.vscode/`: it holds the project's shared, committed settings (extensions.json, launch.json), which change
  // with a commit like any source; a local-only one is git-ignored and so listed from .gitignore
  { what: 'editor settings', kind: 'editor', dirName: '.vs', entry: '.vs' },
  { what: 'editor swap files', kind: 'editor', fileName: '\\.sw[op]$', entry: '**/*.sw[op]' },
  { what: 'OS metadata', kind: 'editor', fileName: '^(\\.DS_Store|Thumbs\\.db)$', entry: '**/{name}' },
];

/**
 * Ignore entries that are written before the files exist and so may match
 * nothing today, besides the rows above and whatever the project's
 * `.gitignore` lists: Docker's own files, keys and certificates, caches and
 * reports that tools write, and the entries of the VS Code Docker
 * extension's generated `.dockerignore`.
 */
export const DEFENSIVE_ENTRIES: readonly string[] = [
  'Dockerfile*',
  '*.Dockerfile',
  '*.dockerignore',
  '.dockerignore',
  'docker-compose*',
  'compose*',
  '.git*',
  '.hg*',
  '.svn*',
  'npm-debug.log*',
  'yarn-debug.log*',
  'yarn-error.log*',
  '.pnpm-debug.log*',
  '.npm',
  '.yarn-integrity',
  '.eslintcache',
  '*.tsbuildinfo',
  '.cache',
  '.parcel-cache',
  'logs',
  'log',
  'pids',
  '*.pid',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.angular',
  '.vercel',
  '.serverless',
  'out',
  'tmp',
  'temp',
  '*.tmp',
  '*.bak',
  '*.swp',
  '*~',
  '*.orig',
  '.env*',
  '*.env',
  '*.env.*',
  '*.pem',
  '*.key',
  '*.crt',
  '*.p12',
  '*.pfx',
  'id_rsa*',
  'secrets*',
  '*.secret*',
  '.coverage',
  'htmlcov',
  '.hypothesis',
  '*.egg-info',
  '.eggs',
  '.ipynb_checkpoints',
  'vendor',
  'bin',
  'obj',
  '*.class',
  '*.o',
  '*.so',
  '*.pyd',
  '.classpath',
  '.project',
  '.settings',
  '.vscode',
  '.toolstarget',
  '*.*proj.user',
  '*.dbmdl',
  '*.jfm',
  'azds.yaml',
  'charts',
  'secrets.dev.yaml',
  'values.dev.yaml',
  'LICENSE',
  'README.md',
];

// rows that apply wherever the name occurs (no project-file or ecosystem condition)
const UNCONDITIONAL = VOLATILE_PATHS.filter((r) => !r.besideAny && !r.containsAny && !r.whenEcosystem).map((r) => ({
  row: r,
  re: r.fileName ? new RegExp(r.fileName) : undefined,
}));

/** Whether a context path lies in (or is) a path that is volatile wherever it occurs: `.git/`, `__pycache__/`, `.env`, `*.log`… */
export function isAlwaysVolatile(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  return UNCONDITIONAL.some(({ row, re }) =>
    row.dirName !== undefined
      ? row.rootOnly
        ? parts[0] === row.dirName && parts.length > 1
        : parts.slice(0, -1).includes(row.dirName)
      : !!re?.test(name),
  );
}

/**
 * Entries a generated ignore file lists even when a fresh clone has nothing
 * there yet: what a developer's machine grows locally (an install's
 * dependencies, a virtualenv, build output, local env files, logs). Keyed by
 * the ecosystem ids whose install or build the Dockerfile runs; `*` always.
 */
export const LOCAL_ONLY_DEFAULTS: readonly { ecosystems: readonly string[] | '*'; entries: readonly string[] }[] = [
  { ecosystems: ['npm', 'yarn', 'pnpm', 'bun'], entries: ['**/node_modules'] },
  { ecosystems: ['pip', 'poetry', 'uv', 'pipenv'], entries: ['**/.venv', '**/__pycache__'] },
  { ecosystems: ['cargo'], entries: ['target'] },
  { ecosystems: ['dotnet'], entries: ['**/bin', '**/obj'] },
  { ecosystems: '*', entries: ['.env*', '**/*.log'] },
];

// Build-argument names whose value is, by convention, different on every build
// (CL003 warns about them; the history forecast assumes a new value per build).
const VOLATILE_ARG_NAME =
  /^(GIT_?(SHA|COMMIT|REV|REVISION|HASH|REF|BRANCH|TAG)|(SOURCE_|VCS_|BUILD_)?COMMIT(_SHA|_HASH|_ID)?|(BUILD_|SOURCE_|VCS_)?(SHA|REVISION|REF)|BUILD_(DATE|TIME|TIMESTAMP|NUMBER|ID)|BUILDTIME|TIMESTAMP|DATE|CACHE_?BUST(ER)?|(APP_|BUILD_|RELEASE_|IMAGE_|PROJECT_|SERVICE_)?VERSION|RELEASE)$/i;

/** Whether an ARG of this name takes a new value on every build, by convention (GIT_SHA, BUILD_DATE, CACHEBUST, VERSION…). */
export function isVolatileArgName(name: string): boolean {
  return VOLATILE_ARG_NAME.test(name);
}
