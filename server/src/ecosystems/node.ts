// Node (npm, Yarn, pnpm, Bun): package-manager knowledge as data (see table.ts).
import type { CommandPattern, Ecosystem, RuntimeRecipe } from './types';

const npmLockfiles = ['package-lock.json', 'npm-shrinkwrap.json'];

// Node: the same image runs the bundle (native modules stay compatible).
const nodeRuntime = (prune?: string): RuntimeRecipe => ({
  images: [{ match: '^(.+)$', image: '$1' }],
  outputDirs: ['dist', 'build', 'out', 'lib', '.output'],
  wholeOutputDir: true,
  alsoCopy: ['package.json', 'node_modules'],
  prune,
});
const npmConfig = ['.npmrc'];
/** a yarn install with any of these already keeps to the lockfile (Yarn 1 and Berry spellings) */
const yarnLockedFlags = ['--frozen-lockfile', '--immutable', '--pure-lockfile', '--frozen'];
/** `yarn install` or a bare `yarn` that does not keep to the lockfile, and what to write instead */
const yarnUnlockedPatterns: CommandPattern[] = [
  { tools: ['yarn'], subcommands: ['install'], notFlags: yarnLockedFlags },
  { tools: ['yarn'], noPackageArgs: true, notFlags: yarnLockedFlags },
];
const yarnUnlocked: NonNullable<Ecosystem['unlocked']> = [
  // Berry (a .yarnrc.yml beside it), which CI=true already locks
  ...yarnUnlockedPatterns.map((pattern) => ({
    pattern,
    lockfiles: ['yarn.lock'],
    replacement: 'yarn install --immutable',
    ifContextHas: '.yarnrc.yml',
    lockedWhenEnv: ['CI'],
  })),
  // Yarn 1
  ...yarnUnlockedPatterns.map((pattern) => ({
    pattern,
    lockfiles: ['yarn.lock'],
    replacement: 'yarn install --frozen-lockfile',
  })),
];
const nodeSource = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];

export const NODE_ECOSYSTEMS: Ecosystem[] = [
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
    unlocked: yarnUnlocked,
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
];
