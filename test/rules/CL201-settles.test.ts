// Fix-all must settle in one run however many installs stand in a row (fuzz input
// seed 12 #11538, #11708): a later install of the same manager gets no mount while
// an earlier unmounted one fills the cache, so each pass used to mount one more.
import { ruleTester } from '../helpers/ruleTester';

const runs = (n: number, run: string) => Array.from({ length: n }, () => run);

ruleTester('CL201', {
  valid: [],
  invalid: [
    {
      name: 'twelve npm installs in a row: the first fix mounts them all',
      code: ['FROM node:20', ...runs(12, 'RUN npm i')].join('\n'),
      errors: [{ line: 2 }],
      fixes: [['Add cache mount for npm (and 11 later steps)']],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM node:20',
        ...runs(12, 'RUN --mount=type=cache,target=/root/.npm npm i'),
      ].join('\n'),
    },
    {
      name: 'the minimized fuzz input: no image, twelve pip installs',
      code: ['FROM', ...runs(12, 'RUN pip install -r')].join('\n'),
      errors: [{ line: 2 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM',
        ...runs(12, 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r'),
      ].join('\n'),
    },
    {
      name: 'a later install whose mount is not safe stops the chain there, as the passes would',
      code: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12 AS build',
        'RUN pip install -r requirements.txt',
        'RUN pip install -r requirements.txt',
        'RUN pip install -r requirements.txt && rm -rf /root/.cache',
        'RUN pip install -r requirements.txt',
        'FROM python:3.12',
      ].join('\n'),
      errors: [{ line: 3 }],
      output: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12 AS build',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
        'RUN pip install -r requirements.txt && rm -rf /root/.cache',
        'RUN pip install -r requirements.txt',
        'FROM python:3.12',
      ].join('\n'),
    },
    {
      // fuzz input seed 44 #3889: the regular expression that finds the command to rewrite
      // overflowed V8's stack (a rule error); past 2000 words the cleanup is not rewritten
      name: 'a command of 10,000 words: the mount is offered, not applied',
      code: `FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt ${'src/ '.repeat(10_000)}/app/`,
      errors: [{ line: 2 }],
      output: null,
    },
  ],
});
