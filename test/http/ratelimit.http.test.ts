import { afterEach, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { STRONG_PASSWORD, UA, bodyOf, buildTestApp, type TestApp } from '../support/app.js';

describe.each(stacks)('rate limits over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('when one IP exceeds the API limit, then 429 with the envelope and Retry-After; others are unaffected', async () => {
    t = await buildTestApp(stack, { WEBOOK_RATELIMIT_API_MAX: '5', WEBOOK_RATELIMIT_API_WINDOW_MS: '60000' });
    const hit = (ip: string) => t!.app.inject({ method: 'GET', url: '/users/profile', remoteAddress: ip });
    // A second into a minute: the synced counter's longest wait, the whole run in one window.
    t.clock.advance(60_000 - (t.clock.now() % 60_000) + 1000);
    for (let i = 0; i < 5; i++) expect((await hit('10.0.0.1')).statusCode).toBe(401);
    const limited = await hit('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(bodyOf(limited)).toEqual({ code: 400003, msg: 'too many requests, slow down', data: null });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await hit('10.0.0.2')).statusCode).toBe(401);
    // Probes are never limited.
    expect((await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
    // Retry-After tells the truth: after it, the IP is welcome again. The sliding log asks
    // for a window at most; the synced counter (production) for up to two, as the last
    // window's hits weigh less only as the sliding window leaves them.
    const wait = Number(limited.headers['retry-after']) * 1000;
    expect(wait).toBeLessThanOrEqual(stack.cache === 'memory' ? 60_000 : 120_000);
    t.clock.advance(wait);
    expect((await hit('10.0.0.1')).statusCode).toBe(401);
  });

  it('when login is hammered, then the stricter limit applies per IP and per account', async () => {
    t = await buildTestApp(stack, { WEBOOK_RATELIMIT_AUTH_MAX: '3' });
    const login = (ip: string, email: string) =>
      t!.app.inject({
        method: 'POST',
        url: '/users/login',
        remoteAddress: ip,
        headers: { 'user-agent': UA },
        payload: { email, password: STRONG_PASSWORD },
      });
    for (let i = 0; i < 3; i++) expect((await login('10.0.1.1', `u${i}@example.com`)).statusCode).toBe(401);
    const limited = await login('10.0.1.1', 'other@example.com');
    expect(limited.statusCode).toBe(429);
    expect(bodyOf(limited).code).toBe(401006);
    // One account guessed from many IPs.
    for (let i = 0; i < 3; i++) expect((await login(`10.0.2.${i}`, 'victim@example.com')).statusCode).toBe(401);
    expect((await login('10.0.2.9', 'victim@example.com')).statusCode).toBe(429);
  });

  it('when 30 signups from one IP race, then exactly the limit gets through', async () => {
    t = await buildTestApp(stack, { WEBOOK_RATELIMIT_AUTH_MAX: '4' });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t!.app.inject({
          method: 'POST',
          url: '/users/signup',
          remoteAddress: '10.0.3.1',
          payload: { email: `burst${i}@example.com`, password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD },
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(4);
    expect(codes.filter((c) => c === 429)).toHaveLength(26);
  });
});
