import { ruleTester } from '../helpers/ruleTester';

const keep = `RUN rm -f /etc/apt/apt.conf.d/docker-clean; echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`;

ruleTester('CL201', {
  valid: [
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
      name: 'npm: adds the syntax directive',
      code: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'].join('\n'),
      errors: [{ line: 4, message: '`npm ci` downloads every package again' }],
      output: ['# syntax=docker/dockerfile:1', 'FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN --mount=type=cache,target=/root/.npm npm ci'].join('\n'),
    },
    {
      name: 'pip with a syntax directive already, two installs get one directive',
      code: ['# syntax=docker/dockerfile:1.7', 'FROM python:3.12-slim', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', 'FROM node:20', 'RUN yarn install --frozen-lockfile'].join('\n'),
      errors: [{ line: 4, message: 'Mount the pip cache (`/root/.cache/pip`)' }, { line: 6 }],
      output: ['# syntax=docker/dockerfile:1.7', 'FROM python:3.12-slim', 'COPY requirements.txt .', 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt', 'FROM node:20', 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile'].join('\n'),
    },
    {
      name: 'apt: locked sharing, the docker-clean removal, continuation lines kept',
      code: ['FROM debian:12', 'RUN apt-get update \\', '  && apt-get install -y --no-install-recommends curl'].join('\n'),
      errors: [{ line: 2, message: 'APT' }],
      output: ['# syntax=docker/dockerfile:1', 'FROM debian:12', keep, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update \\', '  && apt-get install -y --no-install-recommends curl'].join('\n'),
    },
    {
      name: 'two apt RUNs: one docker-clean removal',
      code: ['# syntax=docker/dockerfile:1', 'FROM debian:12', 'RUN apt-get update && apt-get install -y curl', 'RUN apt-get update && apt-get install -y git'].join('\n'),
      errors: [{ line: 3 }, { line: 4 }],
      output: ['# syntax=docker/dockerfile:1', 'FROM debian:12', keep, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y git'].join('\n'),
    },
    {
      name: 'go: every later go step of the stage gets the mount too',
      code: ['# syntax=docker/dockerfile:1', 'FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN go build -o /out/app .', 'FROM gcr.io/distroless/static', 'COPY --from=build /out/app /app'].join('\n'),
      errors: [{ line: 5, message: 'Go modules' }],
      output: ['# syntax=docker/dockerfile:1', 'FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN --mount=type=cache,target=/go/pkg/mod go mod download', 'COPY . .', 'RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .', 'FROM gcr.io/distroless/static', 'COPY --from=build /out/app /app'].join('\n'),
    },
    {
      name: 'poetry without a virtualenv in the cache',
      code: ['# syntax=docker/dockerfile:1', 'FROM python:3.12', 'ENV POETRY_VIRTUALENVS_CREATE=false', 'RUN poetry install --no-root'].join('\n'),
      errors: [{ line: 4 }],
      output: ['# syntax=docker/dockerfile:1', 'FROM python:3.12', 'ENV POETRY_VIRTUALENVS_CREATE=false', 'RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root'].join('\n'),
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
      output: ['# syntax=docker/dockerfile:1', 'FROM node:20', 'RUN --mount=type=cache,target=/root/.npm <<EOF', 'npm ci', 'EOF'].join('\n'),
    },
  ],
});
