import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL304', {
  valid: [
    '# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --link --from=build /out/app /app',
    // nothing below the copy can change
    'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app',
    // a syntax too old for --link
    '# syntax=docker/dockerfile:1.3\nFROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app',
    // not a cross-stage copy
    'FROM alpine:3.20\nCOPY app /app',
    // a base with a minor version and only RUN steps above: changes rarely
    'FROM golang:1.22 AS build\nFROM alpine:3.20\nRUN apk add ca-certificates\nCOPY --from=build /out/app /app',
  ],
  invalid: [
    {
      name: 'a destination under /bin may go through a merged-/usr symlink: --link is offered, not as safe',
      code: [
        'FROM golang:1.22 AS build',
        'RUN go build -o /out/app .',
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /bin/app',
      ].join('\n'),
      errors: [{ line: 4 }],
      output: null,
      unsafeOutput: [
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.22 AS build',
        'RUN go build -o /out/app .',
        'FROM debian:bookworm-slim',
        'COPY --from=build --link /out/app /bin/app',
      ].join('\n'),
    },
    {
      code: [
        'FROM golang:1.22 AS build',
        'RUN go build -o /out/app .',
        'FROM node:20-slim',
        'COPY --from=build /out/app /app',
      ].join('\n'),
      errors: [{ line: 4, message: 'whenever the base image `node:20-slim` changes' }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.22 AS build',
        'RUN go build -o /out/app .',
        'FROM node:20-slim',
        'COPY --from=build --link /out/app /app',
      ].join('\n'),
    },
    {
      name: 'pinned base, steps above; two copies share one syntax line',
      code: [
        '# syntax=docker/dockerfile:1.7',
        'FROM node:20 AS build',
        'FROM scratch',
        'COPY a /a',
        'COPY --from=build /app/dist /dist',
        'COPY --from=build --chown=1000:1000 /app/node_modules /node_modules',
      ].join('\n'),
      errors: [{ line: 5, message: 'whenever `COPY a /a` above it changes' }, { line: 6 }],
      output: [
        '# syntax=docker/dockerfile:1.7',
        'FROM node:20 AS build',
        'FROM scratch',
        'COPY a /a',
        'COPY --from=build --link /app/dist /dist',
        'COPY --from=build --chown=1000:1000 --link /app/node_modules /node_modules',
      ].join('\n'),
    },
    {
      name: 'a destination the base image may own as another user: only a quick fix',
      code: ['FROM node:20 AS build', 'FROM node:20-slim', 'COPY --from=build /app/dist /home/node/app'].join('\n'),
      errors: [{ line: 3 }],
      output: null,
      unsafeOutput: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20 AS build',
        'FROM node:20-slim',
        'COPY --from=build --link /app/dist /home/node/app',
      ].join('\n'),
    },
    {
      name: 'a USER before the copy may own the directory: only a quick fix',
      code: ['FROM node:20 AS build', 'FROM node:20-slim', 'USER node', 'COPY --from=build /app/dist /app/dist'].join(
        '\n',
      ),
      errors: [{ line: 4 }],
      output: null,
    },
    {
      name: 'a user name in --chown: no fix',
      code: ['FROM node:20 AS build', 'FROM node:latest', 'COPY --from=build --chown=node:node /app /app'].join('\n'),
      errors: [{ line: 3 }],
      output: null,
    },
  ],
});
