// Shared machinery of the code-server end-to-end scripts: where setup.sh put
// things, a throw-away run folder (XDG dirs, user data, extensions, a copy of
// the examples), code-server in its own process group, and chromium driven by
// playwright-core. run.mjs (UI checks) and vscode-tests.mjs (extension-host
// test suite) both build on it.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const cache = resolve(process.env.CACHELENS_E2E_CACHE ?? join(repo, '.e2e-cache'));
export const codeServerBin = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules/.bin/code-server');
export const chromiumBin = process.env.CACHELENS_E2E_CHROMIUM ?? '/usr/bin/chromium';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what, fn, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (${last.message.split('\n')[0]})` : ''}`,
      );
    await sleep(intervalMs);
  }
}

export function tail(file, lines) {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

export function findFiles(dir, pred, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

export function missingTools() {
  const problems = [];
  if (!existsSync(codeServerBin))
    problems.push(`code-server not installed at ${codeServerBin}: run test/e2e/harness/setup.sh`);
  if (!existsSync(chromiumBin)) problems.push(`chromium not found at ${chromiumBin}: run test/e2e/harness/setup.sh`);
  return problems;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function loadPlaywright() {
  for (const base of [join(repo, 'package.json'), join(cache, 'playwright-core/package.json')]) {
    try {
      return createRequire(base)('playwright-core');
    } catch {
      /* try next */
    }
  }
  throw new Error('playwright-core not found: run test/e2e/harness/setup.sh (or npm ci)');
}

// ---------------------------------------------------------------- run folder
// Settings that quiet the workbench: no welcome page, trust prompt, update
// checks or tips covering what the screenshots are meant to show.
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'window.zoomLevel': 0,
};

/** A fresh temp folder holding everything one run writes; the examples are copied so fixes never touch the repo. */
export function createRun(examples) {
  const root = mkdtempSync(join(tmpdir(), 'cachelens-e2e-'));
  const run = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    browser: join(root, 'browser'),
    workspace: join(root, 'examples'),
    xdg: join(root, 'xdg'),
    codeServerLog: join(root, 'code-server.log'),
  };
  for (const d of [run.userData, run.extensions, run.browser, run.workspace, run.xdg])
    mkdirSync(d, { recursive: true });
  cpSync(examples, run.workspace, { recursive: true });
  run.env = {
    ...process.env,
    XDG_CONFIG_HOME: join(run.xdg, 'config'),
    XDG_DATA_HOME: join(run.xdg, 'data'),
    XDG_CACHE_HOME: join(run.xdg, 'cache'),
  };
  mkdirSync(join(run.userData, 'User'), { recursive: true });
  writeFileSync(join(run.userData, 'User/settings.json'), JSON.stringify(quietSettings, null, 2));
  return run;
}

/** Installs a .vsix the way a user would; returns an error text, or null on success. */
export function installExtension(run, vsix) {
  const r = spawnSync(
    codeServerBin,
    ['--user-data-dir', run.userData, '--extensions-dir', run.extensions, '--install-extension', vsix],
    { env: run.env, encoding: 'utf8', timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  writeFileSync(join(run.root, 'install-extension.log'), out);
  if (r.status === 0 && /successfully installed/i.test(out)) return null;
  return `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}: ${out.trim().slice(-800)}`;
}

/** The error an extension's activation failed with, from the extension host log, or null. */
export function activationError(run, extensionId) {
  const marker = `Activating extension ${extensionId} failed`;
  for (const f of findFiles(join(run.userData, 'logs'), (p) => /exthost\.log$/.test(p))) {
    const text = readFileSync(f, 'utf8');
    const at = text.indexOf(marker);
    if (at < 0) continue;
    // The next line holds the error: `<timestamp> [error] Error: …`.
    const next = text.slice(at).split('\n')[1] ?? '';
    return next.replace(/^.*?\[error\]\s*/, '').trim() || text.slice(at).split('\n')[0];
  }
  return null;
}

/** Tails of code-server's log, the extension host's log and anything cachelens logged. */
export function logTails(run) {
  const parts = [`---- code-server log tail (${run.codeServerLog})\n${tail(run.codeServerLog, 40)}`];
  for (const f of findFiles(join(run.userData, 'logs'), (p) => /exthost\.log$|cachelens/i.test(p)))
    parts.push(`---- ${f}\n${tail(f, 30)}`);
  return parts.join('\n');
}

// ---------------------------------------------------------------- process group
let codeServer; // ChildProcess, leader of its own process group

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
function killGroup(signal) {
  if (!codeServer?.pid) return;
  try {
    process.kill(-codeServer.pid, signal);
  } catch {
    /* already gone */
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n[e2e] ${sig}: stopping code-server's process group`);
    killGroup('SIGKILL');
    process.exit(130);
  });
}
process.on('exit', () => killGroup('SIGKILL'));

/** Starts code-server on a free 127.0.0.1 port with auth none; resolves once /healthz answers. */
export async function startCodeServer(run) {
  const port = await freePort();
  const config = join(run.root, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFd = openSync(run.codeServerLog, 'a');
  // detached: true makes node call setsid(2) for the child, so code-server
  // leads its own process group and `kill(-pid)` reaches every descendant
  // (extension host, language server).
  codeServer = spawn(
    codeServerBin,
    [
      '--config',
      config,
      '--user-data-dir',
      run.userData,
      '--extensions-dir',
      run.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      run.workspace,
    ],
    { env: run.env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  let exit = null;
  codeServer.once('exit', (code, signal) => {
    exit = signal ?? `code ${code}`;
  });
  await waitFor(
    'code-server /healthz',
    async () => {
      if (exit) throw new Error(`code-server exited (${exit})`);
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
    },
    60_000,
  );
  return { port, pid: codeServer.pid, url: `http://127.0.0.1:${port}` };
}

/** SIGTERM to the whole group, SIGKILL whatever is left after 5 s. */
export async function stopCodeServer() {
  if (!codeServer?.pid) return false;
  const pgid = codeServer.pid;
  killGroup('SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && groupAlive(pgid)) await sleep(100);
  if (groupAlive(pgid)) killGroup('SIGKILL');
  codeServer = undefined;
  return true;
}

/** Debian chromium through playwright-core, with a profile inside the run folder. */
export async function launchBrowser(run) {
  const { chromium } = loadPlaywright();
  return chromium.launchPersistentContext(run.browser, {
    executablePath: chromiumBin,
    // XDG dirs of the run folder keep chromium's crash-report database out of $HOME.
    env: run.env,
    headless: true,
    viewport: { width: 1280, height: 800 },
    // Playwright refuses --user-data-dir here; the profile dir is the first argument.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
