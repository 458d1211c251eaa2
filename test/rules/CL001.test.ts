import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL001', {
  valid: [
    { name: 'manifests first', code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n' },
    { name: 'manifest glob', code: 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n' },
    { name: 'global tool install is not a dependency install', code: 'FROM node:20\nCOPY . .\nRUN npm install -g pnpm\n' },
    { name: 'package argument is not a manifest install', code: 'FROM python:3.12\nCOPY . .\nRUN pip install flask\n' },
    { name: 'bind-mounted manifests', code: 'FROM node:20\nWORKDIR /app\nRUN --mount=type=bind,source=package.json,target=package.json npm ci\nCOPY . .\n' },
    { name: 'pnpm fetch before the copy', code: 'FROM node:20\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch\nCOPY . .\nRUN pnpm install --offline\n' },
    { name: 'go mod download first', code: 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n' },
    { name: 'cargo chef', code: 'FROM rust:1 AS build\nWORKDIR /app\nCOPY --from=planner /app/recipe.json recipe.json\nRUN cargo chef cook --release --recipe-path recipe.json\nCOPY . .\nRUN cargo build --release\n' },
    { name: 'copy from another stage', code: 'FROM node:20 AS deps\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nFROM node:20\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nRUN npm run build\n' },
    { name: 'copy into an unrelated directory', code: 'FROM node:20\nWORKDIR /app\nCOPY . /static\nCOPY package.json ./\nRUN npm ci\n' },
    { name: 'unknown package manager', code: 'FROM alpine\nCOPY . .\nRUN ./configure && make\n' },
  ],
  invalid: [
    {
      name: 'the classic',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n',
      errors: [{ line: 3, message: /`COPY \. \.` copies the whole build context before `npm ci` \(line 4\): editing any of them re-runs the install and the 1 step after it/ }],
      output: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'with the real files of the context',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', '.npmrc': 'x', 'src/index.js': 'x', 'README.md': 'x' },
      errors: [{ line: 3, message: '5 files' }],
      output: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
    },
    {
      name: 'steps in between that read nothing move along; ones that read source stop the move',
      code: 'FROM node:20\nWORKDIR /app\n# all of it\nCOPY . .\nENV NODE_ENV=development\nRUN apt-get update && apt-get install -y python3\nRUN npm ci\nRUN npm run build\n',
      errors: [{ line: 4 }],
      output: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nENV NODE_ENV=development\nRUN apt-get update && apt-get install -y python3\nRUN npm ci\n# all of it\nCOPY . .\nRUN npm run build\n',
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
      files: { 'frontend/package.json': '{}', 'frontend/yarn.lock': '', 'frontend/package-lock.json': '{}', 'frontend/src/a.js': '' },
      errors: [{ line: 3 }],
      output: 'FROM node:20\nWORKDIR /app\nCOPY frontend/package.json frontend/package-lock.json ./frontend/\nRUN cd frontend && npm ci\nCOPY frontend/ ./frontend\nRUN cd frontend && npm run build\n',
    },
    {
      name: 'npm workspaces copy every workspace manifest',
      code: 'FROM node:20\nWORKDIR /repo\nCOPY . .\nRUN npm ci\n',
      files: { 'package.json': '{"workspaces": ["packages/*"]}', 'package-lock.json': '{}', 'packages/a/package.json': '{}', 'packages/a/index.js': '', 'packages/b/package.json': '{}' },
      errors: [{ line: 3 }],
      output: 'FROM node:20\nWORKDIR /repo\nCOPY package.json package-lock.json ./\nCOPY packages/a/package.json ./packages/a/\nCOPY packages/b/package.json ./packages/b/\nRUN npm ci\nCOPY . .\n',
    },
    {
      name: 'pnpm workspace from pnpm-workspace.yaml',
      code: 'FROM node:20\nWORKDIR /w\nCOPY . .\nRUN pnpm install --frozen-lockfile\n',
      files: { 'package.json': '{}', 'pnpm-lock.yaml': '', 'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n', 'apps/web/package.json': '{}', 'apps/web/x.ts': '' },
      errors: [{ line: 3 }],
      output: 'FROM node:20\nWORKDIR /w\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY apps/web/package.json ./apps/web/\nRUN pnpm install --frozen-lockfile\nCOPY . .\n',
    },
    {
      name: 'go build without a download: add one',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app ./cmd/app\n',
      errors: [{ line: 3 }],
      output: 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /bin/app ./cmd/app\n',
    },
    {
      name: 'pip with a requirements file, keeping --chown',
      code: 'FROM python:3.12\nWORKDIR /srv\nCOPY --chown=app:app . .\nRUN pip install -r requirements/prod.txt\n',
      errors: [{ line: 3 }],
      output: 'FROM python:3.12\nWORKDIR /srv\nCOPY --chown=app:app requirements/prod.txt ./\nRUN pip install -r requirements/prod.txt\nCOPY --chown=app:app . .\n',
    },
    {
      name: 'inherited through FROM <stage>: reported on the copy, no fix across stages',
      code: 'FROM node:20 AS base\nWORKDIR /app\nCOPY . .\nFROM base AS deps\nRUN npm ci\n',
      errors: [{ line: 3, message: 'in stage `base`' }],
      output: null,
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
      output: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nRUN npm ci\nCOPY . \\\n  .\nRUN npm run build\n',
    },
  ],
});
