// Package-manager knowledge as data. Adding an ecosystem is adding a row here;
// the rules read these tables and never name a package manager themselves.

/** Describes a command line by its words. All fields are optional filters. */
export interface CommandPattern {
  /** the program (basename of argv[0]); `python -m pip` is normalised to `pip` */
  tools: string[];
  /** the first positional word after the program, if it must be one of these */
  subcommands?: string[];
  /** a later positional word that must be present (e.g. `dependency:go-offline`) */
  anyArg?: string[];
  /** a second word, besides `anyArg`, that must also be present (`uv pip install .`) */
  alsoAnyArg?: string[];
  /** flags that disqualify the command (a global tool install is not a dependency install) */
  notFlags?: string[];
  /** positional package names after the subcommand mean "install this package", not "install the manifest" */
  noPackageArgs?: boolean;
  /** flags that must be present (pip install -r) */
  requireFlagsAnyOf?: string[];
  /** this tool's flags that take the next word as their value, besides the common ones (`composer -d /app install`) */
  valueFlags?: string[];
}

export interface InstallPattern extends CommandPattern {
  /** the files this install reads; must be in the image before it runs */
  manifests: string[];
  /** read when present (lockfiles, config); a trailing '/' marks a directory */
  optional?: string[];
  /** the command also needs the project's source (installs the project itself): no split fix */
  needsSource?: boolean;
  /** flags whose value names a manifest file (pip -r requirements/prod.txt) */
  manifestFlags?: string[];
  /** lines in a manifest that pull in other files (`-r base.txt` in a requirements file) */
  includeDirectives?: string[];
  /** for installs that need the source: the fetch-only command a fix may add before the source copy (`$0`: the program as written, `./gradlew`) */
  prefetch?: string;
  /** how the project lists its members, whose manifests the prefetch needs too (Gradle settings, Maven modules, Cargo workspace) */
  members?: 'gradle' | 'maven' | 'cargo';
  /** what to do instead when the manifests alone cannot be fetched (said in the message) */
  prefetchAdvice?: string;
  /**
   * for installs of the project itself: flags that, added to the same command, make it install only
   * the dependencies (`uv sync --no-install-project`, `poetry install --no-root`) — the prefetch a fix adds
   */
  prefetchFlags?: string[];
  /**
   * whether the install reads the project's source depends on its manifest: a line matching `unless`
   * (a regular expression, multiline) means it does not (`package-mode = false`); one matching `if`
   * means it does (a Gemfile's `gemspec`)
   */
  sourceByManifest?: { unless?: string; if?: string };
  /** a manifest line matching this (multiline regular expression) means the prefetch also needs other sources: no prefetch fix */
  prefetchUnlessManifest?: string;
  /** the install fetches nothing when the project has no manifest at all (`go build main.go` in GOPATH mode) */
  fetchesNothingWithoutManifest?: boolean;
  /** env settings (in ENV or on the command) whose value holds a flag from `fetchesNothingWith.flags` (`GOFLAGS=-mod=vendor`) */
  flagEnv?: string[];
  /** the command fetches implicitly only when no earlier step in the chain matches one of these */
  unlessPreceededBy?: CommandPattern[];
  /**
   * the command fetches nothing when given one of these flags, or when one of these files sits
   * beside its manifest in the context (go's `vendor/modules.txt`: Go 1.14+ builds from vendor/)
   */
  fetchesNothingWith?: { flags: string[]; besideManifest: string[] };
}

/** What deletes or bypasses a package cache (CL202): whole commands, or flags of the install. */
export interface CacheCleanups {
  commands?: CommandPattern[];
  flags?: string[];
  /** environment variables that turn the cache off when set before the command (`PIP_NO_CACHE_DIR=1 pip install`) */
  env?: string[];
}

/** How CL301's "Add builder stage" builds a runtime stage for what this ecosystem builds. */
export interface RuntimeRecipe {
  /**
   * the runtime base image: the first row whose `match` (a regular expression
   * over the build stage's image reference) fits; `$1`… stand for its groups
   */
  images: { match: string; image: string; needsExecForm?: boolean }[];
  /** flags of the build command that name its output (`go build -o`) */
  outputFlags?: string[];
  /** directories, relative to the build's working directory, where the output lands */
  outputDirs?: string[];
  /** the start command points into a tree (a JS bundle): copy the whole output directory */
  wholeOutputDir?: boolean;
  /** what the runtime needs besides the output, relative to the working directory */
  alsoCopy?: string[];
  /** runs at the end of the build stage so `alsoCopy` holds only runtime dependencies */
  prune?: string;
}

export interface Ecosystem {
  id: string;
  name: string;
  installs: InstallPattern[];
  /**
   * install commands that ignore the lockfile (`lockedWhenEnv`: env settings, in ENV/ARG or on the
   * command, under which the tool uses the lockfile anyway — pnpm and Yarn Berry in CI), with the locked replacement (CL203):
   * `replacement` stands in for the program and its subcommand; the first row
   * whose pattern matches (and whose `ifContextHas` file exists) wins
   */
  unlocked?: {
    pattern: CommandPattern;
    lockfiles: string[];
    replacement: string;
    ifContextHas?: string;
    lockedWhenEnv?: string[];
  }[];
  /** build commands that need the full toolchain (CL301) */
  builds: CommandPattern[];
  /** how to run what the build produced without the toolchain (CL301's fix) */
  runtime?: RuntimeRecipe;
  /** ecosystems of one family share build tools (`tsc` after `yarn install`) */
  family?: string;
  /**
   * what makes an install leave out dev dependencies (CL302): flags (a space
   * joins a flag to its value), env settings, and the flag that brings them back
   */
  productionInstall?: { flags: string[]; env?: Record<string, string>; includeDev?: string };
  /** package cache directory for `--mount=type=cache` (CL201) */
  cacheTarget?: string;
  /** env vars and flags that move the cache, or work offline from what an earlier layer cached (a mount would hide it) */
  cacheSettings?: { env: string[]; flags: string[] };
  /** base image families in which cacheTarget is the real cache directory (undefined: any) */
  cacheImages?: string[];
  /** the cache directory holds what the install produces, read by later steps (go's module cache) */
  cacheHoldsInstall?: boolean;
  /** what deletes or bypasses the cache (CL202) */
  cacheCleanups?: CacheCleanups;
  /** the mount is safe only when one of these env settings keeps the installed environment out of the cache dir */
  cacheSafeWhenEnv?: Record<string, string>;
  /** files in the context whose copy the install may read besides the manifests (postinstall hooks) */
  installReads?: string[];
  /** how the workspace lists its member packages */
  workspaces?: 'npm' | 'pnpm';
  /** flags whose value is the directory the install runs in (`yarn --cwd assets`, `composer --working-dir=/app`) */
  dirFlags?: string[];
  /**
   * file extensions of the ecosystem's program source: a COPY that brings such a file into the
   * install's directory together with the manifests is a source copy (`COPY app.py requirements.txt ./`)
   */
  sourceExtensions?: string[];
}

const npmLockfiles = ['package-lock.json', 'npm-shrinkwrap.json'];

// Node: the same image runs the bundle (native modules stay compatible).
const nodeRuntime = (prune?: string): RuntimeRecipe => ({
  images: [{ match: '^(.+)$', image: '$1' }],
  outputDirs: ['dist', 'build', 'out', 'lib', '.output'],
  wholeOutputDir: true,
  alsoCopy: ['package.json', 'node_modules'],
  prune,
});
const jreImages = [
  { match: '(?:temurin|jdk|openjdk|corretto)\\D*?(\\d{2}).*alpine', image: 'eclipse-temurin:$1-jre-alpine' },
  { match: '(?:temurin|jdk|openjdk|corretto)\\D*?(\\d{2})', image: 'eclipse-temurin:$1-jre' },
];
const npmConfig = ['.npmrc'];
const nodeSource = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];
const pythonSource = ['.py'];
const cargoValueFlags = [
  '-p',
  '--package',
  '--bin',
  '--example',
  '--test',
  '--bench',
  '--features',
  '-F',
  '--target',
  '--target-dir',
  '--manifest-path',
  '-j',
  '--jobs',
  '--profile',
  '--config',
  '-Z',
  '--color',
  '--message-format',
  '--path',
  '--root',
  '--exclude',
  '--lockfile-path',
];
const jvmSource = ['.java', '.kt', '.groovy', '.scala'];
// what `dotnet restore` reads besides the project files: solution files, NuGet config (any case), MSBuild props, the SDK pin
const dotnetRestoreInputs = [
  '*.csproj',
  '*.fsproj',
  '*.vbproj',
  '*.sln',
  '*.slnx',
  'NuGet.Config',
  'nuget.config',
  'NuGet.config',
  'Nuget.Config',
  'Nuget.config',
  'NUGET.CONFIG',
  'Directory.Build.props',
  'Directory.Build.targets',
  'Directory.Packages.props',
  'global.json',
  'packages.lock.json',
];

export const ECOSYSTEMS: Ecosystem[] = [
  {
    id: 'npm',
    name: 'npm',
    installs: [
      {
        tools: ['npm'],
        subcommands: ['ci', 'clean-install', 'install-clean', 'isntall-clean', 'ic'],
        notFlags: ['-g', '--global'],
        noPackageArgs: true,
        manifests: ['package.json'],
        optional: [...npmLockfiles, ...npmConfig],
      },
      {
        tools: ['npm'],
        subcommands: ['install', 'i', 'add'],
        notFlags: ['-g', '--global'],
        noPackageArgs: true,
        manifests: ['package.json'],
        optional: [...npmLockfiles, ...npmConfig],
      },
    ],
    unlocked: [
      {
        pattern: { tools: ['npm'], subcommands: ['install', 'i'], notFlags: ['-g', '--global'], noPackageArgs: true },
        lockfiles: npmLockfiles,
        replacement: 'npm ci',
      },
    ],
    builds: [
      { tools: ['npm'], subcommands: ['run', 'run-script'], anyArg: ['build', 'compile', 'dist'] },
      { tools: ['tsc', 'vite', 'webpack', 'next', 'nest', 'ng'], anyArg: ['build'] },
      { tools: ['tsc'] },
      { tools: ['npx'], anyArg: ['tsc', 'webpack', 'build'] },
    ],
    runtime: nodeRuntime('npm prune --omit=dev'),
    family: 'node',
    productionInstall: {
      flags: [
        '--omit=dev',
        '--omit dev',
        '--only=production',
        '--only production',
        '--only=prod',
        '--only prod',
        '--production',
      ],
      env: { NODE_ENV: 'production' },
      includeDev: '--include=dev',
    },
    cacheCleanups: { commands: [{ tools: ['npm'], subcommands: ['cache'], anyArg: ['clean', 'clear', 'rm'] }] },
    cacheTarget: '/root/.npm',
    cacheSettings: { env: ['npm_config_cache', 'NPM_CONFIG_CACHE', 'HOME'], flags: ['--cache', '--offline'] },
    installReads: ['prisma', 'patches', '.husky'],
    workspaces: 'npm',
    dirFlags: ['--prefix'],
    sourceExtensions: nodeSource,
  },
  {
    id: 'yarn',
    name: 'Yarn',
    installs: [
      {
        tools: ['yarn'],
        subcommands: ['install'],
        notFlags: [],
        manifests: ['package.json'],
        optional: ['yarn.lock', '.yarnrc', '.yarnrc.yml', '.yarn/', '.npmrc'],
      },
      {
        tools: ['yarn'],
        noPackageArgs: true,
        manifests: ['package.json'],
        optional: ['yarn.lock', '.yarnrc', '.yarnrc.yml', '.yarn/', '.npmrc'],
      },
      {
        tools: ['yarn'],
        subcommands: ['workspaces'],
        anyArg: ['focus'],
        manifests: ['package.json'],
        optional: ['yarn.lock', '.yarnrc.yml', '.yarn/'],
      },
    ],
    unlocked: [
      {
        pattern: {
          tools: ['yarn'],
          subcommands: ['install'],
          notFlags: ['--frozen-lockfile', '--immutable', '--pure-lockfile', '--frozen'],
        },
        lockfiles: ['yarn.lock'],
        replacement: 'yarn install --immutable',
        ifContextHas: '.yarnrc.yml',
        lockedWhenEnv: ['CI'],
      },
      {
        pattern: {
          tools: ['yarn'],
          noPackageArgs: true,
          notFlags: ['--frozen-lockfile', '--immutable', '--pure-lockfile', '--frozen'],
        },
        lockfiles: ['yarn.lock'],
        replacement: 'yarn install --immutable',
        ifContextHas: '.yarnrc.yml',
        lockedWhenEnv: ['CI'],
      },
      {
        pattern: {
          tools: ['yarn'],
          subcommands: ['install'],
          notFlags: ['--frozen-lockfile', '--immutable', '--pure-lockfile', '--frozen'],
        },
        lockfiles: ['yarn.lock'],
        replacement: 'yarn install --frozen-lockfile',
      },
      {
        pattern: {
          tools: ['yarn'],
          noPackageArgs: true,
          notFlags: ['--frozen-lockfile', '--immutable', '--pure-lockfile', '--frozen'],
        },
        lockfiles: ['yarn.lock'],
        replacement: 'yarn install --frozen-lockfile',
      },
    ],
    builds: [
      { tools: ['yarn'], subcommands: ['build', 'run'], anyArg: ['build'] },
      { tools: ['yarn'], subcommands: ['build'] },
    ],
    runtime: nodeRuntime(),
    family: 'node',
    productionInstall: {
      flags: ['--production', '--production=true', '--prod'],
      env: { NODE_ENV: 'production' },
      includeDev: '--production=false',
    },
    cacheCleanups: { commands: [{ tools: ['yarn'], subcommands: ['cache'], anyArg: ['clean'] }] },
    cacheTarget: '/usr/local/share/.cache/yarn',
    cacheSettings: { env: ['YARN_CACHE_FOLDER', 'HOME'], flags: ['--cache-folder', '--offline'] },
    installReads: ['prisma', 'patches', '.husky'],
    workspaces: 'npm',
    dirFlags: ['--cwd'],
    sourceExtensions: nodeSource,
  },
  {
    id: 'pnpm',
    name: 'pnpm',
    installs: [
      {
        tools: ['pnpm'],
        subcommands: ['install', 'i'],
        notFlags: ['-g', '--global'],
        noPackageArgs: true,
        manifests: ['package.json'],
        optional: ['pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', '.pnpmfile.cjs'],
      },
    ],
    unlocked: [
      {
        pattern: {
          tools: ['pnpm'],
          subcommands: ['install', 'i'],
          notFlags: ['-g', '--global', '--frozen-lockfile', '--prefer-frozen-lockfile', '--lockfile-only'],
          noPackageArgs: true,
        },
        lockfiles: ['pnpm-lock.yaml'],
        replacement: 'pnpm install --frozen-lockfile',
        lockedWhenEnv: ['CI'],
      },
    ],
    builds: [
      { tools: ['pnpm'], subcommands: ['run', 'build'], anyArg: ['build'] },
      { tools: ['pnpm'], subcommands: ['build'] },
    ],
    runtime: nodeRuntime('pnpm prune --prod'),
    family: 'node',
    productionInstall: { flags: ['--prod', '-P', '--production'], env: { NODE_ENV: 'production' } },
    cacheCleanups: { commands: [{ tools: ['pnpm'], subcommands: ['store'], anyArg: ['prune'] }] },
    cacheTarget: '/root/.local/share/pnpm/store',
    cacheSettings: {
      env: ['PNPM_HOME', 'npm_config_store_dir', 'XDG_DATA_HOME', 'HOME'],
      flags: ['--store-dir', '--offline'],
    },
    installReads: ['prisma', 'patches'],
    workspaces: 'pnpm',
    dirFlags: ['-C', '--dir'],
    sourceExtensions: nodeSource,
  },
  {
    id: 'bun',
    name: 'Bun',
    installs: [
      {
        tools: ['bun'],
        subcommands: ['install', 'i'],
        notFlags: ['-g', '--global'],
        noPackageArgs: true,
        manifests: ['package.json'],
        optional: ['bun.lockb', 'bun.lock', 'bunfig.toml'],
      },
    ],
    unlocked: [
      {
        pattern: {
          tools: ['bun'],
          subcommands: ['install', 'i'],
          notFlags: ['-g', '--global', '--frozen-lockfile'],
          noPackageArgs: true,
        },
        lockfiles: ['bun.lockb', 'bun.lock'],
        replacement: 'bun install --frozen-lockfile',
      },
    ],
    builds: [
      { tools: ['bun'], subcommands: ['run', 'build'], anyArg: ['build'] },
      { tools: ['bun'], subcommands: ['build'] },
    ],
    runtime: nodeRuntime(),
    family: 'node',
    productionInstall: { flags: ['--production', '-p'], env: { NODE_ENV: 'production' } },
    cacheCleanups: { commands: [{ tools: ['bun'], subcommands: ['pm'], anyArg: ['cache'] }], flags: ['--no-cache'] },
    cacheTarget: '/root/.bun/install/cache',
    cacheSettings: { env: ['BUN_INSTALL_CACHE_DIR', 'BUN_INSTALL', 'HOME'], flags: ['--cache-dir', '--offline'] },
    workspaces: 'npm',
    dirFlags: ['--cwd'],
    sourceExtensions: nodeSource,
  },
  {
    id: 'pip',
    name: 'pip',
    installs: [
      {
        tools: ['pip', 'pip3'],
        subcommands: ['install', 'wheel', 'download'],
        requireFlagsAnyOf: ['-r', '--requirement'],
        manifests: [],
        manifestFlags: ['-r', '--requirement', '-c', '--constraint'],
        includeDirectives: ['-r', '--requirement', '-c', '--constraint'],
      },
      {
        tools: ['pip', 'pip3'],
        subcommands: ['install'],
        anyArg: ['.', './', '-e', '--editable'],
        manifests: ['pyproject.toml'],
        optional: ['setup.py', 'setup.cfg'],
        needsSource: true,
      },
    ],
    builds: [],
    cacheCleanups: {
      commands: [{ tools: ['pip', 'pip3'], subcommands: ['cache'], anyArg: ['purge', 'remove'] }],
      flags: ['--no-cache-dir'],
      env: ['PIP_NO_CACHE_DIR'],
    },
    cacheTarget: '/root/.cache/pip',
    cacheSettings: { env: ['PIP_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], flags: ['--cache-dir', '--no-index'] },
    sourceExtensions: pythonSource,
  },
  {
    id: 'poetry',
    name: 'Poetry',
    installs: [
      {
        tools: ['poetry'],
        subcommands: ['install', 'sync'],
        requireFlagsAnyOf: ['--no-root'],
        manifests: ['pyproject.toml'],
        optional: ['poetry.lock', 'poetry.toml'],
      },
      // without --no-root, poetry installs the project itself (unless `package-mode = false`)
      {
        tools: ['poetry'],
        subcommands: ['install', 'sync'],
        manifests: ['pyproject.toml'],
        optional: ['poetry.lock', 'poetry.toml'],
        needsSource: true,
        prefetchFlags: ['--no-root'],
        // path dependencies are installed even with --no-root
        prefetchUnlessManifest: '^[^#\\n]*\\bpath\\s*=',
        sourceByManifest: { unless: '^\\s*package-mode\\s*=\\s*false\\b' },
      },
    ],
    builds: [{ tools: ['poetry'], subcommands: ['build'] }],
    cacheCleanups: {
      commands: [{ tools: ['poetry'], subcommands: ['cache'], anyArg: ['clear'] }],
      flags: ['--no-cache'],
    },
    cacheTarget: '/root/.cache/pypoetry',
    cacheSettings: { env: ['POETRY_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], flags: [] },
    // Poetry keeps its virtualenvs under the cache dir unless told otherwise
    cacheSafeWhenEnv: { POETRY_VIRTUALENVS_CREATE: 'false', POETRY_VIRTUALENVS_IN_PROJECT: 'true' },
    dirFlags: ['-C', '--directory'],
    sourceExtensions: pythonSource,
  },
  {
    id: 'uv',
    name: 'uv',
    installs: [
      {
        tools: ['uv'],
        subcommands: ['sync'],
        requireFlagsAnyOf: ['--no-install-project', '--no-install-workspace'],
        manifests: ['pyproject.toml'],
        optional: ['uv.lock', '.python-version'],
      },
      // without --no-install-project, uv sync builds and installs the project itself: it reads the source
      {
        tools: ['uv'],
        subcommands: ['sync'],
        manifests: ['pyproject.toml'],
        optional: ['uv.lock', '.python-version'],
        needsSource: true,
        prefetchFlags: ['--no-install-project'],
        // workspace members and path sources are installed even with --no-install-project
        prefetchUnlessManifest: '^\\s*\\[tool\\.uv\\.workspace\\]|^[^#\\n]*\\b(path\\s*=|workspace\\s*=\\s*true)',
        sourceByManifest: { unless: '^\\s*package\\s*=\\s*false\\b' },
      },
      {
        tools: ['uv'],
        subcommands: ['pip'],
        anyArg: ['install'],
        alsoAnyArg: ['.', './', '-e', '--editable'],
        manifests: ['pyproject.toml'],
        optional: ['setup.py', 'setup.cfg'],
        needsSource: true,
      },
      {
        tools: ['uv'],
        subcommands: ['pip'],
        anyArg: ['install', 'sync'],
        requireFlagsAnyOf: ['-r', '--requirement'],
        manifests: [],
        manifestFlags: ['-r', '--requirement'],
        includeDirectives: ['-r', '--requirement', '-c', '--constraint'],
      },
    ],
    unlocked: [
      {
        pattern: { tools: ['uv'], subcommands: ['sync'], notFlags: ['--locked', '--frozen'] },
        lockfiles: ['uv.lock'],
        replacement: 'uv sync --locked',
      },
    ],
    builds: [],
    cacheCleanups: {
      commands: [{ tools: ['uv'], subcommands: ['cache'], anyArg: ['clean', 'prune'] }],
      flags: ['--no-cache', '-n'],
      env: ['UV_NO_CACHE'],
    },
    cacheTarget: '/root/.cache/uv',
    cacheSettings: { env: ['UV_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], flags: ['--cache-dir', '--offline'] },
    dirFlags: ['--directory', '--project'],
    sourceExtensions: pythonSource,
  },
  {
    id: 'pipenv',
    name: 'Pipenv',
    installs: [
      {
        tools: ['pipenv'],
        subcommands: ['install', 'sync'],
        noPackageArgs: true,
        manifests: ['Pipfile'],
        optional: ['Pipfile.lock'],
      },
    ],
    unlocked: [
      {
        pattern: {
          tools: ['pipenv'],
          subcommands: ['install'],
          notFlags: ['--deploy', '--ignore-pipfile'],
          noPackageArgs: true,
        },
        lockfiles: ['Pipfile.lock'],
        replacement: 'pipenv sync',
      },
    ],
    builds: [],
    cacheCleanups: { flags: ['--clear'] },
    cacheTarget: '/root/.cache/pipenv',
    cacheSettings: { env: ['PIPENV_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], flags: [] },
    sourceExtensions: pythonSource,
  },
  {
    id: 'pdm',
    name: 'PDM',
    installs: [
      {
        tools: ['pdm'],
        subcommands: ['install', 'sync'],
        requireFlagsAnyOf: ['--no-self'],
        manifests: ['pyproject.toml'],
        optional: ['pdm.lock', 'pdm.toml', '.pdm-python'],
      },
      // without --no-self, pdm installs the project itself (unless `distribution = false`)
      {
        tools: ['pdm'],
        subcommands: ['install', 'sync'],
        manifests: ['pyproject.toml'],
        optional: ['pdm.lock', 'pdm.toml'],
        needsSource: true,
        prefetchFlags: ['--no-self'],
        prefetchUnlessManifest: '^[^#\\n]*(\\bpath\\s*=|file:///)',
        sourceByManifest: { unless: '^\\s*distribution\\s*=\\s*false\\b' },
      },
    ],
    builds: [{ tools: ['pdm'], subcommands: ['build'] }],
    cacheCleanups: { commands: [{ tools: ['pdm'], subcommands: ['cache'], anyArg: ['clear'] }] },
    cacheTarget: '/root/.cache/pdm',
    cacheSettings: { env: ['PDM_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], flags: [] },
    dirFlags: ['-p', '--project'],
    sourceExtensions: pythonSource,
  },
  {
    id: 'go',
    name: 'Go modules',
    installs: [
      {
        tools: ['go'],
        subcommands: ['mod'],
        anyArg: ['download'],
        manifests: ['go.mod'],
        optional: ['go.sum', 'go.work', 'go.work.sum'],
      },
      {
        tools: ['go'],
        subcommands: ['build', 'install', 'test', 'run', 'generate'],
        manifests: ['go.mod'],
        optional: ['go.sum'],
        needsSource: true,
        prefetch: 'go mod download',
        unlessPreceededBy: [{ tools: ['go'], subcommands: ['mod'], anyArg: ['download', 'vendor'] }],
        fetchesNothingWith: { flags: ['-mod=vendor'], besideManifest: ['vendor/modules.txt'] },
        fetchesNothingWithoutManifest: true,
        flagEnv: ['GOFLAGS'],
      },
    ],
    builds: [{ tools: ['go'], subcommands: ['build', 'install'] }],
    runtime: {
      images: [
        { match: 'alpine', image: 'alpine:3.20' },
        {
          match: '^(docker\\.io/)?(library/)?golang(:|@|$)',
          image: 'gcr.io/distroless/base-debian12',
          needsExecForm: true,
        },
      ],
      outputFlags: ['-o'],
    },
    cacheCleanups: { commands: [{ tools: ['go'], subcommands: ['clean'], anyArg: ['-modcache', '-cache'] }] },
    cacheTarget: '/go/pkg/mod',
    cacheSettings: { env: ['GOMODCACHE', 'GOPATH', 'GOFLAGS'], flags: ['-mod=vendor'] },
    cacheImages: ['golang'],
    cacheHoldsInstall: true,
    dirFlags: ['-C'],
    sourceExtensions: ['.go'],
  },
  {
    id: 'cargo',
    name: 'Cargo',
    installs: [
      { tools: ['cargo'], subcommands: ['fetch'], manifests: ['Cargo.toml'], optional: ['Cargo.lock'] },
      { tools: ['cargo'], subcommands: ['chef'], anyArg: ['cook'], manifests: ['recipe.json'] },
      {
        tools: ['cargo'],
        subcommands: ['build', 'install', 'test'],
        notFlags: ['--git'],
        noPackageArgs: true,
        valueFlags: cargoValueFlags,
        manifests: ['Cargo.toml'],
        optional: ['Cargo.lock'],
        needsSource: true,
        prefetch: 'cargo fetch',
        members: 'cargo',
        prefetchAdvice:
          'cargo-chef (`cargo chef prepare` in one stage, `cargo chef cook` before the source copy) caches them instead',
        unlessPreceededBy: [
          { tools: ['cargo'], subcommands: ['fetch'] },
          { tools: ['cargo'], subcommands: ['chef'] },
        ],
      },
    ],
    builds: [{ tools: ['cargo'], subcommands: ['build', 'install'] }],
    runtime: {
      images: [
        { match: 'alpine', image: 'alpine:3.20' },
        {
          match: '^(docker\\.io/)?(library/)?rust(:|@|$)',
          image: 'gcr.io/distroless/cc-debian12',
          needsExecForm: true,
        },
      ],
      outputDirs: ['target'],
    },
    // vendored crates (`cargo vendor` + `.cargo/config.toml`) are read by every fetch and build
    installReads: ['vendor', '.cargo'],
    cacheTarget: '/usr/local/cargo/registry',
    cacheSettings: { env: ['CARGO_HOME', 'CARGO_NET_OFFLINE'], flags: ['--offline', '--frozen'] },
    cacheImages: ['rust'],
    cacheHoldsInstall: true,
    sourceExtensions: ['.rs'],
  },
  {
    id: 'maven',
    name: 'Maven',
    installs: [
      {
        tools: ['mvn', 'mvnw', './mvnw'],
        anyArg: ['dependency:go-offline', 'dependency:resolve', 'dependency:resolve-plugins'],
        manifests: ['pom.xml'],
        optional: ['.mvn/', 'mvnw'],
      },
      {
        tools: ['mvn', 'mvnw', './mvnw'],
        anyArg: ['package', 'install', 'verify', 'compile', 'spring-boot:repackage'],
        manifests: ['pom.xml'],
        optional: ['.mvn/', 'mvnw'],
        needsSource: true,
        prefetch: '$0 -B dependency:go-offline',
        members: 'maven',
        prefetchAdvice: 'a cache mount on `/root/.m2` keeps the downloads instead',
        unlessPreceededBy: [
          { tools: ['mvn', 'mvnw', './mvnw'], anyArg: ['dependency:go-offline', 'dependency:resolve'] },
        ],
      },
    ],
    builds: [{ tools: ['mvn', 'mvnw', './mvnw'], anyArg: ['package', 'install', 'verify'] }],
    runtime: { images: jreImages, outputDirs: ['target'] },
    cacheTarget: '/root/.m2',
    cacheSettings: {
      env: ['MAVEN_CONFIG', 'MAVEN_OPTS', 'HOME'],
      flags: ['-Dmaven.repo.local', '-s', '--settings', '-o', '--offline'],
    },
    cacheHoldsInstall: true,
    sourceExtensions: jvmSource,
  },
  {
    id: 'gradle',
    name: 'Gradle',
    installs: [
      {
        tools: ['gradle', 'gradlew', './gradlew'],
        anyArg: ['dependencies', 'downloadDependencies', '--refresh-dependencies'],
        manifests: [],
        optional: [
          'build.gradle',
          'build.gradle.kts',
          'settings.gradle',
          'settings.gradle.kts',
          'gradle.properties',
          'gradle/',
          'gradlew',
        ],
      },
      {
        tools: ['gradle', 'gradlew', './gradlew'],
        anyArg: ['build', 'assemble', 'bootJar', 'jar', 'installDist', 'shadowJar'],
        manifests: [],
        optional: [
          'build.gradle',
          'build.gradle.kts',
          'settings.gradle',
          'settings.gradle.kts',
          'gradle.properties',
          'gradle/',
          'gradlew',
        ],
        needsSource: true,
        prefetch: '$0 dependencies --no-daemon',
        members: 'gradle',
        prefetchAdvice: 'a cache mount on `/root/.gradle/caches` keeps the downloads instead',
        unlessPreceededBy: [
          { tools: ['gradle', 'gradlew', './gradlew'], anyArg: ['dependencies', 'downloadDependencies'] },
        ],
      },
    ],
    builds: [
      {
        tools: ['gradle', 'gradlew', './gradlew'],
        anyArg: ['build', 'assemble', 'bootJar', 'jar', 'installDist', 'shadowJar'],
      },
    ],
    runtime: { images: jreImages, outputDirs: ['build/libs'] },
    cacheTarget: '/root/.gradle/caches',
    cacheSettings: { env: ['GRADLE_USER_HOME', 'HOME'], flags: ['-g', '--gradle-user-home', '--offline'] },
    cacheHoldsInstall: true,
    dirFlags: ['-p', '--project-dir'],
    sourceExtensions: jvmSource,
  },
  {
    id: 'sbt',
    name: 'sbt',
    installs: [
      {
        tools: ['sbt'],
        anyArg: ['update', 'updateClassifiers'],
        notFlags: [],
        manifests: ['build.sbt'],
        optional: ['project/', '.sbtopts', '.jvmopts'],
      },
      {
        tools: ['sbt'],
        anyArg: [
          'compile',
          'package',
          'assembly',
          'stage',
          'universal:packageBin',
          'Universal/packageBin',
          'test',
          'publishLocal',
        ],
        manifests: ['build.sbt'],
        optional: ['project/', '.sbtopts', '.jvmopts'],
        needsSource: true,
        prefetch: 'sbt update',
        unlessPreceededBy: [{ tools: ['sbt'], anyArg: ['update', 'updateClassifiers'] }],
      },
    ],
    builds: [
      {
        tools: ['sbt'],
        anyArg: ['compile', 'package', 'assembly', 'stage', 'universal:packageBin', 'Universal/packageBin'],
      },
    ],
    runtime: { images: jreImages, outputDirs: ['target'] },
    cacheTarget: '/root/.cache/coursier',
    cacheSettings: { env: ['COURSIER_CACHE', 'SBT_OPTS', 'HOME'], flags: ['-Dsbt.coursier.home', '-Dsbt.ivy.home'] },
    cacheHoldsInstall: true,
    sourceExtensions: jvmSource,
  },
  {
    id: 'bundler',
    name: 'Bundler',
    installs: [
      {
        tools: ['bundle', 'bundler'],
        subcommands: ['install'],
        noPackageArgs: true,
        valueFlags: [
          '--jobs',
          '-j',
          '--retry',
          '--path',
          '--without',
          '--with',
          '--gemfile',
          '--binstubs',
          '--standalone',
          '--trust-policy',
        ],
        manifests: ['Gemfile'],
        optional: ['Gemfile.lock', '.ruby-version', '*.gemspec', '.bundle/'],
        // a `gemspec` line makes the bundle load the gemspec, which usually reads the gem's source (version.rb, git ls-files)
        sourceByManifest: { if: '^\\s*gemspec\\b' },
      },
    ],
    builds: [{ tools: ['rake', 'bundle'], anyArg: ['assets:precompile'] }],
    cacheCleanups: { commands: [{ tools: ['bundle', 'bundler'], subcommands: ['clean'] }] },
    cacheTarget: '/usr/local/bundle/cache',
    cacheSettings: { env: ['GEM_HOME', 'BUNDLE_PATH', 'BUNDLE_CACHE_PATH'], flags: ['--path'] },
    cacheImages: ['ruby'],
    sourceExtensions: ['.rb'],
  },
  {
    id: 'composer',
    name: 'Composer',
    installs: [
      {
        tools: ['composer', 'composer.phar'],
        subcommands: ['install'],
        noPackageArgs: true,
        valueFlags: ['-d', '--working-dir'],
        manifests: ['composer.json'],
        optional: ['composer.lock', 'auth.json'],
      },
    ],
    builds: [],
    cacheCleanups: {
      commands: [{ tools: ['composer', 'composer.phar'], subcommands: ['clear-cache', 'clearcache', 'cc'] }],
      flags: ['--no-cache'],
    },
    cacheTarget: '/root/.composer/cache',
    cacheSettings: { env: ['COMPOSER_HOME', 'COMPOSER_CACHE_DIR', 'HOME'], flags: [] },
    dirFlags: ['--working-dir', '-d'],
    sourceExtensions: ['.php'],
  },
  {
    id: 'dotnet',
    name: '.NET / NuGet',
    installs: [
      { tools: ['dotnet'], subcommands: ['restore'], manifests: [], optional: dotnetRestoreInputs },
      {
        tools: ['dotnet'],
        subcommands: ['publish', 'build', 'test'],
        notFlags: ['--no-restore'],
        manifests: [],
        optional: dotnetRestoreInputs,
        needsSource: true,
        prefetch: 'dotnet restore',
        unlessPreceededBy: [{ tools: ['dotnet'], subcommands: ['restore'] }],
      },
    ],
    builds: [{ tools: ['dotnet'], subcommands: ['publish', 'build'] }],
    runtime: {
      images: [
        { match: 'dotnet/sdk:(\\d+\\.\\d+)-alpine', image: 'mcr.microsoft.com/dotnet/aspnet:$1-alpine' },
        { match: 'dotnet/sdk:(\\d+\\.\\d+)', image: 'mcr.microsoft.com/dotnet/aspnet:$1' },
      ],
      outputFlags: ['-o', '--output'],
      wholeOutputDir: true,
    },
    cacheCleanups: {
      commands: [{ tools: ['dotnet'], subcommands: ['nuget'], anyArg: ['locals'] }],
      flags: ['--no-cache'],
    },
    cacheTarget: '/root/.nuget/packages',
    cacheSettings: { env: ['NUGET_PACKAGES', 'HOME'], flags: ['--packages'] },
    cacheHoldsInstall: true,
    sourceExtensions: ['.cs', '.fs', '.vb'],
  },
  {
    id: 'mix',
    name: 'Mix (Elixir)',
    installs: [
      { tools: ['mix'], subcommands: ['deps.get'], manifests: ['mix.exs'], optional: ['mix.lock', 'config/'] },
      // `mix do deps.get, deps.compile` / `mix do deps.get + deps.compile`
      {
        tools: ['mix'],
        subcommands: ['do'],
        anyArg: ['deps.get', 'deps.get,'],
        manifests: ['mix.exs'],
        optional: ['mix.lock', 'config/'],
      },
    ],
    builds: [{ tools: ['mix'], subcommands: ['release', 'compile'] }],
    cacheTarget: '/root/.hex',
    cacheSettings: { env: ['HEX_HOME', 'HOME'], flags: [] },
    sourceExtensions: ['.ex'],
  },
];

/** Things that avoid the problem on their own: what precedes an install with these is not source. */
export const SAFE_PREPARATIONS: CommandPattern[] = [
  { tools: ['pnpm'], subcommands: ['fetch'] },
  { tools: ['turbo'], subcommands: ['prune'] },
  { tools: ['cargo'], subcommands: ['chef'], anyArg: ['prepare'] },
];

/** Manifest names that tools find in any letter case (NuGet reads `nuget.config`, `NuGet.Config`, …). */
export const ANY_CASE_MANIFESTS: ReadonlySet<string> = new Set(['nuget.config']);

/** Whether a file name is one of these names (`*` globs allowed), in any case for ANY_CASE_MANIFESTS. */
export function nameIsOneOf(name: string, entries: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return entries.some(
    (e) =>
      e === name ||
      (ANY_CASE_MANIFESTS.has(lower) && e.toLowerCase() === lower) ||
      (/[*?]/.test(e) && globRegExp(e).test(name)),
  );
}

const globCache = new Map<string, RegExp>();
function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(
      '^' +
        glob
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]') +
        '$',
    );
    globCache.set(glob, re);
  }
  return re;
}

/** Lockfile and manifest names from every ecosystem: a COPY of only these is a manifest copy. */
export const MANIFEST_NAMES: ReadonlySet<string> = new Set(
  ECOSYSTEMS.flatMap((e) =>
    e.installs.flatMap((i) => [...i.manifests, ...(i.optional ?? [])].filter((n) => !n.endsWith('/'))),
  ).concat(['requirements.txt', 'requirements-dev.txt', 'setup.py', 'setup.cfg', 'Cargo.lock', 'recipe.json']),
);
