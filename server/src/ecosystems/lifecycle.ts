// What npm-style lifecycle scripts (preinstall, install, postinstall, prepare) read, as data: an
// install runs them, so a manifest split must bring what they read or not be offered as safe.

import { splitCommands, type SimpleCommand } from '../parse/shell';

/** The lifecycle scripts an install runs (npm, Yarn, pnpm, Bun). */
export const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];

/**
 * Programs a lifecycle script runs, by what they read: `reads` are folders/files relative to the
 * package (`prisma generate` reads `prisma/`); `readsNothing` tools need no file of the project
 * (git hooks installers, guards, messages); `runsFile` programs read the file named by their first
 * argument (and `-e` code reads the paths it names).
 */
export const LIFECYCLE_TOOLS: {
  tools: string[];
  reads?: string[];
  readsNothing?: boolean;
  runsFile?: boolean;
  flagValueReads?: string[];
}[] = [
  {
    tools: [
      'husky',
      'is-ci',
      'only-allow',
      'echo',
      'true',
      'false',
      'exit',
      'printf',
      ':',
      'lefthook',
      'simple-git-hooks',
      'git',
      'opencollective-postinstall',
      'ngcc',
      'msw',
      'playwright',
      'mkdir',
      'rm',
      'test',
      '[',
      'cd',
    ],
    readsNothing: true,
  },
  { tools: ['prisma'], reads: ['prisma'], flagValueReads: ['--schema'] },
  { tools: ['patch-package'], reads: ['patches'] },
  { tools: ['node', 'sh', 'bash', 'tsx', 'ts-node', 'bun', 'zx', 'deno'], runsFile: true },
];

/** Runners whose next word is the program (`npx prisma generate`, `pnpm exec prisma`, `yarn prisma`). */
const RUNNERS = new Set(['npx', 'pnpx', 'bunx']);
const SCRIPT_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);

export interface LifecycleReads {
  /** paths (relative to the package) the scripts name and that exist */
  paths: string[];
  /** commands whose inputs cannot be named (a build, a code generator of unknown inputs) */
  unknown: string[];
}

/**
 * What a package's lifecycle scripts read. `exists` says whether a path (relative to the package) is a
 * file or folder of the context.
 */
export function lifecycleReads(
  scripts: Record<string, unknown>,
  exists: (path: string) => boolean,
  extraReads: (tool: string) => string[] = () => [],
): LifecycleReads {
  const paths = new Set<string>();
  const unknown: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, depth: number) => {
    const text = scripts[name];
    if (typeof text !== 'string' || seen.has(name) || depth > 4) return;
    seen.add(name);
    for (const command of splitCommands(text)) visitCommand(command, depth);
  };
  const visitCommand = (command: SimpleCommand, depth: number) => {
    let argv = command.argv;
    if (!argv.length) return;
    if (RUNNERS.has(argv[0])) argv = argv.slice(1).filter((w, i) => i > 0 || !w.startsWith('-'));
    else if (SCRIPT_RUNNERS.has(argv[0])) {
      const rest = argv.slice(1);
      if (rest[0] === 'run' || rest[0] === 'run-script') return visit(rest[1] ?? '', depth + 1);
      if (rest[0] === 'exec' || rest[0] === 'dlx' || rest[0] === 'x') argv = rest.slice(1);
      else if (argv[0] !== 'npm' && rest[0] && typeof scripts[rest[0]] === 'string') return visit(rest[0], depth + 1);
      else if (argv[0] !== 'npm' && rest[0] && !rest[0].startsWith('-')) argv = rest;
      else return void unknown.push(command.argv.join(' '));
    }
    const tool = (argv[0] ?? '').split('/').pop()!;
    const known = LIFECYCLE_TOOLS.find((t) => t.tools.includes(tool));
    if (!known) return void unknown.push(command.argv.join(' '));
    if (known.readsNothing) return;
    // paths the command names (also inside `node -e "…"` code)
    for (const word of argv
      .slice(1)
      .join(' ')
      .match(/[A-Za-z0-9_@.][A-Za-z0-9_@./-]*/g) ?? []) {
      const p = word.replace(/^\.\//, '').replace(/\/+$/, '');
      if (p && p !== '.' && !p.startsWith('..') && /[./]/.test(p) && exists(p)) paths.add(p);
    }
    for (const r of [...(known.reads ?? []), ...extraReads(tool)]) if (exists(r)) paths.add(r);
    argv.forEach((w, i) => {
      if (known.flagValueReads?.includes(w) && argv[i + 1] && exists(argv[i + 1].replace(/^\.\//, '')))
        paths.add(argv[i + 1].replace(/^\.\//, ''));
      const eq = known.flagValueReads?.find((f) => w.startsWith(f + '='));
      if (eq && exists(w.slice(eq.length + 1).replace(/^\.\//, '')))
        paths.add(w.slice(eq.length + 1).replace(/^\.\//, ''));
    });
    if (known.runsFile) {
      const file = argv.slice(1).find((w) => !w.startsWith('-'));
      const inline = argv.includes('-e') || argv.includes('--eval') || argv.includes('-c');
      // a script file that exists is named (and copied), but what it reads in turn is not known (a real build of
      // `node scripts/gen.js` reading schema/ failed after the split): the split is not a safe fix then
      if (!inline || !(file && exists(file.replace(/^\.\//, '')))) unknown.push(command.argv.join(' '));
    }
  };
  for (const name of LIFECYCLE_SCRIPTS) visit(name, 0);
  return { paths: [...paths].sort(), unknown };
}
