import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL004', {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    // nothing installs afterwards in this stage
    'FROM debian:12\nRUN apt-get update',
    // the install refreshes the index itself
    'FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl',
    // apk add --no-cache fetches its own index
    'FROM alpine:3.19\nRUN apk update\nRUN apk add --no-cache curl',
    // unknown package manager
    'FROM debian:12\nRUN foo-pkg update\nRUN foo-pkg install curl',
  ],
  invalid: [
    {
      code: ['FROM debian:12', 'RUN apt-get update', 'RUN apt-get install -y curl'].join('\n'),
      errors: [{ line: 2, message: '(line 3) reads a stale package index' }],
      output: ['FROM debian:12', 'RUN apt-get update && apt-get install -y curl'].join('\n'),
    },
    {
      name: 'continuation lines, comment, steps in between, env prefix',
      code: [
        'FROM ubuntu:24.04',
        '# refresh',
        'RUN apt-get update \\',
        '    -qq',
        'ENV DEBIAN_FRONTEND=noninteractive',
        'RUN echo hi',
        'RUN apt-get install -y \\',
        '      curl \\',
        '    && rm -rf /var/lib/apt/lists/*',
      ].join('\n'),
      errors: [{ line: 3, message: '(line 7)' }],
      output: [
        'FROM ubuntu:24.04',
        'ENV DEBIAN_FRONTEND=noninteractive',
        'RUN echo hi',
        '# refresh',
        'RUN apt-get update -qq && apt-get install -y \\',
        '      curl \\',
        '    && rm -rf /var/lib/apt/lists/*',
      ].join('\n'),
    },
    {
      name: 'the comment above the update moves with it',
      code: ['FROM debian:12', '# fresh index', 'RUN apt-get update', 'RUN apt-get install -y curl'].join('\n'),
      errors: [{ line: 3 }],
      output: ['FROM debian:12', '# fresh index', 'RUN apt-get update && apt-get install -y curl'].join('\n'),
    },
    {
      code: ['FROM alpine:3.19', 'RUN apk update', 'RUN apk add curl'].join('\n'),
      errors: [{ line: 2 }],
      output: ['FROM alpine:3.19', 'RUN apk update && apk add curl'].join('\n'),
    },
    {
      code: ['FROM fedora:40', 'RUN dnf makecache', 'RUN dnf install -y git'].join('\n'),
      errors: [{ line: 2 }],
      output: ['FROM fedora:40', 'RUN dnf makecache && dnf install -y git'].join('\n'),
    },
    {
      name: 'update with a mount the install lacks: no fix',
      code: [
        'FROM debian:12',
        'RUN --mount=type=cache,target=/var/lib/apt apt-get update',
        'RUN apt-get install -y curl',
      ].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'a trailing # comment on the update would swallow the install: no fix',
      code: ['FROM ubuntu:24.04', 'RUN apt-get update # refresh', 'RUN apt-get install -y curl'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'an install joined with || would swallow a failed update: no fix',
      code: ['FROM ubuntu:24.04', 'RUN apt-get update', 'RUN apt-get install -y curl || true'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'the install runs without network: no fix',
      code: ['FROM ubuntu:24.04', 'RUN apt-get update', 'RUN --network=none apt-get install -y curl'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'exec-form install: no fix',
      code: ['FROM debian:12', 'RUN apt-get update', 'RUN ["apt-get", "install", "-y", "curl"]'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
  ],
});
