const { Message } = require('./generated/message.js');

const greeting = 'hello from node-postinstall-codegen v1'; // BENCH-EDIT: the benchmark edits this line

if (process.argv.includes('--once')) {
  console.log(greeting, Message.parse({ from: 'bench', text: 'ping', priority: 1 }));
} else {
  require('node:http').createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      const r = Message.safeParse(JSON.parse(body || '{}'));
      res.statusCode = r.success ? 200 : 400;
      res.end(JSON.stringify(r.success ? { greeting, ...r.data } : r.error.issues));
    });
  }).listen(3000);
}
