// .NET (dotnet restore): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

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

export const DOTNET_ECOSYSTEMS: Ecosystem[] = [
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
];
