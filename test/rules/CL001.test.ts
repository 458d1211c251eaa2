import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL001', {
  valid: [
    {
      name: 'a COPY whose source the context lacks (CL109) gets no claim: what it brings is unknown',
      code: 'FROM node:20\nCOPY VERSION /src/ui/\nCOPY ui /src/ui\nRUN cd /src/ui && npm ci\n',
      files: { Dockerfile: '' },
    },
    {
      name: 'a quoted remote ADD is not a source copy',
      code: 'FROM golang:1.22\nWORKDIR /src\nADD "https://github.com/golangci/golangci-lint.git#v2.1.0" .\nRUN go mod download\n',
    },
    // a quoted remote git source is not the context: nothing to split
    {
      name: 'ADD of a quoted git URL',
      code: 'FROM golang:1.22\nARG REF=v1\nWORKDIR /src\nADD "https://github.com/example/tool.git#${REF}" .\nRUN go mod download\n',
    },
    {
      name: 'manifests first',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n',
    },
    {
      name: 'manifest glob',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
    },
    {
      name: 'global tool install is not a dependency install',
      code: 'FROM node:20\nCOPY . .\nRUN npm install -g pnpm\n',
    },
    { name: 'package argument is not a manifest install', code: 'FROM python:3.12\nCOPY . .\nRUN pip install flask\n' },
    {
      name: 'bind-mounted manifests',
      code: 'FROM node:20\nWORKDIR /app\nRUN --mount=type=bind,source=package.json,target=package.json npm ci\nCOPY . .\n',
    },
    {
      name: 'pnpm fetch before the copy',
      code: 'FROM node:20\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch\nCOPY . .\nRUN pnpm install --offline\n',
    },
    {
      name: 'go mod download first',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n',
    },
    {
      name: 'cargo chef',
      code: 'FROM rust:1 AS build\nWORKDIR /app\nCOPY --from=planner /app/recipe.json recipe.json\nRUN cargo chef cook --release --recipe-path recipe.json\nCOPY . .\nRUN cargo build --release\n',
    },
    {
      name: 'copy from another stage',
      code: 'FROM node:20 AS deps\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nFROM node:20\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nRUN npm run build\n',
    },
    {
      name: 'copy into an unrelated directory',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . /static\nCOPY package.json ./\nRUN npm ci\n',
    },
    { name: 'unknown package manager', code: 'FROM alpine\nCOPY . .\nRUN ./configure && make\n' },
    {
      name: 'a copy of exactly the file -r names, even without an extension (fuzzer)',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY deps /app/\nRUN pip install -r deps\n',
    },
    {
      name: "the install's config folders and gemspecs, copied with --parents, are manifests (corpus: dependabot-core)",
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY --parents Gemfile Gemfile.lock */.bundle */*.gemspec ./\nRUN bundle install\nCOPY . .\n',
    },
    {
      name: 'dependencies installed from the manifests in another stage and copied in: `pip install -e .` after the source only builds the project (corpus: freqtrade)',
      code: 'FROM python:3.12 AS deps\nCOPY requirements.txt /tmp/\nRUN pip install --user -r /tmp/requirements.txt\nFROM python:3.12\nCOPY --from=deps /root/.local /root/.local\nWORKDIR /app\nCOPY . .\nRUN pip install -e . --no-deps\n',
    },
    {
      name: 'vendored Go modules: go build beside vendor/modules.txt fetches nothing (corpus: remark42)',
      code: 'FROM golang:1.22\nADD backend /build/backend\nWORKDIR /build/backend\nRUN cd app && go build -o /bin/app .\n',
      files: { 'backend/go.mod': 'module x\n', 'backend/vendor/modules.txt': '', 'backend/app/main.go': '' },
    },
    {
      name: 'go build -mod=vendor fetches nothing',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -mod=vendor -o /bin/app .\n',
    },
    {
      name: 'tool config written in code is not source (corpus: warehouse)',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json babel.config.js ./\nRUN npm ci\nCOPY . .\n',
    },
    {
      name: 'a script the manifest names (postinstall) is read by the install',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json postinstall.js ./\nRUN npm ci\nCOPY . .\n',
      files: { 'package.json': '{"scripts": {"postinstall": "node postinstall.js"}}', 'postinstall.js': '' },
    },
    {
      name: "a source file copied on its own before the install is CL002's",
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY app.py ./\nRUN pip install -r requirements.txt\n',
    },
  ],
  invalid: [
    {
      // the context lacks config/: it was found wrongly, so which files the install needs is unknown
      name: 'a COPY source the context does not have: reported, no fix',
      code: 'FROM node:20\nWORKDIR /app\nCOPY config ./config\nCOPY . .\nRUN npm ci\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'index.js': 'x' },
      errors: [{ line: 4 }],
      output: null,
    },
    {
      // the chown -R moves above the broad copy with the install: without --chown the app's files would stay root-owned
      name: 'a chown -R moved above the broad copy: both copies carry its owner',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\nUSER node\nRUN npm ci\nCMD ["node", "index.js"]\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'index.js': 'x' },
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node package.json package-lock.json ./\nRUN chown -R node:node /app\nUSER node\nRUN npm ci\nCOPY --chown=node:node . .\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'a chown -R in the install RUN itself: the same',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && chown -R node:node /app\nUSER node\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'index.js': 'x' },
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node package.json package-lock.json ./\nRUN npm ci && chown -R node:node /app\nCOPY --chown=node:node . .\nUSER node\n',
    },
    {
      name: 'a symbolic chmod -R cannot be said by COPY --chmod: no safe split',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chmod -R g+w /app && npm ci\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'index.js': 'x' },
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'the classic',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n',
      errors: [
        {
          line: 3,
          message:
            /`COPY \. \.` copies the whole build context before `npm ci` \(line 4\): editing any of them re-runs the install\.$/,
        },
      ],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'with the real files of the context',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', '.npmrc': 'x', 'src/index.js': 'x', 'README.md': 'x' },
      errors: [{ line: 3, message: '5 files' }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
    },
    {
      name: 'steps in between that read nothing move along; ones that read source stop the move',
      code: 'FROM node:20\nWORKDIR /app\n# all of it\nCOPY . .\nENV NODE_ENV=development\nRUN apt-get update && apt-get install -y python3\nRUN npm ci\nRUN npm run build\n',
      errors: [{ line: 4 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nENV NODE_ENV=development\nRUN apt-get update && apt-get install -y python3\nRUN npm ci\n# all of it\nCOPY . .\nRUN npm run build\n',
    },
    {
      name: 'a RUN that reads the source before the install: reported, no fix',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN ./scripts/prepare.sh\nRUN npm ci\n',
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'sub-project copy',
      code: 'FROM node:20\nWORKDIR /app\nCOPY frontend/ ./frontend\nRUN cd frontend && npm ci && npm run build\n',
      files: {
        'frontend/package.json': '{}',
        'frontend/yarn.lock': '',
        'frontend/package-lock.json': '{}',
        'frontend/src/a.js': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY frontend/package.json frontend/package-lock.json ./frontend/\nRUN cd frontend && npm ci\nCOPY frontend/ ./frontend\nRUN cd frontend && npm run build\n',
    },
    {
      name: 'npm workspaces copy every workspace manifest',
      code: 'FROM node:20\nWORKDIR /repo\nCOPY . .\nRUN npm ci\n',
      files: {
        'package.json': '{"workspaces": ["packages/*"]}',
        'package-lock.json': '{}',
        'packages/a/package.json': '{}',
        'packages/a/index.js': '',
        'packages/b/package.json': '{}',
      },
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /repo\nCOPY package.json package-lock.json ./\nCOPY packages/a/package.json ./packages/a/\nCOPY packages/b/package.json ./packages/b/\nRUN npm ci\nCOPY . .\n',
    },
    {
      name: 'pnpm workspace from pnpm-workspace.yaml',
      code: 'FROM node:20\nWORKDIR /w\nCOPY . .\nRUN pnpm install --frozen-lockfile\n',
      files: {
        'package.json': '{}',
        'pnpm-lock.yaml': '',
        'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
        'apps/web/package.json': '{}',
        'apps/web/x.ts': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /w\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY apps/web/package.json ./apps/web/\nRUN pnpm install --frozen-lockfile\nCOPY . .\n',
    },
    {
      name: 'go build without a download: add one',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app ./cmd/app\n',
      errors: [{ line: 3 }],
      output:
        'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /bin/app ./cmd/app\n',
    },
    {
      name: 'pip with a requirements file, keeping --chown',
      code: 'FROM python:3.12\nWORKDIR /srv\nCOPY --chown=app:app . .\nRUN pip install -r requirements/prod.txt\n',
      errors: [{ line: 3 }],
      output:
        'FROM python:3.12\nWORKDIR /srv\nCOPY --chown=app:app requirements/prod.txt ./\nRUN pip install -r requirements/prod.txt\nCOPY --chown=app:app . .\n',
    },
    {
      name: 'requirements files that include others bring those along (found by the real-build benchmark)',
      code: 'FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\n',
      files: {
        'requirements.txt': '-r requirements/base.txt\n-c requirements/constraints.txt\nflask\n',
        'requirements/base.txt': '--requirement=common.txt\n',
        'requirements/common.txt': 'six\n',
        'requirements/constraints.txt': '',
        'app.py': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM python:3.12\nWORKDIR /srv\nCOPY requirements.txt ./\nCOPY requirements/base.txt requirements/constraints.txt requirements/common.txt ./requirements/\nRUN pip install -r requirements.txt\nCOPY . .\n',
    },
    {
      name: 'inherited through FROM <stage>: reported on the copy, no fix across stages',
      code: 'FROM node:20 AS base\nWORKDIR /app\nCOPY . .\nFROM base AS deps\nRUN npm ci\n',
      errors: [{ line: 3, message: 'in stage `base`' }],
      output: null,
    },
    {
      name: 'a source file copied together with the manifests (corpus: task-manager-system)',
      code: 'FROM python:3.11\nWORKDIR /var/task\nCOPY lambda_function.py requirements.txt ./\nRUN pip install -r requirements.txt\nCMD ["lambda_function.handler"]\n',
      errors: [
        { line: 3, message: '`lambda_function.py`, `requirements.txt` before `pip install -r requirements.txt`' },
      ],
      output:
        'FROM python:3.11\nWORKDIR /var/task\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY lambda_function.py requirements.txt ./\nCMD ["lambda_function.handler"]\n',
    },
    {
      name: 'the install directory from a flag: composer --working-dir (corpus: kimai)',
      code: 'FROM php:8.3\nCOPY . /opt/app\nRUN composer install --working-dir=/opt/app --no-dev\n',
      errors: [{ line: 2 }],
      output:
        'FROM php:8.3\nCOPY composer.json composer.lock* /opt/app/\nRUN composer install --working-dir=/opt/app --no-dev\nCOPY . /opt/app\n',
    },
    {
      name: "composer -d DIR before the subcommand: the directory is the flag's value, not a package name",
      code: 'FROM php:8.3\nCOPY . /opt/app\nRUN composer -d /opt/app install --no-dev\n',
      errors: [{ line: 2 }],
      output:
        'FROM php:8.3\nCOPY composer.json composer.lock* /opt/app/\nRUN composer -d /opt/app install --no-dev\nCOPY . /opt/app\n',
    },
    {
      name: 'the install directory from a flag: yarn --cwd, and mix tasks that read the source stay below (corpus: pinchflat)',
      code: 'FROM elixir:1.17\nWORKDIR /app\nCOPY lib lib\nCOPY assets assets\nRUN yarn --cwd assets install && mix assets.deploy\n',
      errors: [{ line: 4, message: '`yarn --cwd assets install`' }],
      output:
        'FROM elixir:1.17\nWORKDIR /app\nCOPY lib lib\nCOPY assets/package.json assets/yarn.lock* ./assets/\nRUN yarn --cwd assets install\nCOPY assets assets\nRUN mix assets.deploy\n',
    },
    {
      name: 'heredoc RUN bodies count',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nnpm ci\nEOF\n',
      errors: [{ line: 3 }],
    },
    {
      name: 'continuation lines',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . \\\n  .\nRUN npm ci \\\n  && npm run build\n',
      errors: [{ line: 3 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nRUN npm ci\nCOPY . \\\n  .\nRUN npm run build\n',
    },
  ],
});
