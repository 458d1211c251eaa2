#!/usr/bin/env node
// Runs an @vscode/test-electron style extension test suite (a module whose
// exported `run()` resolves when the tests pass and rejects when they fail)
// inside code-server's extension host, since VS Code itself cannot be
// downloaded on these machines.
//
//   node test/e2e/code-server/vscode-tests.mjs --tests path/to/suite/index.js
//        [--extension-development-path .] [--examples examples] [--timeout 300]
//
// How: the VS Code web workbench takes `extensionDevelopmentPath` and
// `extensionTestsPath` from the `payload` query parameter of its URL (the same
// keys desktop VS Code takes on its command line). Given vscode-remote:// URIs,
// code-server's Node extension host loads the extension from the folder (no
// .vsix) and runs the suite there. When the suite ends the workbench calls
// `window.codeAutomationExit(code)`, which we expose through playwright.
// The suite's console output is forwarded to the browser console; we print it.
// Exit code: the suite's (0 passed, 1 failed), 2 on a timeout or setup error.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createRun,
  launchBrowser,
  logTails,
  missingTools,
  repo,
  sleep,
  startCodeServer,
  stopCodeServer,
} from '../harness/code-server.mjs';

const { values: opts } = parseArgs({
  options: {
    tests: { type: 'string' },
    'extension-development-path': { type: 'string', default: repo },
    examples: { type: 'string', default: join(repo, 'examples') },
    timeout: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});

// The workbench logs through the same console channel; these are its routine
// lines (and the gallery lookup that fails offline), not the suite's.
const workbenchChatter =
  /^(Creating a socket|Creation of workbench contribution|Updating additional builtin|\[Service Worker\]|ChatSessionStore|Overwriting extension|Extension host \(Remote\) is (un)?responsive|getaddrinfo ENOTFOUND open-vsx\.org|Started local extension host|Loading development extension)/;

async function main() {
  const problems = missingTools();
  if (!opts.tests) problems.push('--tests <compiled suite entry .js> is required');
  else if (!existsSync(opts.tests)) problems.push(`no test suite at ${opts.tests}`);
  const devPath = resolve(opts['extension-development-path']);
  if (!existsSync(join(devPath, 'package.json'))) problems.push(`no extension (package.json) at ${devPath}`);
  if (problems.length) {
    for (const p of problems) console.error(`[vscode-tests] ${p}`);
    return 2;
  }
  const run = createRun(opts.examples);
  let context;
  let code = 2;
  try {
    const server = await startCodeServer(run);
    console.log(`[vscode-tests] code-server pid ${server.pid} on ${server.url}, run folder ${run.root}`);
    context = await launchBrowser(run);
    const page = context.pages()[0] ?? (await context.newPage());
    const exited = new Promise((res) => {
      void page.exposeFunction('codeAutomationExit', (c) => res(c));
    });
    const consoleLog = [];
    page.on('console', (m) => {
      consoleLog.push(m.text());
      // The suite's console output is forwarded from the extension host as
      // `%c INFO color: #33f <text>` (`%c  ERR …` for errors); the rest is the
      // workbench's own chatter, kept in the run folder only.
      const forwarded = /^%c\s+(\S+)\s+color:\s*#\w+\s*([\s\S]*)$/.exec(m.text());
      if (forwarded && !workbenchChatter.test(forwarded[2]))
        console.log(`  ${forwarded[1] === 'ERR' ? '!! ' : ''}${forwarded[2]}`);
    });
    page.on('close', () => writeFileSync(join(run.root, 'browser-console.log'), consoleLog.join('\n')));
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${resolve(p)}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(opts.tests)],
    ]);
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(payload)}`,
      { waitUntil: 'domcontentloaded', timeout: 90_000 },
    );
    const timeoutS = Number(opts.timeout);
    let timer;
    const result = await Promise.race([
      exited,
      new Promise((res) => {
        timer = setTimeout(() => res('timeout'), timeoutS * 1000);
      }),
    ]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`[vscode-tests] the suite did not finish within ${timeoutS}s`);
      console.error(logTails(run));
    } else code = Number(result);
  } catch (e) {
    console.error(`[vscode-tests] ${e.message}`);
    console.error(logTails(run));
  } finally {
    if (context) await Promise.race([context.close(), sleep(10_000)]).catch(() => {});
    await stopCodeServer();
    if (!opts.keep && code === 0) rmSync(run.root, { recursive: true, force: true });
    else console.log(`[vscode-tests] run folder kept: ${run.root}`);
  }
  console.log(code === 0 ? 'vscode tests passed' : `vscode tests failed (exit ${code})`);
  return code;
}

process.exitCode = await main();
