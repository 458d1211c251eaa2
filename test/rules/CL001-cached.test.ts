// CL001 when the install's cache mounts already keep the downloads and the compiled dependencies:
// the source copy still re-runs the step, but the slow part is cached, so it is information, not a warning.
import { ruleTester } from '../helpers/ruleTester';

const cargo = { 'Cargo.toml': '[package]\nname = "a"\n', 'Cargo.lock': '', 'src/main.rs': 'fn main() {}\n' };
const gomod = { 'go.mod': 'module example.com/a\n', 'go.sum': '', 'main.go': 'package main\n' };

ruleTester('CL001', {
  valid: [],
  invalid: [
    {
      name: 'registry and sccache store mounted where env settings moved them',
      code: 'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/cargo --mount=type=cache,target=/sccache \\\n  export CARGO_HOME=/cargo && export SCCACHE_DIR=/sccache && export RUSTC_WRAPPER=sccache && \\\n  cargo build --release\n',
      files: cargo,
      errors: [{ line: 3, severity: 'info', message: 'cache mounts keep the downloads' }],
    },
    {
      name: 'registry and target folder mounted at their defaults',
      code: 'FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,target=/app/target cargo build --release\n',
      files: cargo,
      errors: [{ line: 3, severity: 'info' }],
    },
    {
      name: 'go module and build caches mounted',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n',
      files: gomod,
      errors: [{ line: 3, severity: 'info' }],
    },
    {
      name: 'only the registry mounted: every miss compiles the dependencies again',
      code: 'FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release\n',
      files: cargo,
      errors: [{ line: 3, severity: 'warning' }],
    },
    {
      name: 'only the build cache mounted: every miss downloads again',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n',
      files: gomod,
      errors: [{ line: 3, severity: 'warning' }],
    },
    {
      name: 'a package cache mount alone does not make an npm install cheap: no compile cache to speak of',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}' },
      errors: [{ line: 3, severity: 'warning' }],
    },
  ],
});

ruleTester('CL001', {
  valid: [
    {
      name: 'a dependency prebuild copies the manifests, the build script and the toolchain pin: all read by cargo build',
      code: 'FROM rust:1\nRUN cargo new --bin /app\nWORKDIR /app\nCOPY ./Cargo.* ./rust-toolchain.toml ./build.rs ./\nRUN cargo build --release && find . -not -path "./target*" -delete\nCOPY . .\nRUN cargo build --release\n',
      files: { ...cargo, 'rust-toolchain.toml': '[toolchain]\n', 'build.rs': 'fn main() {}\n' },
    },
  ],
  invalid: [
    {
      name: 'a program source copied with them is still source',
      code: 'FROM rust:1\nRUN cargo new --bin /app\nWORKDIR /app\nCOPY ./Cargo.* ./build.rs ./main.rs ./\nRUN cargo build --release\n',
      files: { ...cargo, 'build.rs': 'fn main() {}\n', 'main.rs': 'fn main() {}\n' },
      errors: [{ line: 4 }],
    },
  ],
});

ruleTester('CL001', {
  valid: [
    {
      name: 'the environment comes from a stage whose install of the project ran on the manifests alone',
      code: 'FROM python:3.12 AS base\nWORKDIR /opt/app\nCOPY poetry.lock pyproject.toml ./\nRUN poetry install --only main\nFROM python:3.12\nCOPY --from=base /opt/app /opt/app\nWORKDIR /opt/app\nCOPY ./app ./app\nCOPY poetry.lock pyproject.toml ./\nRUN poetry install --only main\n',
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '', 'app/__init__.py': '' },
    },
  ],
  invalid: [],
});

ruleTester('CL001', {
  valid: [
    {
      name: 'a workspace member / path dependency the manifest names is built as a dependency: an install input',
      code: 'FROM rust:1\nRUN cargo new --bin /app\nWORKDIR /app\nCOPY ./Cargo.* ./\nCOPY ./macros ./macros\nRUN cargo build --release\nCOPY . .\nRUN cargo build --release\n',
      files: {
        'Cargo.toml': '[workspace]\nmembers = ["macros"]\n[dependencies]\nmacros = { path = "./macros" }\n',
        'Cargo.lock': '',
        'macros/Cargo.toml': '[package]\nname = "macros"\n',
        'macros/src/lib.rs': '',
        'src/main.rs': '',
      },
    },
  ],
  invalid: [
    {
      name: 'a folder the manifest does not name is source',
      code: 'FROM rust:1\nRUN cargo new --bin /app\nWORKDIR /app\nCOPY ./Cargo.* ./\nCOPY ./tools ./tools\nRUN cargo build --release\n',
      files: {
        'Cargo.toml': '[package]\nname = "app"\n',
        'Cargo.lock': '',
        'tools/Cargo.toml': '[package]\nname = "tools"\n',
        'tools/src/lib.rs': '',
      },
      errors: [{ line: 5 }],
    },
  ],
});
