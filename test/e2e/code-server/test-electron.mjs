// Runs the extension-host suite under @vscode/test-electron, which downloads
// VS Code. Where no download is possible (these build machines), the same
// suite runs in code-server: npm run test:e2e:vscode.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'cachelens-vscode-'));
cpSync(join(root, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'e2e', 'code-server', 'extension-host-suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : e}`);
  console.error('Where VS Code cannot be downloaded, run the same suite in code-server: npm run test:e2e:vscode');
  process.exit(1);
}
