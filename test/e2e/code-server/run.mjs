#!/usr/bin/env node
// End-to-end check of the packaged extension in a real VS Code workbench:
// code-server 4.100.3 served on 127.0.0.1, driven by Debian chromium through
// playwright-core. Everything is asserted through the UI (squiggles, Problems
// panel, hover, Quick Fix menu, status bar, command palette), with a
// screenshot of each state in test-output/e2e/.
//
//   node test/e2e/code-server/run.mjs [--vsix dist/cachelens.vsix] [--examples examples]
//                            [--keep] [--only a,b,...] [--docs-images]
//
// --docs-images copies the screenshots the README shows into docs/images/
// (only when every check passed).
//
// Needs test/e2e/harness/setup.sh to have run (it installs code-server, chromium).
// The examples are copied to a temp folder first, so the fixes never edit the
// repo. code-server runs in its own process group, which is killed at the end
// (also on SIGINT/SIGTERM), so the extension host and language server die too.
// Last line of output: `N passed, M failed`; exit code 1 if anything failed.
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  activationError,
  createRun,
  findFiles,
  installExtension,
  launchBrowser,
  logTails,
  missingTools,
  repo,
  sleep,
  startCodeServer,
  stopCodeServer,
  waitFor,
} from '../harness/code-server.mjs';

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string', default: join(repo, 'dist/cachelens.vsix') },
    examples: { type: 'string', default: join(repo, 'examples') },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    'docs-images': { type: 'boolean', default: false },
  },
});
const outDir = join(repo, 'test-output/e2e');
const docsImages = {
  '03-hover.png': 'e2e-hover.png',
  '04-quick-fix-menu.png': 'e2e-quick-fix.png',
  '02-problems-panel.png': 'e2e-problems.png',
  '08-build-inlay-hints.png': 'e2e-build-inlay-hints.png',
  '09-first-miss.png': 'e2e-first-miss.png',
};
// The example the assertions walk through: a naive Node app whose `COPY . .`
// comes before `RUN npm ci`.
const dockerfilePath = 'node-app/Dockerfile';
const extensionId = 'cachelens.cachelens';
const preferredDockerignore = 'node-app/.dockerignore';
// Used when the examples hold no .dockerignore; in a folder of its own so it
// does not change node-app's build context.
const fallbackDockerignore = {
  path: 'dockerignore-demo/.dockerignore',
  text: '# build output and dependencies\nnode_modules\ndist/\n*.log\n!keep.log\n',
};
// Generous: on a loaded machine the server's first diagnostics took ~30 s.
const FIRST_DIAGNOSTICS_MS = 45_000;
const UI_MS = 30_000;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e ${elapsed().padStart(6)}] ${msg}`);
const results = [];

// ---------------------------------------------------------------- preflight
function preflight() {
  const problems = missingTools();
  if (!existsSync(opts.vsix)) problems.push(`no extension package at ${opts.vsix}: run npm run package`);
  if (!existsSync(join(opts.examples, dockerfilePath))) problems.push(`no ${dockerfilePath} under ${opts.examples}`);
  return problems;
}

// ---------------------------------------------------------------- build evidence
// A sample project with two real builds saved the way a user saves them
// (`cachelens build-log --save`): the cold build, then a source edit, so the
// editor has per-step results and a first miss with its cause.
const evidenceDockerfile = 'build-evidence/Dockerfile';
function prepareBuildEvidence(workspace) {
  const dir = join(workspace, 'build-evidence');
  cpSync(join(repo, 'bench/realbuild/projects/node-express-api'), dir, {
    recursive: true,
    filter: (p) => !p.includes('node_modules'),
  });
  appendFileSync(join(dir, '.dockerignore'), '\n.cachelens\n');
  const logs = join(repo, 'test/fixtures/build-logs/node-express-api');
  const save = (log) => {
    const r = spawnSync(
      process.execPath,
      [join(repo, 'dist/cli.js'), 'build-log', '--save', '--dockerfile', evidenceDockerfile, join(logs, log)],
      { cwd: workspace, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`cachelens build-log --save ${log}: ${r.stderr}`);
  };
  save('cold.log');
  appendFileSync(join(dir, 'src/server.js'), '\n// edited\n');
  save('source-edit.log');
}

// ---------------------------------------------------------------- the workbench page
// Reads the active editor's rendered lines (Monaco renders only what is in
// view; the examples are short enough to be fully visible).
async function editorLines(page) {
  return page.evaluate(() => {
    const editor =
      document.querySelector('.editor-group-container.active .editor-instance .monaco-editor') ??
      document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return [];
    return [...editor.querySelectorAll('.view-lines .view-line')]
      .map((el) => ({ top: parseFloat(el.style.top), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top);
  });
}

// Squiggles (any severity) whose overlay row sits at the same height as the
// rendered line matching `re`; returns [{cls, x, y}] centres for hovering.
async function squigglesOnLine(page, re) {
  return page.evaluate((source) => {
    const re = new RegExp(source);
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    if (!editor) return [];
    const tops = [...editor.querySelectorAll('.view-lines .view-line')]
      .filter((el) => re.test(el.textContent.replace(/\u00a0/g, ' ')))
      .map((el) => el.style.top);
    const out = [];
    for (const sq of editor.querySelectorAll('.view-overlays [class*="squiggly-"]')) {
      if (!tops.includes(sq.parentElement.style.top)) continue;
      const r = sq.getBoundingClientRect();
      out.push({
        cls: [...sq.classList].find((c) => c.startsWith('squiggly-')),
        x: r.x + Math.min(r.width / 2, 20),
        y: r.y + r.height / 2,
      });
    }
    return out;
  }, re.source);
}

async function lineBox(page, re) {
  const lines = page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines .view-line');
  const n = await lines.count();
  for (let i = 0; i < n; i++) {
    const text = (await lines.nth(i).textContent()).replace(/\u00a0/g, ' ');
    if (re.test(text)) return lines.nth(i).boundingBox();
  }
  return null;
}

// The workbench keeps a hidden, empty hover widget in the DOM besides the one shown.
const visibleHover = (page) => page.locator('.monaco-hover-content >> visible=true');
// Hovers fade in: a screenshot taken before the widget and its parents are fully opaque shows the text
// underneath through it.
const hoverSettled = (page) =>
  waitFor(
    'the hover to finish fading in',
    () =>
      page.evaluate(() => {
        const el = [...document.querySelectorAll('.monaco-hover-content')].find((e) => e.offsetParent !== null);
        if (!el) return false;
        for (let n = el; n; n = n.parentElement) if (Number(getComputedStyle(n).opacity) < 1) return false;
        return true;
      }),
    3000,
    100,
  );

async function dismissHover(page) {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await waitFor('the hover to close', async () => (await visibleHover(page).count()) === 0, 5000, 100).catch(() => {});
}

// Hovers each squiggle on the line and collects the text of the hovers, so a
// check can tell a cachelens CL001 marker from any other diagnostic there.
async function hoverTextsOnLine(page, re) {
  const texts = [];
  for (const sq of await squigglesOnLine(page, re)) {
    await dismissHover(page);
    await page.mouse.move(sq.x, sq.y);
    const hover = visibleHover(page).first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
      texts.push(await hover.textContent());
    } catch {
      texts.push('');
    }
  }
  await dismissHover(page);
  return texts;
}

async function openFile(page, relPath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: UI_MS });
  await input.fill(relPath);
  const name = basename(relPath);
  // Pick the row whose description is the file's folder, so examples with
  // several Dockerfiles do not matter.
  const folder = dirname(relPath);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: folder }).first();
  await row.waitFor({ state: 'visible', timeout: UI_MS });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: UI_MS });
  await page
    .locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines .view-line')
    .first()
    .waitFor({ timeout: UI_MS });
}

async function runCommand(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: UI_MS });
  await input.fill(`>${label}`);
  // Exact label: "Fix All" must not pick "cachelens: Fix all in file".
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  try {
    await row.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    await page.keyboard.press('Escape');
    return false;
  }
  await row.click();
  return true;
}

// Picks an entry of the Ctrl+. menu with the keyboard, as a user would (the
// menu sits under a pointer-blocking layer that swallows synthetic clicks).
async function chooseAction(page, label) {
  for (let i = 0; i < 30; i++) {
    const focused = await page
      .locator('.action-widget .monaco-list-row.focused')
      .first()
      .textContent()
      .catch(() => '');
    if (focused.includes(label)) {
      await page.keyboard.press('Enter');
      await page
        .locator('.action-widget')
        .first()
        .waitFor({ state: 'hidden', timeout: UI_MS })
        .catch(() => {});
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus "${label}" in the Quick Fix menu`);
}

async function focusEditorAt(page, re) {
  const box = await waitFor(`a line matching ${re}`, () => lineBox(page, re), UI_MS);
  await page.mouse.click(box.x + 4, box.y + box.height / 2);
  return box;
}

// ---------------------------------------------------------------- main
async function main() {
  const problems = preflight();
  if (problems.length) {
    for (const p of problems) console.error(`[e2e] ${p}`);
    results.push({ name: 'preflight', ok: false, error: problems.join('; ') });
    return;
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const run = createRun(opts.examples);
  let dockerignorePath = existsSync(join(run.workspace, preferredDockerignore))
    ? preferredDockerignore
    : findFiles(run.workspace, (p) => basename(p) === '.dockerignore')
        .map((p) => p.slice(run.workspace.length + 1))
        .sort()[0];
  if (!dockerignorePath) {
    dockerignorePath = fallbackDockerignore.path;
    mkdirSync(dirname(join(run.workspace, dockerignorePath)), { recursive: true });
    writeFileSync(join(run.workspace, dockerignorePath), fallbackDockerignore.text);
    log(`the examples hold no .dockerignore; wrote ${dockerignorePath} into the copy`);
  }
  prepareBuildEvidence(run.workspace);
  let failedOnce = false;
  const printLogs = () => console.error(logTails(run));

  log(`installing ${opts.vsix}`);
  const installError = installExtension(run, opts.vsix);
  results.push({ name: 'install the .vsix with --install-extension', ok: !installError, error: installError });
  if (installError) return;

  let context;
  try {
    const server = await startCodeServer(run);
    log(`code-server pid ${server.pid} up on ${server.url}, run folder ${run.root}`);
    context = await launchBrowser(run);
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLog = [];
    page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
    page.setDefaultTimeout(UI_MS);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(run.workspace)}`, {
      waitUntil: 'domcontentloaded',
      timeout: 90_000,
    });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
    log('workbench loaded');

    const only = opts.only ? new Set(opts.only.split(',')) : null;
    // Once the extension is known not to have activated, the remaining checks
    // fail at once instead of each waiting out its timeout.
    let fatal = null;
    const checkActivation = () => {
      const err = activationError(run, extensionId);
      if (err) {
        fatal = `the extension failed to activate: ${err}`;
        throw Object.assign(new Error(fatal), { fatal: true });
      }
    };
    const step = async (id, name, fn, needsServer = true) => {
      if (only && !only.has(id)) return;
      if (fatal && needsServer) {
        results.push({ name: `(${id}) ${name}`, ok: false, error: `not run: ${fatal}` });
        log(`FAIL (${id}) ${name}: not run, the extension did not activate`);
        return;
      }
      const s = Date.now();
      try {
        await fn();
        results.push({ name: `(${id}) ${name}`, ok: true });
        log(`PASS (${id}) ${name} [${((Date.now() - s) / 1000).toFixed(1)}s]`);
      } catch (e) {
        results.push({ name: `(${id}) ${name}`, ok: false, error: e.message });
        const shot = join(outDir, `failure-${id}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        log(`FAIL (${id}) ${name}: ${e.message.split('\n')[0]} — screenshot ${shot}`);
        if (!failedOnce) {
          failedOnce = true;
          printLogs();
        }
        await page.keyboard.press('Escape').catch(() => {});
      }
    };
    const shoot = (name) => page.screenshot({ path: join(outDir, name) });
    const COPY_ALL = /^\s*COPY \. \.\s*$/;
    const cl001OnCopyLine = async () => (await hoverTextsOnLine(page, COPY_ALL)).some((t) => t.includes('CL001'));

    await step('a', `squiggle with CL001 on the COPY . . line of ${dockerfilePath}`, async () => {
      await openFile(page, dockerfilePath);
      await waitFor(
        'a squiggle on the COPY . . line',
        async () => {
          checkActivation();
          return (await squigglesOnLine(page, COPY_ALL)).length > 0;
        },
        FIRST_DIAGNOSTICS_MS,
        500,
      );
      await waitFor('a squiggle whose hover names CL001', cl001OnCopyLine, 10_000, 500);
      await shoot('01-squiggle.png');
    });

    await step('b', 'Problems panel (Ctrl+Shift+M) lists CL001', async () => {
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: UI_MS });
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: 'CL001' })
        .first()
        .waitFor({ timeout: FIRST_DIAGNOSTICS_MS });
      await shoot('02-problems-panel.png');
      await page.keyboard.press('Control+J');
      await page
        .locator('.markers-panel')
        .waitFor({ state: 'hidden', timeout: UI_MS })
        .catch(() => {});
    });

    await step('c', 'hover over COPY explains the cache key', async () => {
      await openFile(page, dockerfilePath);
      const box = await waitFor('the COPY . . line', () => lineBox(page, COPY_ALL), UI_MS);
      await dismissHover(page);
      // Over the instruction keyword, where the extension's hover applies.
      await page.mouse.move(box.x + 12, box.y + box.height / 2);
      // The hover widget shows the diagnostic (a `.marker` part) and the
      // extension's own markdown; the latter is what must talk about caching.
      const text = await waitFor(
        'a hover whose non-diagnostic part mentions the cache',
        async () => {
          const parts = await visibleHover(page).locator('.markdown-hover').allInnerTexts();
          const joined = parts.join('\n');
          return /cache/i.test(joined) ? joined : null;
        },
        10_000,
        300,
      );
      log(`hover text: ${JSON.stringify(text.slice(0, 160))}`);
      await hoverSettled(page);
      await shoot('03-hover.png');
      await dismissHover(page);
    });

    let textBeforeFix = '';
    await step(
      'd',
      'Ctrl+. offers "Split dependency manifest copy"; applying it splits the copy and clears CL001',
      async () => {
        await openFile(page, dockerfilePath);
        textBeforeFix = (await editorLines(page)).map((l) => l.text).join('\n');
        await focusEditorAt(page, COPY_ALL);
        await page.keyboard.press('Control+Period');
        const item = page
          .locator('.action-widget .monaco-list-row', { hasText: 'Split dependency manifest copy' })
          .first();
        await item.waitFor({ state: 'visible', timeout: UI_MS });
        await shoot('04-quick-fix-menu.png');
        await chooseAction(page, 'Split dependency manifest copy');
        await waitFor(
          'a `COPY package` line in the editor',
          async () => (await editorLines(page)).some((l) => /^\s*COPY\s+(--\S+\s+)*package/.test(l.text)),
          UI_MS,
        );
        const after = (await editorLines(page)).map((l) => l.text).join('\n');
        if (after === textBeforeFix) throw new Error('editor text did not change');
        await waitFor('the CL001 squiggle to go', async () => !(await cl001OnCopyLine()), FIRST_DIAGNOSTICS_MS, 500);
        log(`after quick fix:\n${after}`);
        await shoot('05-quick-fix-applied.png');
      },
    );

    await step(
      'e',
      `${dockerignorePath} opens as its own language (Docker Ignore)`,
      async () => {
        await openFile(page, dockerignorePath);
        const mode = page.locator('[id="status.editor.mode"]');
        const label = await waitFor(
          'the status bar language to be Docker Ignore',
          async () => {
            const t = (await mode.textContent()).trim();
            return /docker ?ignore/i.test(t) ? t : null;
          },
          UI_MS,
        );
        log(`language mode: ${label}`);
        // Highlighting: without a grammar every token is plain text (one
        // colour class); the dockerignore grammar colours wildcards, negations,
        // separators and comments apart from names.
        // The grammar loads lazily, so the first render can still be plain.
        let tokenClasses = [];
        await waitFor(
          'the .dockerignore to be highlighted (two or more token colours)',
          async () => {
            tokenClasses = await page.evaluate(() => {
              const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
              return [
                ...new Set(
                  [...editor.querySelectorAll('.view-lines .view-line span[class*="mtk"]')]
                    .filter((s) => s.textContent.trim())
                    .map((s) => s.className),
                ),
              ];
            });
            return tokenClasses.length >= 2;
          },
          15_000,
          300,
        );
        const squiggles = await page
          .locator('.editor-group-container.active .view-overlays [class*="squiggly-"]')
          .count();
        log(`.dockerignore: ${tokenClasses.length} token colours, ${squiggles} squiggle(s)`);
        await shoot('06-dockerignore.png');
      },
      false,
    );

    await step(
      'h',
      `saved builds: inlay hints per step and the first miss as information in ${evidenceDockerfile}`,
      async () => {
        await openFile(page, evidenceDockerfile);
        // inlay hints are injected text: they show in the rendered lines
        await waitFor(
          'the inlay hints `cached` and `ran 3.4 s`',
          async () => {
            const text = (await editorLines(page)).map((l) => l.text).join('\n');
            return /cached/.test(text) && /ran 3\.4 s/.test(text);
          },
          FIRST_DIAGNOSTICS_MS,
          500,
        );
        await dismissHover(page);
        await shoot('08-build-inlay-hints.png');
        const copyLine = /^\s*COPY \. \.(\s|ran|$)/;
        await waitFor(
          'an information squiggle on COPY . .',
          async () => (await squigglesOnLine(page, copyLine)).some((q) => q.cls === 'squiggly-info'),
          FIRST_DIAGNOSTICS_MS,
          500,
        );
        const texts = await hoverTextsOnLine(page, copyLine);
        if (!texts.some((t) => /first cache miss/.test(t) && /src\/server\.js/.test(t)))
          throw new Error(`no first-miss hover naming src/server.js: ${JSON.stringify(texts)}`);
        // show the hover again for the screenshot
        const info = (await squigglesOnLine(page, copyLine)).find((q) => q.cls === 'squiggly-info');
        await page.mouse.move(info.x, info.y);
        await visibleHover(page).first().waitFor({ timeout: UI_MS });
        await hoverSettled(page);
        await shoot('09-first-miss.png');
        await dismissHover(page);
      },
    );

    const fixAllStep = async (id, title, invoke) =>
      step(id, title, async () => {
        await openFile(page, dockerfilePath);
        // Restore the unfixed text (undo the previous fix) so there is something to fix.
        await focusEditorAt(page, /\S/);
        await waitFor(
          'the COPY . . problem back after undo',
          async () => {
            if (!(await editorLines(page)).some((l) => /^\s*COPY\s+(--\S+\s+)*package/.test(l.text))) return true;
            await page.keyboard.press('Control+Z');
            await sleep(300);
            return false;
          },
          UI_MS,
          200,
        );
        await waitFor('the CL001 squiggle to come back', cl001OnCopyLine, FIRST_DIAGNOSTICS_MS, 500);
        await invoke();
        await waitFor(
          'a `COPY package` line after Fix all',
          async () => (await editorLines(page)).some((l) => /^\s*COPY\s+(--\S+\s+)*package/.test(l.text)),
          UI_MS,
        );
        await waitFor('the CL001 squiggle to go', async () => !(await cl001OnCopyLine()), FIRST_DIAGNOSTICS_MS, 500);
        await shoot(`07-fix-all-${id}.png`);
      });

    await fixAllStep('f', 'command "cachelens: Fix all in file" fixes the file', async () => {
      if (!(await runCommand(page, 'cachelens: Fix all in file')))
        throw new Error('no "cachelens: Fix all in file" in the command palette');
    });
    await fixAllStep('g', 'command "Fix All" (source.fixAll.cachelens) fixes the file', async () => {
      if (!(await runCommand(page, 'Fix All'))) throw new Error('no "Fix All" in the command palette');
      // With more than one fix-all provider VS Code asks which one to run.
      const pick = page
        .locator('.action-widget .monaco-list-row, .quick-input-list .monaco-list-row', { hasText: /cachelens/i })
        .first();
      if (
        await pick.waitFor({ state: 'visible', timeout: 1500 }).then(
          () => true,
          () => false,
        )
      )
        await pick.click();
    });

    writeFileSync(join(run.root, 'browser-console.log'), consoleLog.join('\n'));
  } catch (e) {
    results.push({ name: 'start code-server and load the workbench', ok: false, error: e.message });
    printLogs();
  } finally {
    if (context) await Promise.race([context.close(), sleep(10_000)]).catch(() => {});
    if (await stopCodeServer()) log('code-server process group stopped');
    const failed = results.some((r) => !r.ok);
    if (opts.keep || failed) log(`run folder kept: ${run.root}`);
    else rmSync(run.root, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  results.push({ name: 'harness', ok: false, error: e.stack ?? String(e) });
} finally {
  await stopCodeServer();
}
for (const r of results) if (!r.ok) console.error(`FAILED ${r.name}: ${r.error}`);
log(`screenshots in ${outDir}`);
if (
  opts['docs-images'] &&
  results.length &&
  results.every((r) => r.ok) &&
  Object.keys(docsImages).every((f) => existsSync(join(outDir, f)))
) {
  mkdirSync(join(repo, 'docs/images'), { recursive: true });
  for (const [from, to] of Object.entries(docsImages)) copyFileSync(join(outDir, from), join(repo, 'docs/images', to));
  log(`copied ${Object.values(docsImages).join(', ')} to docs/images/`);
}
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = results.length === passed ? 0 : 1;
