import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL105', {
  valid: [
    {
      name: 'manifests reach the build',
      code: 'FROM node:20\nCOPY package.json package-lock.json ./\nRUN npm ci\n',
      files: { '.dockerignore': '*.md\n', 'package.json': '{}', 'package-lock.json': '{}' },
    },
    {
      name: 'an exception keeps the lockfile',
      code: 'FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n',
      files: { '.dockerignore': '*.lock\n!yarn.lock\n', 'package.json': '{}', 'yarn.lock': '', 'x.lock': '' },
    },
    {
      name: 'an excluded lockfile of a tool the Dockerfile does not use',
      code: 'FROM node:20\nCOPY . .\nRUN npm ci\n',
      files: { '.dockerignore': '*.lock\n', 'package.json': '{}', 'package-lock.json': '{}', 'yarn.lock': '' },
    },
    {
      name: 'no install step',
      code: 'FROM node:20\nCOPY . .\n',
      files: { '.dockerignore': '*.json\n', 'package.json': '{}' },
    },
  ],
  invalid: [
    {
      name: '*.json shuts out the manifest and the lockfile of a whole-context copy',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      files: { '.dockerignore': '.git\n*.json\n', 'package.json': '{}', 'package-lock.json': '{}', 'src/a.js': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 2,
          message:
            '`*.json` excludes `package.json`, `package-lock.json`, which `npm ci` (Dockerfile line 4) reads: the install fails or resolves other versions. Add `!package.json`, `!package-lock.json` after it.',
        },
      ],
      output: { '.dockerignore': '.git\n*.json\n!package.json\n!package-lock.json\n' },
    },
    {
      name: 'a named lockfile copy, in a sub-project',
      code: 'FROM ruby:3.3\nWORKDIR /app/api\nCOPY api/Gemfile api/Gemfile.lock ./\nRUN bundle install\n',
      files: { '.dockerignore': '**/*.lock\n', 'api/Gemfile': '', 'api/Gemfile.lock': '' },
      errors: [
        { file: '.dockerignore', line: 1, message: '`**/*.lock` excludes `api/Gemfile.lock`, which `bundle install`' },
      ],
      output: { '.dockerignore': '**/*.lock\n!api/Gemfile.lock\n' },
    },
  ],
});
