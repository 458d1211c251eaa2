// Python (pip, Poetry, uv, Pipenv, PDM): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

const pythonSource = ['.py'];

export const PYTHON_ECOSYSTEMS: Ecosystem[] = [
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
];
