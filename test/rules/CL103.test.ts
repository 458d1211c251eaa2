import { ruleTester } from '../helpers/ruleTester';

const code = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';

ruleTester('CL103', {
  valid: [
    {
      name: 'already **/',
      code,
      files: { '.dockerignore': '**/node_modules\n', 'node_modules/a.js': '', 'web/node_modules/b.js': '' },
    },
    { name: 'only at the root', code, files: { '.dockerignore': 'node_modules\n', 'node_modules/a.js': '' } },
    {
      name: 'anchored on purpose with a leading slash',
      code,
      files: { '.dockerignore': '/node_modules\n', 'node_modules/a.js': '', 'web/node_modules/b.js': '' },
    },
    {
      name: 'a path with a slash is anchored in .gitignore too',
      code,
      files: { '.dockerignore': 'web/build\n', 'web/build/a.js': '', 'x/web/build/b.js': '' },
    },
    {
      name: 'ordinary names that recur as source are left alone',
      code,
      files: {
        '.dockerignore': 'config/\n*.md\nLICENSE\n',
        'config/a.yml': '',
        'src/utils/config/index.js': '',
        'install/data/welcome.md': '',
        'vendor/x/LICENSE': '',
      },
    },
    {
      name: 'the nested ones are excluded by another line',
      code,
      files: {
        '.dockerignore': 'node_modules\npackages\n',
        'node_modules/a.js': '',
        'packages/web/node_modules/b.js': '',
      },
    },
  ],
  invalid: [
    {
      name: 'the .gitignore habit',
      code,
      files: {
        '.dockerignore': '.git\nnode_modules\n',
        'node_modules/a.js': '',
        'packages/web/node_modules/b.js': '',
        'packages/web/node_modules/c.js': '',
        'packages/api/node_modules/d.js': '',
      },
      errors: [
        {
          file: '.dockerignore',
          line: 2,
          message:
            '`node_modules` excludes only `./node_modules`; `packages/web/node_modules` (2 files), `packages/api/node_modules` (1 file) are still sent — patterns are anchored at the context root. Use `**/node_modules`.',
        },
      ],
      output: { '.dockerignore': '.git\n**/node_modules\n' },
    },
    {
      name: 'a glob and a trailing slash; nothing at the root',
      code: 'FROM python:3.12\nCOPY . .\n',
      files: { '.dockerignore': '*.pyc\n  __pycache__/\n', 'app/a.pyc': '', 'app/__pycache__/b.pyc': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 1,
          message:
            /^`\*\.pyc` excludes nothing; `app\/a\.pyc` \(1 file\), `app\/__pycache__\/b\.pyc` \(1 file\) are still sent/,
        },
        {
          file: '.dockerignore',
          line: 2,
          message: /^`__pycache__\/` excludes nothing; `app\/__pycache__` \(1 file\) is still sent/,
        },
      ],
      output: { '.dockerignore': '**/*.pyc\n  **/__pycache__\n' },
    },
  ],
});
