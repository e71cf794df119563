import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, buildTestApp, signup, authed, type TestApp } from '../support/app.js';

describe('platform endpoints and cross-cutting behaviour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' });
  });
  afterAll(async () => t.close());

  it('serves /healthz and /readyz', async () => {
    expect(bodyOf(await t.app.inject('/healthz')).data).toEqual({ status: 'up' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(bodyOf(ready).data).toEqual({ database: 'up', cache: 'up', bus: 'up' });
  });

  it('serves Prometheus metrics with per-route latency and error counts', async () => {
    await t.app.inject('/users/profile');
    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('http_request_duration_seconds_bucket{');
    expect(res.body).toMatch(/route="\/users\/profile",status_code="401"/);
    expect(res.body).toMatch(/webook_errors_total\{code="401101",severity="P3"\} 1/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document generated from the route schemas, and its UI at /docs', async () => {
    const doc = bodyOf(await t.app.inject('/docs/json')) as unknown as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/users/signup', '/users/login', '/users/profile', '/users/edit', '/users/refresh_token', '/users/logout']),
    );
    const signupSchema = doc.paths['/users/signup']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(signupSchema.properties)).toEqual(['email', 'password', 'confirmPassword']);
    const ui = await t.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('when a route does not exist, then 404 with the envelope', async () => {
    const res = await t.app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res)).toEqual({ code: 400004, msg: 'no such route', data: null });
  });

  it('echoes a tame x-request-id, replaces a wild one, and stamps the request\'s log lines with it', async () => {
    const mine = await t.app.inject({ url: '/users/profile', headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(mine.headers['x-request-id']).toBe('trace-abc-12345');
    const lines = t.logs.filter((l) => l.traceId === 'trace-abc-12345');
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['request', 'not logged in']));
    expect(lines.find((l) => l.msg === 'not logged in')).toMatchObject({ severity: 'P3', code: 401101 });

    const wild = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(wild.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the database fails, then the client sees a 503 envelope with no SQL or stack, and the log has P0', async () => {
    const broken = await buildTestApp({ dialect: 'sqlite', cache: 'memory' });
    const { access } = await signup(broken.app, 'fault@example.com');
    await broken.container.backends.cache.del('user:info:1');
    await broken.container.backends.database.close();
    const res = await broken.app.inject({ url: '/users/profile', headers: { ...authed(access), 'x-request-id': 'fault-trace-1' } });
    expect([500, 503]).toContain(res.statusCode);
    expect(bodyOf(res).code).toBeGreaterThanOrEqual(500001);
    expect(res.body).not.toMatch(/select|sqlite|stack|\.ts:/i);
    const line = broken.logs.find((l) => l.traceId === 'fault-trace-1' && (l.severity === 'P0' || l.severity === 'P1'));
    expect(line).toBeDefined();
    expect(JSON.stringify(line)).toMatch(/stack/); // ops get the stack, clients never
    await broken.app.close();
  });
});
