const Koa = require('koa');
const Router = require('@koa/router');
const { stamp } = require('@acme/shared');

const name = 'node-workspaces api v1'; // BENCH-EDIT: the benchmark edits this line
const router = new Router();
router.get('/', (ctx) => { ctx.body = stamp(name); });

const app = new Koa();
app.use(router.routes());
if (require.main === module) app.listen(Number(process.env.PORT ?? 3000));
module.exports = app;
