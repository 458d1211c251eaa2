// The server's frame reader (server/src/lsp/frameReader.ts) must read what
// vscode-jsonrpc's own reader reads, however the bytes are split into reads,
// and answer bad input the same way: a body that is not JSON is reported and
// reading goes on; a header it cannot delimit is reported in words the server
// recognises (it exits then) and nothing after it is delivered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { FrameReader, contentLength } from '../../server/src/lsp/frameReader';
import { frameOf } from '../../server/src/lsp/frameWriter';

const messages: Message[] = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { rootUri: 'file:///w' } } as Message,
  {
    jsonrpc: '2.0',
    method: 'textDocument/didChange',
    params: {
      textDocument: { uri: 'file:///w/Dockerfile', version: 2 },
      contentChanges: [{ text: 'RUN echo Füße — 日本語 🐳\r\n\r\nContent-Length: 3\r\n\r\n' }],
    },
  } as Message,
  { jsonrpc: '2.0', id: 7, result: null } as Message,
  { jsonrpc: '2.0', method: 'exit' } as Message,
];
const bytes = Buffer.concat(messages.map(frameOf));

/** What a reader delivers and reports for these reads, in order. */
async function read(
  make: (input: PassThrough) => { listen(cb: (m: Message) => void): unknown; onError(cb: (e: Error) => void): unknown },
  reads: Buffer[],
): Promise<{ got: Message[]; errors: string[] }> {
  const input = new PassThrough();
  const reader = make(input);
  const got: Message[] = [];
  const errors: string[] = [];
  reader.listen((m) => got.push(m));
  reader.onError((e) => errors.push(e.message));
  for (const r of reads) input.write(r);
  // vscode-jsonrpc decodes each body behind a promise: let every read and decode settle
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return { got, errors };
}

const ours = (input: PassThrough) => new FrameReader(input);
const theirs = (input: PassThrough) => new StreamMessageReader(input);

/** The bytes cut at these offsets. */
const cut = (b: Buffer, at: number[]) =>
  [0, ...at, b.length].slice(1).map((end, i, ends) => b.subarray(i ? ends[i - 1] : 0, end));

describe('FrameReader', () => {
  it('delivers the messages in order from a single read', async () => {
    assert.deepEqual(await read(ours, [bytes]), { got: messages, errors: [] });
  });

  it('delivers the same messages when the bytes are split at any one place (inside headers and multi-byte characters too)', async () => {
    for (let at = 1; at < bytes.length; at++) {
      const r = await read(ours, cut(bytes, [at]));
      assert.deepEqual(r.got, messages, `split at byte ${at}`);
    }
  });

  it('reads what vscode-jsonrpc reads on random splits, one byte at a time included', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const splits = [
      [...Array(bytes.length - 1).keys()].map((i) => i + 1),
      ...Array.from({ length: 40 }, () =>
        [
          ...new Set(
            Array.from({ length: 1 + Math.floor(random() * 12) }, () => 1 + Math.floor(random() * (bytes.length - 1))),
          ),
        ].sort((a, b) => a - b),
      ),
    ];
    for (const at of splits) {
      const reads = cut(bytes, at);
      assert.deepEqual(await read(ours, reads), await read(theirs, reads), `splits at ${at.join(',')}`);
    }
  });

  it('takes other headers and any case of Content-Length', async () => {
    const body = Buffer.from(JSON.stringify(messages[2]));
    const frame = Buffer.concat([
      Buffer.from(`content-length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n`),
      body,
    ]);
    assert.deepEqual(await read(ours, [frame, frameOf(messages[3])]), { got: [messages[2], messages[3]], errors: [] });
  });

  it('reports a body that is not JSON and reads the next frame, in the same read or the next', async () => {
    const broken = Buffer.from('Content-Length: 11\r\n\r\n{not json!}');
    for (const reads of [[broken, frameOf(messages[2])], [Buffer.concat([broken, frameOf(messages[2])])]]) {
      const r = await read(ours, reads);
      assert.deepEqual(r.got, [messages[2]]);
      assert.equal(r.errors.length, 1);
      assert.doesNotMatch(
        r.errors[0],
        /Content-Length|Message header/,
        'not a framing error: the server keeps serving',
      );
    }
  });

  it('reports a message the connection throws on and reads the next frame', async () => {
    const input = new PassThrough();
    const reader = new FrameReader(input);
    const got: Message[] = [];
    const errors: string[] = [];
    reader.listen((m) => {
      if (Array.isArray(m)) throw new TypeError('not a JSON-RPC message');
      got.push(m);
    });
    reader.onError((e) => errors.push(e.message));
    input.write(Buffer.concat([Buffer.from('Content-Length: 2\r\n\r\n[]'), frameOf(messages[2])]));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, [messages[2]]);
    assert.deepEqual(errors, ['not a JSON-RPC message']);
  });

  for (const [name, header] of [
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x'],
    ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc'],
    ['a Content-Length that is not a number', 'Content-Length: abc'],
  ] as const) {
    it(`reports ${name} as a framing error and delivers nothing after it`, async () => {
      const r = await read(ours, [Buffer.from(`${header}\r\n\r\n{}`), frameOf(messages[2])]);
      assert.deepEqual(r.got, []);
      assert.equal(r.errors.length, 1);
      // the words server.ts's stdio connection exits on
      assert.match(r.errors[0], /Content-Length|Message header/);
      // vscode-jsonrpc reports the same input as a framing error too
      const t = await read(theirs, [Buffer.from(`${header}\r\n\r\n{}`)]);
      assert.match(t.errors.join('\n'), /Content-Length|Message header/);
    });
  }

  it('waits for the rest of a body that is longer than what came', async () => {
    const frame = frameOf(messages[0]);
    const r = await read(ours, [frame.subarray(0, frame.length - 1)]);
    assert.deepEqual(r, { got: [], errors: [] });
  });

  it('reads a header block on its own', () => {
    assert.equal(contentLength('Content-Length: 42'), 42);
    assert.equal(contentLength('Content-Type: x\r\nCONTENT-LENGTH:7'), 7);
    assert.ok(contentLength('Content-Length: -1') instanceof Error);
  });
});
