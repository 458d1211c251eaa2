const helmet = require('helmet');

const greeting = 'hello from node-npmrc-omit-dev v1'; // BENCH-EDIT: the benchmark edits this line
const secure = helmet();

if (process.argv.includes('--once')) {
  console.log(greeting, typeof secure);
} else {
  require('node:http').createServer((req, res) => secure(req, res, () => res.end(greeting))).listen(3000);
}
