// An @vscode/test-electron style suite (exports run(); rejects on failure)
// that asserts the extension through the `vscode` API. It runs inside
// code-server's extension host via test/e2e/code-server/vscode-tests.mjs, and would
// run unchanged under @vscode/test-electron where VS Code can be downloaded.
// The workspace is a copy of examples/. Plain CommonJS: the extension host
// requires it as is, no build step.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const CL001 = 'CL001';
const codeOf = (d) => String(typeof d.code === 'object' ? d.code.value : d.code);

async function poll(what, fn, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const tests = [
  [
    'the extension activates',
    async () => {
      const ext = vscode.extensions.getExtension('cachelens.cachelens');
      assert.ok(ext, 'cachelens.cachelens is installed');
      await ext.activate();
      assert.ok(ext.isActive);
    },
  ],
  [
    'the naive Dockerfile gets CL001 from source cachelens on its COPY . . line',
    async (ctx) => {
      const diags = await poll('CL001 on node-app/Dockerfile', () => {
        const ds = vscode.languages.getDiagnostics(ctx.uri).filter((d) => codeOf(d) === CL001);
        return ds.length ? ds : null;
      });
      assert.equal(diags[0].source, 'cachelens');
      assert.match(ctx.doc.lineAt(diags[0].range.start.line).text, /^\s*COPY\s+\.\s+\./);
      ctx.cl001 = diags[0];
    },
  ],
  [
    'the hover on the COPY talks about the cache',
    async (ctx) => {
      assert.ok(ctx.cl001, 'needs the CL001 diagnostic of the test before');
      const hovers = await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        ctx.uri,
        ctx.cl001.range.start,
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /cache/i);
    },
  ],
  [
    'the quick fix "Split dependency manifest copy" copies the manifests first and clears CL001',
    async (ctx) => {
      assert.ok(ctx.cl001, 'needs the CL001 diagnostic of the test before');
      const actions = await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        ctx.uri,
        ctx.cl001.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const split = actions.find((a) => a.title === 'Split dependency manifest copy');
      assert.ok(split, `quick fixes offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(split.edit, 'the fix carries its edit');
      assert.ok(await vscode.workspace.applyEdit(split.edit));
      assert.match(ctx.doc.getText(), /^COPY\s+(--\S+\s+)*package/m);
      await poll('CL001 to go', () => !vscode.languages.getDiagnostics(ctx.uri).some((d) => codeOf(d) === CL001));
      await vscode.commands.executeCommand('undo');
      await poll('CL001 back after undo', () =>
        vscode.languages.getDiagnostics(ctx.uri).some((d) => codeOf(d) === CL001),
      );
    },
  ],
  [
    'source.fixAll.cachelens fixes the file',
    async (ctx) => {
      const actions = await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        ctx.uri,
        new vscode.Range(0, 0, ctx.doc.lineCount, 0),
        'source.fixAll.cachelens',
      );
      const fixAll = actions.find((a) => a.kind?.value.startsWith('source.fixAll'));
      assert.ok(fixAll, `actions: ${JSON.stringify(actions.map((a) => a.title))}`);
      if (fixAll.edit) assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      if (fixAll.command)
        await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
      await poll(
        'CL001 to go after fix-all',
        () => !vscode.languages.getDiagnostics(ctx.uri).some((d) => codeOf(d) === CL001),
      );
    },
  ],
  [
    '.dockerignore opens as the dockerignore language',
    async (ctx) => {
      const found = await vscode.workspace.findFiles('**/.dockerignore', null, 1);
      assert.ok(found.length, 'the examples hold a .dockerignore');
      const doc = await vscode.workspace.openTextDocument(found[0]);
      assert.equal(doc.languageId, 'dockerignore');
      void ctx;
    },
  ],
];

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, 'node-app/Dockerfile');
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const ctx = { uri, doc };
  let failed = 0;
  for (const [name, fn] of tests) {
    try {
      await fn(ctx);
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}: ${e.message}`);
    }
  }
  console.log(`${tests.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} extension-host test(s) failed`);
};
