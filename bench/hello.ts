import Fastify from 'fastify';

/** The baseline: a bare Fastify hello-world, on the same machine, in the same run. */
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8090) });
