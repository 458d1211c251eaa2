// Makes dist/server.bundle.cache, the V8 code cache dist/server.js starts the
// server with (server/src/codeCache.ts): runs the bundle in a child process that
// gets initialize and the didOpen of examples/node-app/Dockerfile, waits for its
// diagnostics, asks it to exit, and lets it write what V8 compiled by then.
// Made with the node that builds: another V8 (an editor's Electron) ignores it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

function frame(msg) {
  const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Writes `out` for `bundle`; resolves false (and leaves no cache) when anything goes wrong. */
export async function makeCodeCache(bundle, out) {
  rmSync(out, { force: true });
  const tmp = mkdtempSync(path.join(tmpdir(), 'cachelens-code-cache-'));
  try {
    const child = path.join(tmp, 'child.js');
    await build({
      entryPoints: [path.join(root, 'scripts', 'code-cache-child.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: child,
      logLevel: 'warning',
    });
    const dockerfile = path.join(root, 'examples', 'node-app', 'Dockerfile');
    const folder = pathToFileURL(path.join(root, 'examples')).href;
    const uri = pathToFileURL(dockerfile).href;
    const proc = spawn(process.execPath, [child, bundle, out, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    let seen = '';
    let asked = false;
    proc.stdout.on('data', (d) => {
      seen += d.toString('utf8');
      if (asked || !seen.includes('"textDocument/publishDiagnostics"') || !seen.includes(uri)) return;
      asked = true;
      proc.stdin.write(frame({ id: 2, method: 'shutdown' }));
      proc.stdin.write(frame({ method: 'exit' }));
    });
    proc.stdin.write(
      frame({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: folder, capabilities: {} } }),
    );
    proc.stdin.write(frame({ method: 'initialized', params: {} }));
    const text = readFileSync(dockerfile, 'utf8');
    proc.stdin.write(
      frame({
        method: 'textDocument/didOpen',
        params: { textDocument: { uri, languageId: 'dockerfile', version: 1, text } },
      }),
    );
    const timer = setTimeout(() => proc.kill(), 30_000);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0 || !asked) {
      rmSync(out, { force: true });
      console.warn(`code cache: not made (the server exited with ${code} before its first diagnostics)`);
      return false;
    }
    return true;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
