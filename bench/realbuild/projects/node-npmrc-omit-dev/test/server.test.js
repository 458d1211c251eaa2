const { test } = require('node:test');
const { z } = require('zod');

test('greeting is a string', () => {
  z.string().parse(require('node:fs').readFileSync(require.resolve('../src/server.js'), 'utf8'));
});
