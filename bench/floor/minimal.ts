// The least a vscode-languageserver server does per keystroke: the
// connection, TextDocuments (incremental sync) and an empty publish per open,
// change and close; no analysis. FLOOR_IO=frames writes with cachelens'
// FrameWriter (server/src/lsp/frameWriter.ts), as the server does, otherwise
// with the library's stream writer; both read with the library's reader. Run
// by bench/protocol-floor.bench.ts.
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FrameWriter } from '../../server/src/lsp/frameWriter';

const connection = createConnection(
  ProposedFeatures.all,
  new StreamMessageReader(process.stdin),
  process.env.FLOOR_IO === 'frames' ? new FrameWriter(process.stdout) : new StreamMessageWriter(process.stdout),
);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({
  capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
}));
documents.onDidChangeContent((e) =>
  connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: [] }),
);
documents.onDidClose((e) => connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
documents.listen(connection);
connection.listen();
process.stdin.on('end', () => process.exit(0));
