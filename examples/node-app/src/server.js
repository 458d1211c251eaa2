const http = require('node:http');
http.createServer((req, res) => res.end('hello from the example\n')).listen(3000);
