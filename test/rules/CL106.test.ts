import { contextRuleTester } from '../helpers/contextRuleTester';

const code = 'FROM node:20\nCOPY . .\n';

contextRuleTester('CL106', {
  valid: [
    { name: 'every line matches something', code, files: { '.dockerignore': 'docs\n*.md\n!README.md\n', 'docs/a.txt': '', 'README.md': '', 'x.md': '' } },
    { name: 'guards against files that appear later: dependencies, logs, secrets, Docker files', code, files: { '.dockerignore': 'node_modules\n**/*.log\n.env\n.env.*\nDockerfile*\n.git\ndist\nnpm-debug.log*\n', 'src/a.js': '' } },
    { name: 'what .gitignore lists', code, files: { '.dockerignore': 'generated-client\n/reports/\n', '.gitignore': '/generated-client\nreports/\n', 'src/a.js': '' } },
    { name: 'a root-anchored name with deeper matches is CL103\'s', code, files: { '.dockerignore': 'fixtures\n', 'test/fixtures/a.json': '' } },
    { name: 'an invalid pattern is CL107\'s', code, files: { '.dockerignore': 'foo[\n', 'a.js': '' } },
  ],
  invalid: [
    {
      name: 'a typo and a path relative to the wrong folder; the fix removes the lines',
      code,
      files: { '.dockerignore': '.git\nscr/generated\n  /app/secret.json\n*.md\n', 'src/generated/x.js': '', 'secret.json': '', 'README.md': '' },
      errors: [
        { file: '.dockerignore', line: 2, message: '`scr/generated` matches nothing in the build context `./` (4 files); patterns are relative to the context root.' },
        { file: '.dockerignore', line: 3, message: '`/app/secret.json` matches nothing' },
      ],
      output: { '.dockerignore': '.git\n*.md\n' },
    },
    {
      name: 'the last line, without a line break',
      code,
      files: { '.dockerignore': '*.md\ntmp-build', 'README.md': '' },
      errors: [{ file: '.dockerignore', line: 2 }],
      output: { '.dockerignore': '*.md' },
    },
  ],
});
