// PHP (Composer): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

export const PHP_ECOSYSTEMS: Ecosystem[] = [
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
];
