import Fastify from 'fastify';

/** The baseline: a bare Fastify hello-world, on the same machine, in the same run. */
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));

/**
 * A second baseline for pages that carry a body: a fixed JSON string of BODY_BYTES
 * (default 5,300, the seeded articles' average page), sent as is. It prices the bytes alone:
 * the socket write and the load generator's parsing, with none of Webook's work.
 */
const body = JSON.stringify({ code: 0, msg: 'ok', data: { content: 'x'.repeat(Number(process.env.BODY_BYTES ?? 5300) - 40) } });
app.get('/hello-body', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8090) });
