import { ruleTester } from '../helpers/ruleTester';

const aptMounts =
  '--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked';

ruleTester('CL202', {
  valid: [
    // no mount: cleaning keeps the layer small, which is right
    'FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    // the cleanup is of another directory
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci && rm -rf /tmp/*',
    // apt-get clean empties /var/cache/apt, which is not mounted here: it keeps the layer small
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl && apt-get clean',
    // a mount of another manager's cache
    'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install --no-cache-dir -r requirements.txt',
  ],
  invalid: [
    {
      name: 'a command substitution is one word: `rm -rf $(poetry config cache-dir)` empties the mounted cache',
      code: [
        'FROM python:3.12',
        'RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root && rm -rf $(poetry config cache-dir)',
      ].join('\n'),
      errors: [{ line: 2 }],
      output: ['FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --no-root'].join(
        '\n',
      ),
    },
    {
      name: 'an rm that also removes other things keeps them; only the cache path goes',
      code: [
        'FROM debian:12',
        `RUN ${aptMounts} apt-get update && apt-get install -y curl && rm -rf /tmp/build /var/lib/apt/lists/*`,
      ].join('\n'),
      errors: [{ line: 2, message: '`/var/lib/apt/lists/*`' }],
      output: [
        'FROM debian:12',
        `RUN ${aptMounts} apt-get update && apt-get install -y curl && rm -rf /tmp/build`,
      ].join('\n'),
    },
    {
      // rm -rf /root/.bun empties the cache and then fails on the busy mount point: no edit of this RUN is right
      name: 'an rm of a folder above the mount point: reported, no fix',
      code: [
        'FROM oven/bun:1',
        'RUN --mount=type=cache,target=/root/.bun/install/cache bun install && rm -rf /root/.bun',
      ].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'every flag and env setting that turns the cache off goes',
      code: [
        'FROM python:3.12-slim',
        'RUN --mount=type=cache,target=/root/.cache/pip PIP_NO_CACHE_DIR=1 pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir gunicorn',
      ].join('\n'),
      errors: [{ line: 2, message: 'and 1 more cleanup' }],
      output: [
        'FROM python:3.12-slim',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt && pip install gunicorn',
      ].join('\n'),
    },
    {
      name: 'cleanups inside a heredoc go with their lines',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12',
        `RUN ${aptMounts} <<EOF`,
        'apt-get update',
        'apt-get install -y git',
        'apt-get clean',
        'rm -rf /var/lib/apt/lists/*',
        'EOF',
      ].join('\n'),
      errors: [{ line: 3, message: 'and 1 more cleanup' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM debian:12',
        `RUN ${aptMounts} <<EOF`,
        'apt-get update',
        'apt-get install -y git',
        'EOF',
      ].join('\n'),
    },
    {
      code: [
        'FROM python:3.12-slim',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt',
      ].join('\n'),
      errors: [{ line: 2, message: '`--no-cache-dir` throws away what the cache mount on `/root/.cache/pip` keeps' }],
      output: [
        'FROM python:3.12-slim',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
      ].join('\n'),
    },
    {
      name: 'apt: clean and the lists removal, across continuation lines',
      code: [
        'FROM debian:12',
        `RUN ${aptMounts} \\`,
        '    apt-get update \\',
        '    && apt-get install -y curl \\',
        '    && apt-get clean \\',
        '    && rm -rf /var/lib/apt/lists/*',
      ].join('\n'),
      errors: [{ line: 2, message: 'and 1 more cleanup' }],
      output: ['FROM debian:12', `RUN ${aptMounts} \\`, '    apt-get update \\', '    && apt-get install -y curl'].join(
        '\n',
      ),
    },
    {
      name: 'npm cache clean first in the RUN, ~ for the root home',
      code: [
        'FROM node:20',
        'RUN --mount=type=cache,target=/root/.npm npm cache clean --force && npm ci && rm -rf ~/.npm',
      ].join('\n'),
      errors: [{ line: 2 }],
      output: ['FROM node:20', 'RUN --mount=type=cache,target=/root/.npm npm ci'].join('\n'),
    },
    {
      name: 'a cleanup joined with || is not removed',
      code: ['FROM node:20', 'RUN --mount=type=cache,target=/root/.npm npm ci || npm cache clean --force'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
  ],
});
