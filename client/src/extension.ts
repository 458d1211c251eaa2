// The VS Code client: starts the cachelens language server and forwards file
// events. Everything an editor user should get lives in the server.
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
// The server's own commands (cachelens.fixAll, cachelens.showContext) are registered by the
// language client from executeCommandProvider; the palette commands below wrap them with the active editor.
const CONTEXT_SCHEME = 'cachelens-context';
// Extensions that already serve Dockerfile completion, formatting and syntax errors.
const DOCKER_EXTENSIONS = ['docker.docker', 'ms-azuretools.vscode-docker', 'ms-azuretools.vscode-containers'];

function wantsLanguageFeatures(): boolean {
  const setting = vscode.workspace.getConfiguration('cachelens').get<string>('languageFeatures', 'auto');
  return (
    setting === 'on' || (setting === 'auto' && !DOCKER_EXTENSIONS.some((id) => vscode.extensions.getExtension(id)))
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'dockerfile' },
      { language: 'dockerignore' },
      {
        scheme: 'file',
        pattern:
          '**/{Dockerfile,Containerfile,Dockerfile.*,*.Dockerfile,Containerfile.*,*.Containerfile,Dockerfile-*,Containerfile-*}',
      },
      { scheme: 'file', pattern: '**/{.dockerignore,*.dockerignore}' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
    initializationOptions: { trusted: vscode.workspace.isTrusted, languageFeatures: wantsLanguageFeatures() },
    outputChannelName: 'cachelens',
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  client = new LanguageClient('cachelens', 'cachelens', serverOptions, clientOptions);
  // the active Dockerfile's build context; click: Show build context
  const status = vscode.window.createStatusBarItem('cachelens.context', vscode.StatusBarAlignment.Right, 100);
  status.name = 'cachelens build context';
  status.command = 'cachelens.showBuildContext';
  const updateStatus = async (): Promise<void> => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== 'dockerfile' || !client?.isRunning()) return status.hide();
    const r = await client
      .sendRequest<{ label: string; tooltip: string } | null>('workspace/executeCommand', {
        command: 'cachelens.contextLabel',
        arguments: [doc.uri.toString()],
      })
      .catch(() => null);
    if (vscode.window.activeTextEditor?.document !== doc) return;
    if (!r) return status.hide();
    status.text = `$(package) ${r.label}`;
    status.tooltip = r.tooltip;
    status.show();
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('cachelens.fixAllInFile', async () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (uri) await client?.sendRequest('workspace/executeCommand', { command: 'cachelens.fixAll', arguments: [uri] });
    }),
    // read-only: the summary is served by a content provider, not an editable untitled file
    vscode.workspace.registerTextDocumentContentProvider(CONTEXT_SCHEME, {
      provideTextDocumentContent: async (uri) =>
        (await client?.sendRequest<string | null>('workspace/executeCommand', {
          command: 'cachelens.showContext',
          arguments: [uri.query],
        })) ?? 'No build context: open a Dockerfile first.',
    }),
    vscode.commands.registerCommand('cachelens.showBuildContext', async () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (!uri) return;
      const view = vscode.Uri.from({ scheme: CONTEXT_SCHEME, path: 'build-context.md', query: uri });
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(view), { preview: true });
    }),
    status,
    vscode.window.onDidChangeActiveTextEditor(() => void updateStatus()),
    vscode.workspace.onDidSaveTextDocument(() => void updateStatus()),
    vscode.commands.registerCommand('cachelens.importBuildLog', async () => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Import build log',
        filters: { 'Build logs': ['log', 'txt', 'json', 'rawjson'], 'All files': ['*'] },
      });
      if (!picked?.[0]) return;
      const active = vscode.window.activeTextEditor?.document;
      const dockerfile = active && active.languageId === 'dockerfile' ? active.uri.toString() : undefined;
      const summary = await client?.sendRequest<string | null>('workspace/executeCommand', {
        command: 'cachelens.server.importBuildLog',
        arguments: [picked[0].fsPath, ...(dockerfile ? [dockerfile] : [])],
      });
      if (summary) void vscode.window.showInformationMessage(summary);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('cachelens.languageFeatures')) void client?.restart();
    }),
  );
  await client.start();
  await updateStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
