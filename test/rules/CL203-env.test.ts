// CL203 judges the command with the ENV and ARG values in scope (issue 10 item 5): pnpm and Yarn Berry
// keep to the lockfile when CI is set.
import { ruleTester } from '../helpers/ruleTester';

const pnpm = { 'package.json': '{"name":"a"}', 'pnpm-lock.yaml': '', 'index.js': '' };

ruleTester('CL203', {
  valid: [
    {
      name: 'ENV CI=true: pnpm install is frozen by default',
      code: 'FROM node:20\nENV CI=true\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install\n',
      files: pnpm,
    },
    {
      name: 'CI set on the command',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN CI=1 pnpm install\n',
      files: pnpm,
    },
    {
      name: 'CI from an ARG default',
      code: 'FROM node:20\nARG CI=true\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install\n',
      files: pnpm,
    },
    {
      name: 'the lock flag comes from an ARG default',
      code: 'FROM node:20\nARG PNPM_FLAGS="--frozen-lockfile --prod"\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install $PNPM_FLAGS\n',
      files: pnpm,
    },
  ],
  invalid: [
    {
      name: 'CI=false does not lock',
      code: 'FROM node:20\nENV CI=false\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install\n',
      files: pnpm,
      errors: [{ line: 5 }],
    },
  ],
});
