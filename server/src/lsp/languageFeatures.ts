// Standard Dockerfile editing features from dockerfile-language-service, for
// editors that have no Dockerfile server of their own (cachelens.languageFeatures).
// Off by default: next to Docker's or Microsoft's extension they would duplicate.
import type { Connection, TextDocuments, Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type * as LanguageService from 'dockerfile-language-service';
import { tooLargeToAnalyse } from '../parse/limits';
import { safeValidate } from './safeValidate';
import type { DockerfileModel } from '../parse/dockerfile';

export const LANGUAGE_FEATURE_CAPABILITIES = {
  completionProvider: { triggerCharacters: ['=', ' ', '$', '-'] },
  documentSymbolProvider: true,
  documentFormattingProvider: true,
  foldingRangeProvider: true,
};

export function registerLanguageFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  isDockerfile: (doc: TextDocument) => boolean,
): { syntaxDiagnostics(text: string, model?: DockerfileModel): Diagnostic[] } {
  // loaded here, when the features are on: most editors have them from Docker's extension (a faster start)
  const { DockerfileLanguageServiceFactory } = require('dockerfile-language-service') as typeof LanguageService;
  const service = DockerfileLanguageServiceFactory.createLanguageService();
  // dockerfile-language-service parses with dockerfile-ast too: skip what cachelens does not parse (parse/limits.ts)
  const dockerfile = (uri: string) => {
    const doc = documents.get(uri);
    return doc && isDockerfile(doc) && !tooLargeToAnalyse(doc.getText()) ? doc : undefined;
  };
  connection.onCompletion(async (p) => {
    const doc = dockerfile(p.textDocument.uri);
    return doc ? await service.computeCompletionItems(doc.getText(), p.position) : [];
  });
  connection.onDocumentSymbol((p) => {
    const doc = dockerfile(p.textDocument.uri);
    return doc ? service.computeSymbols(p.textDocument, doc.getText()) : [];
  });
  connection.onDocumentFormatting((p) => {
    const doc = dockerfile(p.textDocument.uri);
    return doc ? service.format(doc.getText(), p.options) : [];
  });
  connection.onFoldingRanges((p) => {
    const doc = dockerfile(p.textDocument.uri);
    return doc ? service.computeFoldingRanges(doc.getText()) : [];
  });
  return {
    syntaxDiagnostics: (text, model) =>
      tooLargeToAnalyse(text) ? [] : safeValidate(service, text, model).map((d) => ({ ...d, source: 'cachelens' })),
  };
}
