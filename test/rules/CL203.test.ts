import { ruleTester } from '../helpers/ruleTester';

const node = { 'package.json': '{"name":"a"}', 'package-lock.json': '{}', 'server.js': '' };
const yarn = { 'package.json': '{"name":"a"}', 'yarn.lock': '', 'index.js': '' };

ruleTester('CL203', {
  valid: [
    { code: 'FROM node:20\nCOPY package.json package-lock.json ./\nRUN npm ci', files: node },
    // no lockfile in the context: nothing to be locked to
    { code: 'FROM node:20\nCOPY package.json ./\nRUN npm install', files: { 'package.json': '{}' } },
    // a package install is not the project's install
    { code: 'FROM node:20\nCOPY . .\nRUN npm install left-pad', files: node },
    { code: 'FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile', files: yarn },
    // without the context nothing is known about lockfiles
    'FROM node:20\nCOPY . .\nRUN npm install',
  ],
  invalid: [
    {
      name: 'uv sync honours uv.lock only while it matches pyproject.toml: the message says what is at stake, not more',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --no-dev --no-install-project\n',
      files: { 'pyproject.toml': '[project]\nname = "a"\n', 'uv.lock': '' },
      errors: [{ line: 4, message: /does not enforce `uv\.lock`: when the manifest and the lockfile disagree/ }],
    },
    {
      code: ['FROM node:20', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm install --no-audit'].join('\n'),
      files: node,
      errors: [{ line: 4, message: 'Use `npm ci`' }],
      output: null,
      unsafeOutput: ['FROM node:20', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci --no-audit'].join('\n'),
    },
    {
      name: 'bare yarn, v1',
      code: ['FROM node:20', 'COPY . .', 'RUN yarn && yarn build'].join('\n'),
      files: yarn,
      errors: [{ line: 3, message: '`yarn install --frozen-lockfile`' }],
      output: null,
      unsafeOutput: ['FROM node:20', 'COPY . .', 'RUN yarn install --frozen-lockfile && yarn build'].join('\n'),
    },
    {
      name: 'yarn berry, across a continuation',
      code: ['FROM node:20', 'COPY . .', 'RUN yarn \\', '  install'].join('\n'),
      files: { ...yarn, '.yarnrc.yml': 'nodeLinker: node-modules' },
      errors: [{ line: 3 }],
      output: null,
      unsafeOutput: ['FROM node:20', 'COPY . .', 'RUN yarn install --immutable'].join('\n'),
    },
    {
      name: 'pnpm, uv and pipenv',
      code: [
        'FROM node:20 AS web',
        'COPY . .',
        'RUN pnpm install',
        'FROM python:3.12 AS api',
        'COPY . .',
        'RUN uv sync --no-dev',
        'FROM python:3.12',
        'COPY Pipfile Pipfile.lock ./',
        'RUN pipenv install --system',
      ].join('\n'),
      files: {
        'package.json': '{}',
        'pnpm-lock.yaml': '',
        'pyproject.toml': '',
        'uv.lock': '',
        Pipfile: '',
        'Pipfile.lock': '{}',
      },
      errors: [{ line: 3 }, { line: 6 }, { line: 9 }],
      output: null,
      unsafeOutput: [
        'FROM node:20 AS web',
        'COPY . .',
        'RUN pnpm install --frozen-lockfile',
        'FROM python:3.12 AS api',
        'COPY . .',
        'RUN uv sync --locked --no-dev',
        'FROM python:3.12',
        'COPY Pipfile Pipfile.lock ./',
        'RUN pipenv sync --system',
      ].join('\n'),
    },
    {
      name: 'the lockfile is not copied in: npm ci would fail, so no fix',
      code: ['FROM node:20', 'COPY package.json ./', 'RUN npm install'].join('\n'),
      files: node,
      errors: [{ line: 3, message: 'copy it in before this step' }],
      output: null,
    },
  ],
});
