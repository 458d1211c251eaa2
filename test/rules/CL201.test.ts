import { ruleTester } from '../helpers/ruleTester';

const keep = `RUN rm -f /etc/apt/apt.conf.d/docker-clean; echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`;

ruleTester('CL201', {
  valid: [
    // the RUN already mounts caches of the manager where the user chose: left alone, never doubled
    'FROM rust:1.80-alpine\nCOPY . .\nRUN --mount=type=cache,target=/root/.cargo/git/db --mount=type=cache,target=/root/.cargo/registry/cache cargo build --release',
    'FROM node:20\nCOPY package.json pnpm-lock.yaml ./\nRUN --mount=type=cache,id=pnpm,target=/root/.pnpm-store pnpm install --frozen-lockfile',
    // the Dockerfile copies Berry's files: Yarn 1's cache is not offered, the Berry mount is not "corrected"
    'FROM node:20\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable',
    'FROM node:20\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN yarn install --immutable',
    // Yarn 3 keeps its cache in the project (.yarn/cache), which Plug'n'Play reads at run time: no mount over it
    {
      code: ['FROM node:20', 'COPY package.json yarn.lock .yarnrc.yml ./', 'RUN yarn install --immutable'].join('\n'),
      files: { 'package.json': '{ "packageManager": "yarn@3.6.0" }', 'yarn.lock': '', '.yarnrc.yml': '' },
    },
    // pnpm fetch filled the store in the image: a mount on the install would hide it from --offline
    'FROM node:20\nCOPY pnpm-lock.yaml ./\nRUN --mount=type=cache,target=/tmp/x pnpm fetch\nCOPY package.json ./\nRUN pnpm install --offline --frozen-lockfile',
    '# syntax=docker/dockerfile:1\nFROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci',
    // a frontend older than RUN --mount
    '# syntax=docker/dockerfile:1.1\nFROM node:20\nRUN npm ci',
    // some other frontend
    '# syntax=example.com/custom:1\nFROM node:20\nRUN npm ci',
    // not root: /root/.npm is not this user's cache
    'FROM node:20\nUSER node\nRUN npm ci',
    // the cache was moved
    'FROM node:20\nENV npm_config_cache=/tmp/npm\nRUN npm ci',
    'FROM python:3.12\nRUN pip install --cache-dir /tmp/pip -r requirements.txt',
    // a global tool install is not a dependency install
    'FROM node:20\nRUN npm install -g pnpm',
    // Go's module cache holds the install: not on a non-golang base, nor when another stage builds on this one
    'FROM debian:12\nRUN go mod download',
    'FROM golang:1.22 AS deps\nRUN go mod download\nFROM deps\nRUN go build -o /app .',
    // Poetry keeps its virtualenv in the cache dir unless told otherwise
    'FROM python:3.12\nRUN poetry install',
    // apt: the index must be refreshed in the same RUN (CL004 first), and later steps must not rely on the layer's index
    'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git',
    // offline installs read what an earlier layer cached: a mount would hide it
    'FROM node:20\nRUN pnpm fetch\nRUN pnpm install --offline',
    // a Windows container: the table's paths are Linux paths
    'FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022\nRUN dotnet restore',
    // unknown package manager
    'FROM debian:12\nRUN foo-pkg install -y curl',
  ],
  invalid: [
    {
      name: 'an rm of a folder above the new mount point: the mount is offered, not applied by fix-all',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM oven/bun:1 AS build',
        'COPY package.json bun.lock ./',
        'RUN bun install && rm -rf /tmp/x /root/.bun',
        'FROM oven/bun:1',
        'COPY --from=build /node_modules /node_modules',
      ].join('\n'),
      errors: [{ line: 4 }],
      output: null,
    },
    {
      // otherwise fix-all would leave a new CL202 behind
      name: 'the cleanups of the RUN leave with the new mount, in one fix',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12-slim',
        'COPY requirements.txt .',
        'RUN PIP_NO_CACHE_DIR=1 pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir gunicorn',
      ].join('\n'),
      errors: [{ line: 4 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12-slim',
        'COPY requirements.txt .',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt && pip install gunicorn',
      ].join('\n'),
    },
    {
      name: 'apt in a build stage with a heredoc: clean-ups inside it go too',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12 AS tools',
        'RUN <<EOR',
        'apt-get update',
        'apt-get install -y git',
        'rm -rf /var/lib/apt/lists/*',
        'EOR',
        'FROM debian:12',
        'COPY --from=tools /usr/bin/git /usr/bin/git',
      ].join('\n'),
      errors: [{ line: 3 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12 AS tools',
        keep,
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked <<EOR',
        'apt-get update',
        'apt-get install -y git',
        'EOR',
        'FROM debian:12',
        'COPY --from=tools /usr/bin/git /usr/bin/git',
      ].join('\n'),
    },
    {
      name: "a cache mount of the manager at pnpm 6's directory under a declared pnpm 9 is corrected, not doubled",
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'COPY package.json pnpm-lock.yaml ./',
        'RUN --mount=type=cache,id=pnpm,target=/root/.pnpm-store pnpm install --frozen-lockfile',
      ].join('\n'),
      files: { 'package.json': '{ "packageManager": "pnpm@9.1.0" }', 'pnpm-lock.yaml': '' },
      errors: [{ line: 4 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'COPY package.json pnpm-lock.yaml ./',
        'RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm install --frozen-lockfile',
      ].join('\n'),
    },
    {
      name: 'Yarn 4 (packageManager) keeps its downloads in the Berry global cache',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'COPY package.json yarn.lock .yarnrc.yml ./',
        'RUN yarn install --immutable',
      ].join('\n'),
      files: {
        'package.json': '{ "packageManager": "yarn@4.3.1" }',
        'yarn.lock': '',
        '.yarnrc.yml': 'nodeLinker: node-modules\n',
      },
      errors: [{ line: 4, message: '/root/.yarn/berry/cache' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'COPY package.json yarn.lock .yarnrc.yml ./',
        'RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable',
      ].join('\n'),
    },
    {
      name: 'npm: adds the syntax directive',
      code: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'].join('\n'),
      errors: [{ line: 4, message: '`npm ci` downloads every package again' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'WORKDIR /app',
        'COPY package.json package-lock.json ./',
        'RUN --mount=type=cache,target=/root/.npm npm ci',
      ].join('\n'),
    },
    {
      name: 'pip with a syntax directive already, two installs get one directive',
      code: [
        '# syntax=docker/dockerfile:1.7',
        'FROM python:3.12-slim',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'FROM node:20',
        'RUN yarn install --frozen-lockfile',
      ].join('\n'),
      errors: [{ line: 4, message: 'Mount the pip cache (`/root/.cache/pip`)' }, { line: 6 }],
      output: [
        '# syntax=docker/dockerfile:1.7',
        'FROM python:3.12-slim',
        'COPY requirements.txt .',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
        'FROM node:20',
        'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile',
      ].join('\n'),
    },
    {
      name: 'apt in a build stage: locked sharing, the docker-clean removal, continuation lines kept',
      code: [
        'FROM debian:12 AS tools',
        'RUN apt-get update \\',
        '  && apt-get install -y --no-install-recommends curl',
        'FROM debian:12',
        'COPY --from=tools /usr/bin/curl /usr/bin/curl',
      ].join('\n'),
      errors: [{ line: 2, message: 'APT' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12 AS tools',
        keep,
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update \\',
        '  && apt-get install -y --no-install-recommends curl',
        'FROM debian:12',
        'COPY --from=tools /usr/bin/curl /usr/bin/curl',
      ].join('\n'),
    },
    {
      // rewriting apt's configuration (docker-clean, keep-cache) in the shipped image changes the image
      name: 'apt in the final stage: the docker-clean removal is offered, not applied by fix-all',
      code: ['FROM debian:12', 'RUN apt-get update \\', '  && apt-get install -y --no-install-recommends curl'].join(
        '\n',
      ),
      errors: [{ line: 2, message: 'APT' }],
      output: null,
      unsafeOutput: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12',
        keep,
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update \\',
        '  && apt-get install -y --no-install-recommends curl',
      ].join('\n'),
    },
    {
      name: 'two apt RUNs of the final stage: one docker-clean removal, only as an unsafe fix',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12',
        'RUN apt-get update && apt-get install -y curl',
        'RUN apt-get update && apt-get install -y git',
      ].join('\n'),
      errors: [{ line: 3 }, { line: 4 }],
      output: null,
      unsafeOutput: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12',
        keep,
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y git',
      ].join('\n'),
    },
    {
      name: 'go: every later go step of the stage gets the mount too',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.22 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM gcr.io/distroless/static',
        'COPY --from=build /out/app /app',
      ].join('\n'),
      errors: [{ line: 5, message: 'Go modules' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.22 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .',
        'FROM gcr.io/distroless/static',
        'COPY --from=build /out/app /app',
      ].join('\n'),
    },
    {
      name: 'poetry without a virtualenv in the cache',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12',
        'ENV POETRY_VIRTUALENVS_CREATE=false',
        'RUN poetry install --no-root',
      ].join('\n'),
      errors: [{ line: 4 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12',
        'ENV POETRY_VIRTUALENVS_CREATE=false',
        'RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root',
      ].join('\n'),
    },
    {
      name: 'the syntax directive goes after a byte-order mark',
      code: '\uFEFFFROM node:20\nRUN npm ci',
      errors: [{ line: 2 }],
      output: '\uFEFF# syntax=docker/dockerfile:1\nFROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci',
    },
    {
      name: 'heredoc RUN: the mount goes on the instruction line',
      code: ['# syntax=docker/dockerfile:1', 'FROM node:20', 'RUN <<EOF', 'npm ci', 'EOF'].join('\n'),
      errors: [{ line: 3 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'RUN --mount=type=cache,target=/root/.npm <<EOF',
        'npm ci',
        'EOF',
      ].join('\n'),
    },
  ],
});
