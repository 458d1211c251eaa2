import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL204', {
  valid: [
    'FROM node:20\nCOPY --chown=node:node . /app',
    // the RUN does more than change permissions
    'FROM node:20\nCOPY . /app\nRUN chown -R node:node /app && npm ci',
    // a path the COPY did not bring
    'FROM node:20\nCOPY . /app\nRUN chown -R node:node /data',
    // a non-recursive chown of a directory touches only the directory
    'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chown node:node /app',
  ],
  invalid: [
    {
      code: ['FROM node:20', 'COPY . /app', 'RUN chown -R node:node /app', 'USER node'].join('\n'),
      errors: [{ line: 3, message: 'Use `COPY --chown=node:node` and drop this RUN' }],
      output: ['FROM node:20', 'COPY --chown=node:node . /app', 'USER node'].join('\n'),
    },
    {
      name: 'the WORKDIR made the directory: keep its own owner change, without -R',
      code: [
        'FROM node:20',
        'WORKDIR /app',
        'COPY . .',
        '# let the app write here',
        'RUN chown -R node:node . && chmod -R 755 .',
        'USER node',
      ].join('\n'),
      files: { 'package.json': '{}', 'server.js': 'x' },
      errors: [{ line: 5, message: 'rewrites the 2 files (3 B) that `COPY . .` (line 3) brought in' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        'WORKDIR /app',
        'COPY --chown=node:node --chmod=755 . .',
        '# let the app write here',
        'RUN chown node:node /app && chmod 755 /app',
        'USER node',
      ].join('\n'),
    },
    {
      name: 'a copy from another stage',
      code: [
        'FROM node:20 AS build',
        'FROM node:20-slim',
        'COPY --from=build /app /app',
        'RUN chown -R node:node /app',
      ].join('\n'),
      errors: [{ line: 4, message: 'rewrites what `COPY --from=build /app /app` (line 3) brought in' }],
      output: ['FROM node:20 AS build', 'FROM node:20-slim', 'COPY --from=build --chown=node:node /app /app'].join(
        '\n',
      ),
    },
    {
      name: 'a --link copy cannot take a user name',
      code: [
        'FROM node:20 AS build',
        'FROM node:20-slim',
        'COPY --link --from=build /app /app',
        'RUN chown -R node:node /app',
      ].join('\n'),
      errors: [{ line: 4 }],
      output: null,
    },
    {
      name: 'chmod of a copied script',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM alpine',
        'COPY entrypoint.sh /usr/local/bin/entrypoint.sh',
        'RUN chmod 0755 /usr/local/bin/entrypoint.sh',
        'ENTRYPOINT ["entrypoint.sh"]',
      ].join('\n'),
      errors: [{ line: 4 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM alpine',
        'COPY --chmod=0755 entrypoint.sh /usr/local/bin/entrypoint.sh',
        'ENTRYPOINT ["entrypoint.sh"]',
      ].join('\n'),
    },
    {
      name: 'symbolic mode, user-only owner, a user made in between: reported, not fixed',
      code: [
        'FROM alpine',
        'COPY run.sh /run.sh',
        'RUN chmod +x /run.sh',
        'COPY . /srv',
        'RUN adduser -D app',
        'RUN chown -R app /srv',
      ].join('\n'),
      errors: [{ line: 3 }, { line: 6 }],
      output: null,
    },
    {
      name: 'earlier steps already put files in the directory',
      code: [
        'FROM node:20',
        'WORKDIR /app',
        'COPY package.json ./',
        'RUN npm ci',
        'COPY . .',
        'RUN chown -R node:node /app',
      ].join('\n'),
      errors: [
        {
          line: 6,
          message:
            'rewrites what 2 COPY steps put in `/app` (the last on line 5) into a second layer. Use `COPY --chown=node:node` on them',
        },
      ],
      output: null,
    },
  ],
});
