// Rust (Cargo): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

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

export const RUST_ECOSYSTEMS: Ecosystem[] = [
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
        // the package's build script and the toolchain pin are read by every build, as the manifests are
        optional: ['Cargo.lock', 'build.rs', 'rust-toolchain.toml', 'rust-toolchain'],
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
    // the target folder, or sccache's store when RUSTC_WRAPPER is sccache
    compileCache: { targets: ['target', '/root/.cache/sccache'], env: ['CARGO_TARGET_DIR', 'SCCACHE_DIR'] },
    cacheHoldsInstall: true,
    sourceExtensions: ['.rs'],
  },
];
