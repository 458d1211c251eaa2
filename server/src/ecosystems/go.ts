// Go modules: package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

export const GO_ECOSYSTEMS: Ecosystem[] = [
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
    compileCache: { targets: ['/root/.cache/go-build'], env: ['GOCACHE'] },
    cacheHoldsInstall: true,
    dirFlags: ['-C'],
    sourceExtensions: ['.go'],
  },
];
