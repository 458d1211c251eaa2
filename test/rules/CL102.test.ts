import { ruleTester } from '../helpers/ruleTester';

const node =
  'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';

ruleTester('CL102', {
  valid: [
    {
      name: 'everything volatile is excluded',
      code: node,
      files: {
        '.dockerignore': '.git\n**/node_modules\ndist\nDockerfile\n.dockerignore\n',
        Dockerfile: node,
        'package.json': '{}',
        '.git/HEAD': '',
        'node_modules/a.js': '',
        'web/node_modules/b.js': '',
        'dist/x.js': '',
      },
    },
    {
      name: 'no whole-folder copy',
      code: 'FROM node:20\nCOPY package.json ./\nRUN npm ci\n',
      files: { '.dockerignore': '', 'package.json': '{}', '.git/HEAD': '' },
    },
    {
      name: 'committed env templates (.env.dev-azure.example) are not secrets',
      code: node,
      files: {
        '.dockerignore': '.git\nDockerfile\n.dockerignore\n',
        Dockerfile: node,
        'package.json': '{}',
        '.env.dev-azure.example': 'A=',
        '.env.sample': 'B=',
      },
    },
    { name: "no ignore file is CL101's", code: node, files: { 'package.json': '{}', '.git/HEAD': '' } },
    {
      name: 'a folder copy that holds nothing volatile',
      code: 'FROM node:20\nCOPY src/ /app/src/\n',
      files: { '.dockerignore': 'x\n', 'src/a.js': '', '.git/HEAD': '' },
    },
    {
      name: "a root-anchored name is CL103's",
      code: node,
      files: { '.dockerignore': 'node_modules\n.dockerignore\n', 'package.json': '{}', 'web/node_modules/b.js': '' },
    },
  ],
  invalid: [
    {
      name: 'appends what is missing, finding on the first line of the ignore file',
      code: node,
      files: {
        '.dockerignore': '# local\n**/node_modules',
        'package.json': '{}',
        'package-lock.json': '{}',
        '.git/HEAD': 'ref: x',
        '.git/index': '0123456789',
        'node_modules/a.js': '',
        '.env': 'S=1',
        'logs/app.log': 'x',
      },
      errors: [
        {
          file: '.dockerignore',
          line: 1,
          message:
            /^The context still sends `\.git\/` \(2 files, 16 B\), `\.env` \(1 file, 3 B\), `logs\/app\.log` \(1 file, 1 B\), `\.dockerignore` \(1 file, 2[34] B\) to `COPY \. \.`: each change misses its cache\. Add `\.git`, `\*\*\/\.env`, `\*\*\/\*\.log`, `\.dockerignore`\.$/,
        },
      ],
      output: { '.dockerignore': '# local\n**/node_modules\n.git\n**/*.log\n.dockerignore\n' },
      fixes: [
        [
          'Add .git, **/*.log, .dockerignore to .dockerignore',
          'Add .git, **/.env, **/*.log, .dockerignore to .dockerignore',
        ],
      ],
    },
    {
      name: 'a sub-project copy sends its own node_modules',
      code: 'FROM node:20\nWORKDIR /app\nCOPY frontend/ ./\nRUN npm ci\n',
      files: { '.dockerignore': '.git\n', 'frontend/package.json': '{}', 'frontend/node_modules/x/i.js': 'abc' },
      errors: [
        { file: '.dockerignore', line: 1, message: '`frontend/node_modules/` (1 file, 3 B) to `COPY frontend/ ./`' },
      ],
      output: { '.dockerignore': '.git\n**/node_modules\n' },
    },
  ],
});
