const fastify = require('fastify')({ logger: true });
fastify.register(require('@fastify/cors'));

const title = 'node-fastify-argtop v1'; // BENCH-EDIT: the benchmark edits this line
fastify.get('/', async () => ({ title }));

if (require.main === module) fastify.listen({ port: Number(process.env.PORT ?? 3000), host: '0.0.0.0' });
