// Runs vsce (ls or package) on a staging copy of the extension.
// Why: package.json's `files` whitelist shapes the npm package (CLI + server
// bundles), .vscodeignore shapes the .vsix (client + server + grammar), and vsce
// refuses a folder that has both. The stage holds exactly the files
// .vscodeignore re-includes, and the manifest without `files`.
//   node scripts/vsix.mjs ls
//   node scripts/vsix.mjs package -o dist/cachelens.vsix
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [command = 'ls', ...rest] = process.argv.slice(2);
const stage = mkdtempSync(join(tmpdir(), 'cachelens-vsix-'));
try {
  const include = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1));
  for (const rel of include) {
    if (rel === 'package.json') continue;
    mkdirSync(dirname(join(stage, rel)), { recursive: true });
    cpSync(join(root, rel), join(stage, rel));
  }
  cpSync(join(root, '.vscodeignore'), join(stage, '.vscodeignore'));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  // an output path is the caller's, relative to the project
  const args = rest.map((a, i) => (rest[i - 1] === '-o' || rest[i - 1] === '--out' ? resolve(root, a) : a));
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, command, '--no-dependencies', ...args], {
    cwd: stage,
    stdio: 'inherit',
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
