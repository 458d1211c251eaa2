// The least a vscode-languageserver server does per keystroke: the
// connection, TextDocuments (incremental sync) and an empty publish per open,
// change and close; no analysis. FLOOR_READER=frames reads and writes with
// cachelens' FrameReader/FrameWriter (server/src/lsp/), otherwise with the
// library's stream reader and writer. Run by bench/protocol-floor.bench.ts.
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FrameReader } from '../../server/src/lsp/frameReader';
import { FrameWriter } from '../../server/src/lsp/frameWriter';

const frames = process.env.FLOOR_READER === 'frames';
const connection = createConnection(
  ProposedFeatures.all,
  frames ? new FrameReader(process.stdin) : new StreamMessageReader(process.stdin),
  frames ? new FrameWriter(process.stdout) : new StreamMessageWriter(process.stdout),
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
