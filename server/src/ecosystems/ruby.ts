// Ruby (Bundler): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

export const RUBY_ECOSYSTEMS: Ecosystem[] = [
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
];
