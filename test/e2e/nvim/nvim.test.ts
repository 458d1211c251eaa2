// End to end in a real editor: headless Neovim (Debian's 0.7.2) runs
// test/e2e/nvim/e2e.lua against bin/cachelens-language-server on a copy of
// examples/node-app, applies the fixes through Neovim's own LSP client and
// writes the file. Not part of `npm test`; run:
//   node --import tsx --test test/e2e/nvim/nvim.test.ts
// (test/e2e/nvim/run.sh runs one scenario by hand and prints what it saw.)
// Installs neovim with test/e2e/harness/nvim-setup.sh when it is missing, and fails
// (never skips) when that is impossible.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertSplit } from '../../helpers/server';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SERVER_BIN = path.join(REPO, 'bin', 'cachelens-language-server');
const LUA = path.join(REPO, 'test', 'e2e', 'nvim', 'e2e.lua');
const SETUP = path.join(REPO, 'test', 'e2e', 'harness', 'nvim-setup.sh');
const RUN_TIMEOUT_MS = 60_000;

interface EditorDiagnostic {
  lnum: number;
  col: number;
  code?: string;
  source?: string;
  message: string;
  href?: string;
}

interface Result {
  scenario: string;
  ok: boolean;
  error?: string;
  nvim: { major: number; minor: number; patch: number };
  steps: { name: string; at_ms: number }[];
  logs: { type: number; message: string }[];
  original?: string;
  fixed?: string;
  hover?: { kind: string; value: string };
  code_actions?: { title: string; kind: string }[];
  diagnostics_before?: EditorDiagnostic[];
  diagnostics_after?: EditorDiagnostic[];
  server_exit_code?: number;
  total_ms: number;
}

interface Run {
  result: Result | undefined;
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  workspace: string;
}

function nvimVersion(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

function ensureNvim(): string {
  let version = nvimVersion();
  if (!version) {
    const setup = spawnSync('sh', [SETUP], { encoding: 'utf8', timeout: 600_000 });
    version = nvimVersion();
    if (!version) {
      assert.fail(
        `Neovim is not installed and ${path.relative(REPO, SETUP)} could not install it (exit ${setup.status}${setup.error ? `, ${setup.error.message}` : ''}).\n` +
          `Install Neovim >= 0.7 (Debian: apt-get install neovim) and rerun.\n--- setup stdout ---\n${setup.stdout}\n--- setup stderr ---\n${setup.stderr}`,
      );
    }
  }
  const m = /NVIM v(\d+)\.(\d+)/.exec(version);
  assert.ok(m && (Number(m[1]) > 0 || Number(m[2]) >= 7), `need Neovim >= 0.7, found: ${version}`);
  return version;
}

function ensureBuilt(): void {
  if (existsSync(path.join(REPO, 'dist', 'server.js'))) return;
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
}

const scratch: string[] = [];

function runNvim(scenario: string, server = SERVER_BIN): Run {
  const dir = mkdtempSync(path.join(tmpdir(), `cachelens-nvim-${scenario}-`));
  scratch.push(dir);
  const workspace = path.join(dir, 'node-app');
  cpSync(path.join(REPO, 'examples', 'node-app'), workspace, { recursive: true });
  // keep Neovim's config, shada, swap and logs out of $HOME
  const xdg: Record<string, string> = {};
  for (const [name, sub] of [
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_STATE_HOME', 'state'],
    ['XDG_RUNTIME_DIR', 'runtime'],
  ]) {
    xdg[name] = path.join(dir, 'xdg', sub);
    mkdirSync(xdg[name], { recursive: true, mode: 0o700 });
  }
  const resultFile = path.join(dir, 'result.json');
  const started = Date.now();
  const r = spawnSync('nvim', ['--headless', '--noplugin', '-n', '-u', LUA, path.join(workspace, 'Dockerfile')], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    env: {
      ...process.env,
      ...xdg,
      HOME: dir,
      CACHELENS_SERVER: server,
      CACHELENS_ROOT: workspace,
      CACHELENS_SCENARIO: scenario,
      CACHELENS_RESULT: resultFile,
    },
  });
  const wallMs = Date.now() - started;
  const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as Result) : undefined;
  return {
    result,
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : ''),
    wallMs,
    workspace,
  };
}

/** Everything a reader needs when a scenario fails: how nvim ended, its output, and what the script saw. */
function report(run: Run): string {
  const r = run.result;
  return [
    `nvim exit ${run.status}${run.signal ? ` (signal ${run.signal}, timeout ${RUN_TIMEOUT_MS} ms?)` : ''} after ${run.wallMs} ms`,
    r ? `error: ${r.error ?? '(none)'}` : 'no result file was written',
    r ? `steps: ${r.steps.map((s) => `${s.name}@${s.at_ms}ms`).join(', ')}` : '',
    r?.logs.length ? `server log:\n${r.logs.map((l) => `  [${l.type}] ${l.message}`).join('\n')}` : '',
    run.stdout.trim() ? `stdout:\n${run.stdout}` : '',
    run.stderr.trim() ? `stderr:\n${run.stderr}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function completed(run: Run): Result {
  assert.ok(run.result?.ok && run.status === 0, `the Neovim scenario failed\n${report(run)}`);
  return run.result;
}

function contextFileCount(dir: string, rel = ''): number {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).reduce((n, e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return e.name === 'node_modules' ? n : n + contextFileCount(dir, p);
    return p.endsWith('.log') ? n : n + 1;
  }, 0);
}

/** What every scenario must have seen before it edited anything. */
function assertDiagnosedAndHovered(r: Result): void {
  const cl001 = r.diagnostics_before?.find((d) => d.code === 'CL001');
  assert.ok(cl001, `no CL001 in vim.diagnostic: ${JSON.stringify(r.diagnostics_before)}`);
  assert.equal(cl001.lnum, 2, 'CL001 should sit on the `COPY . .` line');
  assert.equal(cl001.source, 'cachelens');
  assert.match(cl001.href ?? '', /rules\.md#cl001/);
  assert.equal(r.hover?.kind, 'markdown');
  assert.match(r.hover?.value ?? '', /Cache key/);
  const files = contextFileCount(path.join(REPO, 'examples', 'node-app'));
  assert.match(
    r.hover?.value ?? '',
    new RegExp(`\\b${files} files\\b`),
    `hover should count the ${files} context files`,
  );
}

function assertFixedAndWritten(run: Run, r: Result, what: string): void {
  assert.ok(r.fixed, 'no fixed text recorded');
  assertSplit(r.fixed, what);
  assert.ok(
    !r.diagnostics_after?.some((d) => d.code === 'CL001'),
    `CL001 still shown after the fix: ${JSON.stringify(r.diagnostics_after)}`,
  );
  assert.equal(
    readFileSync(path.join(run.workspace, 'Dockerfile'), 'utf8'),
    r.fixed,
    ':write did not put the fixed text on disk',
  );
  assert.equal(r.server_exit_code, 0, 'the server should exit cleanly when Neovim stops it');
  assert.deepEqual(
    r.logs.filter((l) => l.type === 1),
    [],
    'the server logged errors',
  );
}

describe('Neovim headless end to end (bin/cachelens-language-server --stdio)', () => {
  let version: string;
  before(() => {
    version = ensureNvim();
    ensureBuilt();
  });
  after(() => {
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  let fixAllText: string | undefined;

  it('quick fix: CL001, hover, "Split dependency manifest copy" applied by Neovim, diagnostics clear', (t) => {
    const run = runNvim('quickfix');
    const r = completed(run);
    t.diagnostic(`${version}; scenario ${r.total_ms} ms inside nvim, ${run.wallMs} ms wall`);
    assertDiagnosedAndHovered(r);
    assert.ok(
      r.code_actions?.some((a) => a.title === 'Split dependency manifest copy' && a.kind === 'quickfix'),
      JSON.stringify(r.code_actions),
    );
    assertFixedAndWritten(run, r, 'quick fix');
    assert.ok(
      r.fixed!.split('\n').includes('RUN npm ci'),
      'the quick fix only reorders; the install command stays as written',
    );
  });

  it('fix-all: source.fixAll.cachelens applied by Neovim leaves no CL001', (t) => {
    const run = runNvim('fixall');
    const r = completed(run);
    t.diagnostic(`scenario ${r.total_ms} ms inside nvim, ${run.wallMs} ms wall`);
    assertDiagnosedAndHovered(r);
    assert.deepEqual(
      r.code_actions?.map((a) => a.kind),
      ['source.fixAll.cachelens'],
    );
    assertFixedAndWritten(run, r, 'fix-all');
    fixAllText = r.fixed;
  });

  it('command: workspace/executeCommand cachelens.fixAll makes the server send an edit Neovim applies, equal to fix-all', (t) => {
    const run = runNvim('command');
    const r = completed(run);
    t.diagnostic(`scenario ${r.total_ms} ms inside nvim, ${run.wallMs} ms wall`);
    assertFixedAndWritten(run, r, 'cachelens.fixAll');
    if (fixAllText !== undefined)
      assert.equal(r.fixed, fixAllText, 'the command and the code action should produce the same text');
  });

  it('the harness reports a server that cannot start as a failure, with the reason', () => {
    const run = runNvim('quickfix', path.join(REPO, 'bin', 'no-such-server'));
    assert.notEqual(run.status, 0, `nvim should exit non-zero\n${report(run)}`);
    assert.equal(run.result?.ok, false, report(run));
    assert.match(run.result?.error ?? '', /no-such-server|not executable|start_client/, report(run));
  });
});
