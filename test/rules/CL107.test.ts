import { ruleTester } from '../helpers/ruleTester';

const code = 'FROM node:20\nCOPY . .\n';

ruleTester('CL107', {
  valid: [
    {
      name: 'comments in column 1, exceptions after their pattern',
      code,
      files: { '.dockerignore': '# deps\nnode_modules\n*.md\n!README.md\n', 'README.md': '', 'node_modules/a.js': '' },
    },
    { name: 'a # inside a name is literal', code, files: { '.dockerignore': 'issue#12\n', 'issue#12': '' } },
    {
      name: 'wildcard exception that both builders agree on (no excluded folder around it)',
      code,
      files: { '.dockerignore': '*.py\n!**/keep.py\n', 'a.py': '', 'keep.py': '' },
    },
  ],
  invalid: [
    {
      name: 'a trailing comment is part of the pattern',
      code,
      files: { '.dockerignore': 'node_modules  # dependencies\n', 'node_modules/a.js': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 1,
          message:
            'The `# dependencies` is part of the pattern: Docker has no trailing comments, so this line matches a file literally named `node_modules  # dependencies`, not `node_modules`. Put the comment on its own line.',
        },
      ],
      output: { '.dockerignore': '# dependencies\nnode_modules\n' },
    },
    {
      name: 'leading whitespace before # makes a pattern',
      code,
      files: { '.dockerignore': '.git\n   # build outputs\ndist\n', 'dist/a.js': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 2,
          message:
            'Not a comment: Docker treats `#` as a comment only in column 1, so this line is the pattern `# build outputs`.',
        },
      ],
      output: { '.dockerignore': '.git\n# build outputs\ndist\n' },
    },
    {
      name: 'an unclosed [ and a lone !',
      code,
      files: { '.dockerignore': 'logs/[abc\n!\n', 'logs/a': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 1,
          message: /^Invalid pattern: Docker refuses the whole build \("syntax error in pattern"\)/,
        },
        { file: '.dockerignore', line: 2, message: 'A lone `!` is an invalid pattern' },
      ],
      output: { '.dockerignore': 'logs/[abc\n' },
    },
    {
      name: 'an inverted range fails when first used',
      code,
      files: { '.dockerignore': 'file[z-a]\n', a: '' },
      errors: [{ file: '.dockerignore', line: 1, message: /fails the build when the pattern is first used.*z-a/ }],
      output: null,
    },
    {
      name: 'an exception before the pattern it means to override has no effect',
      code,
      files: { '.dockerignore': '!README.md\n*.md\n.git\n', 'README.md': '', 'CHANGES.md': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 1,
          message:
            '`!README.md` has no effect: line 2 (`*.md`) comes after it and excludes its 1 file again — the last matching line wins. Move the exception below line 2.',
        },
      ],
      output: null,
      unsafeOutput: { '.dockerignore': '*.md\n!README.md\n.git\n' },
    },
    {
      name: 'a wildcard exception inside an excluded folder: BuildKit and the classic builder disagree',
      code,
      files: { '.dockerignore': 'vendor\n!**/*.go\n', 'vendor/lib/a.go': '', 'vendor/lib/b.c': '', 'main.go': '' },
      errors: [
        {
          file: '.dockerignore',
          line: 2,
          message:
            'BuildKit re-includes 1 file through `!**/*.go` (e.g. `vendor/lib/a.go`), but the classic builder (DOCKER_BUILDKIT=0) skips the excluded folder `vendor`',
        },
      ],
      output: null,
    },
  ],
});
