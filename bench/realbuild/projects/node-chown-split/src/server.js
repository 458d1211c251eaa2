// Keeps a visit counter in /app/data/state.json, next to the seed data the
// image ships: the process runs as `node`, so /app/data and the files in it
// must belong to node, as the Dockerfile's `chown -R node:node /app` makes them.
const fs = require('node:fs');
const path = require('node:path');
const { z } = require('zod');

const greeting = 'hello from node-chown-split v1'; // BENCH-EDIT: the benchmark edits this line
const State = z.object({ visits: z.number().int().nonnegative() });
const file = path.join(__dirname, '..', 'data', 'state.json');

function bump() {
  const state = State.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  state.visits += 1;
  fs.writeFileSync(file, JSON.stringify(state) + '\n');
  return state;
}

if (process.argv.includes('--once')) {
  console.log(greeting, bump());
} else {
  require('node:http').createServer((req, res) => res.end(JSON.stringify({ greeting, ...bump() }))).listen(3000);
}
