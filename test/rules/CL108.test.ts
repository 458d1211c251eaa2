import { ruleTester } from '../helpers/ruleTester';

const code = 'FROM node:20\nCOPY . .\n';

ruleTester('CL108', {
  valid: [
    { name: 'only .dockerignore', code, files: { '.dockerignore': '.git\n', 'a.js': '' } },
    { name: 'only the per-Dockerfile file', code, files: { 'Dockerfile.dockerignore': '.git\n', 'a.js': '' } },
  ],
  invalid: [
    {
      name: 'both exist: reported on the shadowed file, with what no longer applies',
      code,
      files: { '.dockerignore': '.git\n**/node_modules\n*.log\n', 'Dockerfile.dockerignore': '.git\n', 'a.js': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 1,
          message:
            'Not used for `Dockerfile`: BuildKit reads `Dockerfile.dockerignore` beside it instead (the classic builder still reads this file). Its `**/node_modules`, `*.log` do not apply there.',
        },
      ],
      output: null,
    },
  ],
});
