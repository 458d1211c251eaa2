import { defineRule } from './rule';

// Reported by the engine (engine/suppressions.ts): only after every rule ran is
// it known whether a suppression hid anything.
export default defineRule({
  id: 'CL902',
  name: 'unused-suppression',
  title: 'Suppression suppresses nothing',
  defaultSeverity: 'info',
  docs: {
    what: 'Finds a `# cachelens ignore=` comment that suppresses no finding.',
    why: 'Stale suppressions outlive the problem they hid and will hide the next one on that line without anybody deciding to.',
    example: ['FROM node:20', '# cachelens ignore=CL001', 'COPY package.json ./'].join('\n'),
    useInstead: ['FROM node:20', 'COPY package.json ./'].join('\n'),
  },
  check() {},
});
