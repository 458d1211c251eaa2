// The layer check (`npm run lint:layers`). Each folder of server/src sits on a
// floor; a file may import its own folder and folders on lower floors, never a
// folder on its own floor or above, and never in a cycle. CONTRIBUTING.md has
// the same picture in words.
const FLOORS = [
  ['parse'],
  ['context', 'ecosystems', 'builds'],
  ['cache'],
  ['rules', 'history'],
  ['engine', 'formats'],
  ['lsp', 'cli', 'cli.ts', 'server.ts'],
];
const ENTRY_IMPORTS = { 'server.ts': ['lsp'], 'cli.ts': ['cli'] };

const at = (name) => (name.endsWith('.ts') ? `^server/src/${name.replace('.', '\\.')}$` : `^server/src/${name}/`);
const forbidden = [];
FLOORS.forEach((floor, level) => {
  for (const name of floor) {
    const higher = FLOORS.slice(level + 1).flat();
    const siblings = floor.filter((other) => other !== name && !(ENTRY_IMPORTS[name] ?? []).includes(other));
    const banned = [...higher, ...siblings];
    if (banned.length === 0) continue;
    forbidden.push({
      name: `layer-${name.replace('.ts', '')}`,
      comment: `${name} sits on floor ${level}; it may not import ${banned.join(', ')}`,
      severity: 'error',
      from: { path: at(name) },
      to: { path: banned.map(at).join('|') },
    });
  }
});
forbidden.push(
  {
    name: 'no-cycles',
    comment: 'Imports between the files of server/src form no cycle.',
    severity: 'error',
    from: { path: '^server/src/' },
    to: { circular: true },
  },
  {
    name: 'no-vscode-below-client',
    comment: "Only client/ imports 'vscode'.",
    severity: 'error',
    from: { path: '^server/' },
    to: { path: '^vscode$', dependencyTypes: ['core', 'npm', 'unknown', 'undetermined', 'npm-dev', 'type-only'] },
  },
  {
    name: 'no-lsp-below-lsp',
    comment: 'vscode-languageserver is imported only by server.ts and lsp/.',
    severity: 'error',
    from: { path: '^server/src/', pathNot: '^server/src/(server\\.ts$|lsp/)' },
    to: { path: 'vscode-languageserver' },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
