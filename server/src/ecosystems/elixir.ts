// Elixir (Mix): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

export const ELIXIR_ECOSYSTEMS: Ecosystem[] = [
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
