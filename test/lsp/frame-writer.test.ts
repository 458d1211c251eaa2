// The server's one-write message frames (server/src/lsp/frameWriter.ts) must
// read back through vscode-jsonrpc's own reader, in order, with the byte
// length of multi-byte UTF-8 bodies, and each message must be one write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { FrameWriter, frameOf } from '../../server/src/lsp/frameWriter';

const messages: Message[] = [
  { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'plain' } } as Message,
  {
    jsonrpc: '2.0',
    method: 'textDocument/publishDiagnostics',
    params: { uri: 'file:///w/Dockerfile', diagnostics: [{ message: 'Füße — 日本語 🐳', range: {} }] },
  } as Message,
  { jsonrpc: '2.0', id: 7, result: null } as Message,
];

describe('FrameWriter', () => {
  it('writes frames that vscode-jsonrpc reads back, in order, with UTF-8 lengths', async () => {
    const pipe = new PassThrough();
    const writer = new FrameWriter(pipe);
    const reader = new StreamMessageReader(pipe);
    const got: Message[] = [];
    const all = new Promise<void>((resolve) =>
      reader.listen((m) => {
        got.push(m);
        if (got.length === messages.length) resolve();
      }),
    );
    for (const m of messages) void writer.write(m);
    await all;
    assert.deepEqual(got, messages);
  });

  it('writes each message with a single write of header and body', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const writer = new FrameWriter(sink);
    for (const m of messages) await writer.write(m);
    assert.equal(chunks.length, messages.length);
    const second = chunks[1].toString('utf8');
    const body = JSON.stringify(messages[1]);
    assert.equal(second, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    assert.ok(Buffer.byteLength(body) > body.length, 'the body has multi-byte characters');
  });

  it('rejects and reports an error when the stream fails', async () => {
    const sink = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('EPIPE'));
      },
    });
    sink.on('error', () => undefined);
    const writer = new FrameWriter(sink);
    const errors: string[] = [];
    writer.onError(([e]) => errors.push(e.message));
    await assert.rejects(writer.write(messages[0]), /EPIPE/);
    assert.ok(errors.includes('EPIPE'));
  });

  it('frames a message exactly like the header vscode-jsonrpc writes', () => {
    const frame = frameOf(messages[0]).toString('latin1');
    assert.match(frame, /^Content-Length: \d+\r\n\r\n\{/);
  });
});
