import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { STRONG_PASSWORD, UA } from './app.js';

let seq = 0;

export interface ConduitClient {
  username: string;
  email: string;
  token: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A Conduit request: `Authorization: Token <jwt>` when a token is given, the tests' user agent always. */
export function call(app: FastifyInstance, method: Method, url: string, opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  return app.inject({
    method,
    url: `/api${url}`,
    headers: { 'user-agent': UA, ...(opts.token ? { authorization: `Token ${opts.token}` } : {}), ...opts.headers },
    ...(opts.body !== undefined && { payload: opts.body as Record<string, unknown> }),
  });
}

export const json = (res: LightMyRequestResponse) => res.json() as any;

/** A unique name with a readable prefix (usernames are global in a test database). */
export const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}${++seq}`;

/** Registers through POST /api/users and returns the user's token. */
export async function register(app: FastifyInstance, prefix = 'user'): Promise<ConduitClient> {
  const username = uniqueName(prefix);
  const email = `${username.toLowerCase()}@example.com`;
  const res = await call(app, 'POST', '/users', { body: { user: { username, email, password: STRONG_PASSWORD } } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { username, email, token: json(res).user.token as string };
}

/** Creates (publishes) an article and returns it as the API answered. */
export async function createArticle(app: FastifyInstance, token: string, article: { title?: string; description?: string; body?: string; tagList?: string[] } = {}) {
  const body = { title: 'How to train your dragon', description: 'Ever wonder how?', body: 'You have to believe', ...article };
  const res = await call(app, 'POST', '/articles', { token, body: { article: body } });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return json(res).article as { slug: string; title: string; [k: string]: unknown };
}
