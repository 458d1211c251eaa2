// No library at all: frames split by hand, an empty publish per open, change
// and close. What a Node process costs per keystroke at the least (the event
// loop, a read and a write). Run by bench/protocol-floor.bench.ts.
let pending;
const send = (msg) => {
  const json = JSON.stringify(msg);
  process.stdout.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
};
const publish = (uri, version) =>
  send({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics: [] } });
process.stdin.on('data', (chunk) => {
  let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) break;
    const length = Number(/content-length: *(\d+)/i.exec(buf.toString('latin1', 0, end))?.[1]);
    if (buf.length < end + 4 + length) break;
    const msg = JSON.parse(buf.toString('utf8', end + 4, end + 4 + length));
    buf = buf.subarray(end + 4 + length);
    const doc = msg.params?.textDocument;
    if (msg.method === 'initialize')
      send({ jsonrpc: '2.0', id: msg.id, result: { capabilities: { textDocumentSync: 2 } } });
    else if (msg.method === 'exit') process.exit(0);
    else if (msg.method === 'textDocument/didOpen' || msg.method === 'textDocument/didChange')
      publish(doc.uri, doc.version);
    else if (msg.method === 'textDocument/didClose') publish(doc.uri, undefined);
    else if (msg.id !== undefined && msg.method) send({ jsonrpc: '2.0', id: msg.id, result: null });
  }
  pending = buf.length ? buf : undefined;
});
process.stdin.on('end', () => process.exit(0));
