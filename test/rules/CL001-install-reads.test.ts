// CL001 on installs that read more than their manifests (issue 10 items 5 and 9): installs of the
// project itself, manifests that say there is no project, flags from ARG/ENV, Go without downloads.
import { ruleTester } from '../helpers/ruleTester';

const uvFiles = { 'pyproject.toml': '[project]\nname = "app"\n', 'uv.lock': '', 'src/app/__init__.py': '' };

ruleTester('CL001', {
  valid: [
    {
      name: "uv's documented pattern: dependencies without the project, then the full sync after the source",
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n',
      files: uvFiles,
    },
    {
      name: 'poetry --no-root first, then the root install after the source',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install\n',
    },
    {
      name: 'an install of the project in another folder does not read a copy elsewhere (corpus: Perplexica)',
      code: 'FROM python:3.12\nWORKDIR /home/app\nCOPY drizzle ./drizzle\nRUN git clone https://example.com/x.git /usr/local/src/x\nRUN cd /usr/local/src/x && pip install -e .\n',
    },
    {
      name: 'Go without go.mod (GOPATH-style single file) downloads nothing (corpus: kratos mock)',
      code: 'FROM golang:1.22\nWORKDIR /app\nADD . .\nRUN go build -o ./app main.go\n',
      files: { 'main.go': 'package main\n' },
    },
    {
      name: 'GOFLAGS=-mod=vendor in ENV: nothing is downloaded',
      code: 'FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n',
    },
    {
      name: 'GOFLAGS=-mod=vendor on the command',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN GOFLAGS=-mod=vendor go build -o /bin/app .\n',
    },
    {
      name: '-mod=vendor from an ARG default',
      code: 'FROM golang:1.22\nARG GO_BUILD_FLAGS="-mod=vendor -trimpath"\nWORKDIR /src\nCOPY . .\nRUN go build $GO_BUILD_FLAGS -o /bin/app .\n',
    },
    {
      name: 'uv flags from an ARG default are judged expanded: --no-install-project comes from $UV_OPTIONS',
      code: 'FROM python:3.12\nARG UV_OPTIONS="--frozen --no-install-project"\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync $UV_OPTIONS\nCOPY . .\nRUN uv sync --frozen\n',
    },
    {
      name: '.NET restore inputs copied before the restore are manifests (corpus: squidex)',
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /source\nCOPY backend/Directory.Build.props ./\nCOPY backend/*.slnx ./\nCOPY backend/NuGet.config ./\nCOPY backend/src/*/*.csproj ./\nRUN dotnet restore\nCOPY backend .\n',
    },
  ],
  invalid: [
    {
      name: '.NET: the split copies the solution, NuGet config in any case, props and the SDK pin',
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet restore\n',
      files: {
        'App.slnx': '',
        'nuget.Config': '',
        'Directory.Build.props': '',
        'Directory.Packages.props': '',
        'global.json': '',
        'App.csproj': '',
        'Program.cs': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY App.csproj App.slnx nuget.Config Directory.Build.props Directory.Packages.props global.json ./\nRUN dotnet restore\nCOPY . .\n',
    },
    {
      name: 'uv sync after the source: the fix fetches the dependencies without the project first (uv docs)',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["python", "-m", "app"]\n',
      files: uvFiles,
      errors: [{ line: 3, message: /before `uv sync --locked`/ }],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\nCMD ["python", "-m", "app"]\n',
    },
    {
      name: 'uv sync: the cache mount goes along, flags before `--` stay in place',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev\n',
      files: uvFiles,
      errors: [{ line: 3 }],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev --no-install-project\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev\n',
    },
    {
      name: 'uv workspace: members are installed even with --no-install-project, so no fix',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\n',
      files: {
        'pyproject.toml': '[project]\nname = "app"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        'uv.lock': '',
        'packages/a/pyproject.toml': '',
      },
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'a source folder copied before `uv sync` (which installs the project) is a source copy',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY src ./src\nRUN uv sync --locked\n',
      files: uvFiles,
      errors: [{ line: 4, message: /before `uv sync --locked`/ }],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY src ./src\nRUN uv sync --locked\n',
    },
    {
      name: 'poetry install (root included) after the source: prefetch with --no-root, env settings kept',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN POETRY_VIRTUALENVS_CREATE=false poetry install --no-interaction\n',
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '', 'app/__init__.py': '' },
      errors: [{ line: 3 }],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN POETRY_VIRTUALENVS_CREATE=false poetry install --no-interaction --no-root\nCOPY . .\nRUN POETRY_VIRTUALENVS_CREATE=false poetry install --no-interaction\n',
    },
    {
      name: 'poetry with package-mode = false installs no project: the plain split is safe',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install\n',
      files: { 'pyproject.toml': '[tool.poetry]\npackage-mode = false\n', 'poetry.lock': '', 'main.py': '' },
      errors: [{ line: 3 }],
      output: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install\nCOPY . .\n',
    },
    {
      name: 'poetry path dependencies are installed even with --no-root: no fix',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install\n',
      files: {
        'pyproject.toml': '[tool.poetry.dependencies]\nlib = { path = "libs/lib", develop = true }\n',
        'poetry.lock': '',
        'libs/lib/pyproject.toml': '',
      },
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'poetry installed in the same RUN just before: the prefetch would run without it, so no fix',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install poetry && poetry install\n',
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '' },
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'pdm install without --no-self installs the project: prefetch with --no-self',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pdm install --prod\n',
      files: { 'pyproject.toml': '[project]\nname = "app"\n', 'pdm.lock': '', 'src/app.py': '' },
      errors: [{ line: 3, message: /before `pdm install --prod`/ }],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml pdm.lock ./\nRUN pdm install --prod --no-self\nCOPY . .\nRUN pdm install --prod\n',
    },
    {
      name: 'uv pip install . reads the source: reported, no split claimed',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system .\n',
      errors: [{ line: 3, message: /before `uv pip install --system \.`/ }],
      output: null,
    },
    {
      name: 'flags from an ENV are expanded: GOFLAGS without -mod=vendor still downloads',
      code: 'FROM golang:1.22\nENV GOFLAGS=-trimpath\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n',
      errors: [{ line: 4 }],
    },
    {
      name: 'cargo build -p X is a dependency install (the package name is a flag value)',
      code: 'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release -p server --bin server\n',
      errors: [{ line: 3, message: /before `cargo build --release -p server --bin server`/ }],
    },
    {
      name: 'the message shows the command as written, not expanded',
      code: 'FROM python:3.12\nARG UV_OPTIONS="--frozen"\nWORKDIR /app\nCOPY . .\nRUN uv sync $UV_OPTIONS\n',
      files: uvFiles,
      errors: [{ line: 4, message: /before `uv sync \$UV_OPTIONS`/ }],
      output:
        'FROM python:3.12\nARG UV_OPTIONS="--frozen"\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync $UV_OPTIONS --no-install-project\nCOPY . .\nRUN uv sync $UV_OPTIONS\n',
    },
    {
      name: 'a root postinstall runs a script file: the split copies it beside package.json, but what the script reads is unknown, so not as safe',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      files: {
        'package.json': '{"scripts": {"postinstall": "node scripts/postinstall.js", "prepare": "husky"}}',
        'package-lock.json': '{}',
        'scripts/postinstall.js': '',
        'src/index.js': '',
      },
      errors: [{ line: 3 }],
      output: null,
      unsafeOutput:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY scripts/postinstall.js ./scripts/\nRUN npm ci\nCOPY . .\n',
    },
    {
      name: 'a workspace member generates a Prisma client at install: its schema is copied too',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n',
      files: {
        'package.json': '{}',
        'pnpm-lock.yaml': '',
        'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n',
        'packages/db/package.json': '{"scripts": {"postinstall": "prisma generate --schema ./schema/main.prisma"}}',
        'packages/db/schema/main.prisma': '',
        'packages/db/src/index.ts': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY packages/db/package.json ./packages/db/\nCOPY packages/db/schema/main.prisma ./packages/db/schema/\nRUN pnpm install --frozen-lockfile\nCOPY . .\n',
    },
    {
      name: 'a postinstall that builds (reads the source): the split is not offered as safe',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      files: {
        'package.json': '{"scripts": {"postinstall": "npm run build", "build": "tsc -p ."}}',
        'package-lock.json': '{}',
        'src/index.ts': '',
      },
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'a gemspec-based bundle loads the gemspec, which reads lib/: the install is not moved above the source',
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install --jobs 4\n',
      files: {
        Gemfile: 'source "https://rubygems.org"\ngemspec\n',
        'Gemfile.lock': '',
        'mygem.gemspec': 'require_relative "lib/mygem/version"',
        'lib/mygem/version.rb': '',
      },
      errors: [{ line: 3, message: /before `bundle install --jobs 4`/ }],
      output: null,
    },
    {
      name: 'a plain Gemfile: bundle install --jobs 4 moves above the source',
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install --jobs 4\n',
      files: { Gemfile: 'source "https://rubygems.org"\ngem "rails"\n', 'Gemfile.lock': '', 'app/main.rb': '' },
      errors: [{ line: 3 }],
      output: 'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install --jobs 4\nCOPY . .\n',
    },
  ],
});
