import type { FastifyInstance } from 'fastify';
import { authed, bodyOf, signup } from './app.js';

let seq = 0;

/** A new user with a nickname; returns its access token and uid. */
export async function newUser(app: FastifyInstance, nickname?: string): Promise<{ token: string; uid: number }> {
  const email = `u${Date.now().toString(36)}${++seq}@example.com`;
  const { access } = await signup(app, email);
  if (nickname) await app.inject({ method: 'POST', url: '/users/edit', headers: authed(access), payload: { nickname } });
  const profile = await app.inject({ method: 'GET', url: '/users/profile', headers: authed(access) });
  return { token: access, uid: bodyOf(profile).data.id as number };
}

export const post = (app: FastifyInstance, url: string, token: string | null, payload: unknown) =>
  app.inject({ method: 'POST', url, headers: token ? authed(token) : { 'user-agent': 'x' }, payload: payload as Record<string, unknown> });

export const get = (app: FastifyInstance, url: string, token: string | null = null) =>
  app.inject({ method: 'GET', url, headers: token ? authed(token) : { 'user-agent': 'x' } });

/** Publishes an article and returns its id (fails the test otherwise). */
export async function publish(app: FastifyInstance, token: string, title = 'Hello', content = '# Hello\n\nSome *Markdown*.'): Promise<number> {
  const res = await post(app, '/articles/publish', token, { title, content });
  if (res.statusCode !== 200) throw new Error(`publish failed: ${res.statusCode} ${res.body}`);
  return bodyOf(res).data.id as number;
}
