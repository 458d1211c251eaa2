import { defineRule } from './rule';

// Reported by the engine (engine/suppressions.ts), which alone sees the
// suppression comments next to the registry of ids.
export default defineRule({
  id: 'CL901',
  name: 'unknown-suppression',
  title: 'Suppression names an unknown rule',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a `# cachelens ignore=` comment that names an id no cachelens rule has.',
    why: 'A typo in a suppression silently suppresses nothing, and the finding it meant to hide keeps showing — or a real one is hidden under a wrong id.',
    example: ['# cachelens ignore=CL01', 'COPY . .'].join('\n'),
    useInstead: ['# cachelens ignore=CL001', 'COPY . .'].join('\n'),
  },
  check() {},
});
