import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL104', {
  valid: [
    {
      name: 'source reaches the build',
      code: 'FROM nginx\nCOPY dist/ /usr/share/nginx/html/\n',
      files: { '.dockerignore': 'node_modules\n', 'dist/index.html': '' },
    },
    {
      name: 'an exception brings part of it back',
      code: 'FROM nginx\nCOPY dist/ /html/\n',
      files: { '.dockerignore': 'dist\n!dist/index.html\n', 'dist/index.html': '', 'dist/a.map': '' },
    },
    {
      name: "a source that does not exist is not this rule's",
      code: 'FROM nginx\nCOPY build/ /html/\n',
      files: { '.dockerignore': 'dist\n', 'dist/index.html': '' },
    },
    {
      name: "a manifest an install needs is CL105's",
      code: 'FROM node:20\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n',
      files: { '.dockerignore': '*.lock\n', 'package.json': '{}', 'yarn.lock': '' },
    },
    {
      name: 'whole context and variables are skipped',
      code: 'FROM alpine\nARG D=x\nCOPY . .\nCOPY ${D} /d\n',
      files: { '.dockerignore': '*\n', 'x/a': '' },
    },
  ],
  invalid: [
    {
      name: 'a folder excluded by name; exception first, removal as the unsafe choice',
      code: 'FROM nginx:alpine\nCOPY ./dist/ /usr/share/nginx/html/\n',
      files: { '.dockerignore': '.git\ndist/*\n', 'dist/index.html': '', 'dist/app.js': '' },
      errors: [
        {
          line: 2,
          message:
            'all 2 files of `./dist/` are excluded by `.dockerignore` line 2 (`dist/*`): the step fails or copies nothing. Add an exception `!dist`.',
        },
      ],
      output: { '.dockerignore': '.git\ndist/*\n!dist\n' },
      fixes: [['Add !dist to .dockerignore', 'Remove `dist/*` from .dockerignore']],
      unsafeOutput: { '.dockerignore': '.git\ndist/*\n!dist\n' },
    },
    {
      name: 'the line names exactly the source: removing it is the fix',
      code: 'FROM nginx:alpine\nCOPY dist /usr/share/nginx/html/\n',
      files: { '.dockerignore': '.git\ndist/\n*.md\n', 'dist/index.html': '' },
      errors: [
        { line: 2, message: 'by `.dockerignore` line 2 (`dist/`): the step fails or copies nothing. Remove the line.' },
      ],
      output: { '.dockerignore': '.git\n*.md\n' },
    },
    {
      name: 'also with exceptions present that do not cover it (BuildKit skips its own check then)',
      code: 'FROM python:3.12\nCOPY config.yaml /etc/app/\n',
      files: { '.dockerignore': '*\n!src\n', 'config.yaml': 'a: 1', 'src/a.py': '' },
      errors: [{ line: 2, message: '`config.yaml` is excluded by `.dockerignore` line 1 (`*`)' }],
      output: { '.dockerignore': '*\n!src\n!config.yaml\n' },
    },
    {
      name: 'several excluded sources: one fix adds every exception, so fix-all converges in one pass (fuzz seed 3 #410)',
      code: 'FROM alpine\nCOPY a b /x/\nCOPY c /y/\n',
      files: { '.dockerignore': '*\n', a: '', b: '', c: '' },
      errors: [
        { line: 2, message: '`a` is excluded by `.dockerignore` line 1 (`*`)' },
        { line: 2, message: '`b` is excluded' },
        { line: 3, message: '`c` is excluded' },
      ],
      output: { '.dockerignore': '*\n!a\n!b\n!c\n' },
      fixes: [
        ['Add !a, !b, !c to .dockerignore', 'Remove `*` from .dockerignore'],
        ['Add !a, !b, !c to .dockerignore', 'Remove `*` from .dockerignore'],
        ['Add !a, !b, !c to .dockerignore', 'Remove `*` from .dockerignore'],
      ],
    },
    {
      name: 'a glob source whose every match is excluded',
      code: 'FROM python:3.12\nCOPY *.whl /wheels/\n',
      files: { '.dockerignore': '# wheels\n*.whl', 'a-1.0.whl': '', 'b-2.0.whl': '' },
      errors: [{ line: 2, message: 'all 2 files of `*.whl` are excluded' }],
      output: { '.dockerignore': '# wheels' },
    },
  ],
});
