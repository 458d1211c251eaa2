import { ruleTester } from '../helpers/ruleTester';

const code = 'FROM node:20\nCOPY . .\n';

ruleTester('CL106', {
  valid: [
    {
      name: 'every line matches something',
      code,
      files: { '.dockerignore': 'docs\n*.md\n!README.md\n', 'docs/a.txt': '', 'README.md': '', 'x.md': '' },
    },
    {
      name: 'guards against files that appear later: dependencies, logs, secrets, Docker files',
      code,
      files: {
        '.dockerignore': 'node_modules\n**/*.log\n.env\n.env.*\nDockerfile*\n.git\ndist\nnpm-debug.log*\n',
        'src/a.js': '',
      },
    },
    {
      name: 'what .gitignore lists',
      code,
      files: {
        '.dockerignore': 'generated-client\n/reports/\n',
        '.gitignore': '/generated-client\nreports/\n',
        'src/a.js': '',
      },
    },
    {
      name: "a root-anchored name with deeper matches is CL103's",
      code,
      files: { '.dockerignore': 'fixtures\n', 'test/fixtures/a.json': '' },
    },
    { name: "an invalid pattern is CL107's", code, files: { '.dockerignore': 'foo[\n', 'a.js': '' } },
    {
      name: 'bare names from a template guard against files that may appear',
      code,
      files: { '.dockerignore': 'logs\npids\n*.seed\n.grunt\n*.pem\n', 'a.js': '' },
    },
    {
      name: 'what a nested .gitignore lists, as a path',
      code,
      files: {
        '.dockerignore': 'packages/api/uploads\n',
        'packages/api/.gitignore': 'uploads/\n',
        'packages/api/a.js': '',
      },
    },
    {
      name: 'located guards of secrets, local data and generated output',
      code,
      files: {
        '.dockerignore':
          'priv/cert\nconfig/master.key\ndata/database.sqlite\n/priv/static/assets/\nfrontend/.pnp.js\nconfig/autoload/*local*\ndeploy/prod.yaml\n',
        'a.js': '',
        'config/app.js': '',
        'priv/repo/x.exs': '',
        'frontend/a.js': '',
      },
    },
    {
      name: 'a path inside a volatile folder',
      code,
      files: { '.dockerignore': '!.vscode/settings.json\n.git/modules\n', 'a.js': '' },
    },
  ],
  invalid: [
    {
      name: 'a typo and a path relative to the wrong folder; the fix removes the lines',
      code,
      files: {
        '.dockerignore': '.git\nscr/generated\n  /app/secret.json\n*.md\n',
        'src/generated/x.js': '',
        'secret.json': '',
        'README.md': '',
      },
      errors: [
        {
          file: '.dockerignore',
          line: 2,
          message:
            '`scr/generated` matches nothing in the build context `./` (4 files). Patterns are relative to the context root.',
        },
        { file: '.dockerignore', line: 3, message: '`/app/secret.json` matches nothing' },
      ],
      output: null,
      unsafeOutput: { '.dockerignore': '.git\n*.md\n' },
    },
    {
      name: 'an exception with nothing to bring back, on the last line without a line break',
      code,
      files: { '.dockerignore': '*.md\n!docs', 'README.md': '' },
      errors: [{ file: '.dockerignore', line: 2, message: '`!docs` matches nothing' }],
      output: null,
      unsafeOutput: { '.dockerignore': '*.md' },
    },
    {
      name: 'a near-miss of a real root name',
      code,
      files: { '.dockerignore': 'fixtures\nfixture\n', 'fixtures/a.json': '', 'tests/a.js': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 2,
          message: '`fixture` matches nothing in the build context `./` (3 files). Did you mean `fixtures`?',
        },
      ],
      output: null,
      unsafeOutput: { '.dockerignore': 'fixtures\n' },
    },
  ],
});
