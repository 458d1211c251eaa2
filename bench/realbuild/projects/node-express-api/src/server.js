const express = require('express');
const helmet = require('helmet');
const morgan = require('morgan');
const { z } = require('zod');

const greeting = 'hello from node-express-api v1'; // BENCH-EDIT: the benchmark edits this line
const Query = z.object({ name: z.string().default('world') });

const app = express();
app.use(helmet());
app.use(morgan('tiny'));
app.get('/', (req, res) => res.json({ greeting, to: Query.parse(req.query).name }));

if (require.main === module) app.listen(Number(process.env.PORT ?? 3000));
module.exports = app;
