import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../../pkg/clock/clock.js';
import { enforce } from '../../pkg/http/rate-limit.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { SessionService } from '../session/session.service.js';
import { normaliseEmail } from '../user/user.domain.js';
import { UserCodes } from '../user/user.errors.js';
import type { UserService } from '../user/user.service.js';
import { claimsOf, conduitRouteOptions, viewerOf } from './conduit.auth.js';
import { BLANK, ConduitError } from './conduit.domain.js';
import { LoginBody, ProfileData, RegisterBody, UpdateUserBody, UserData, UsernameParam, errorResponses } from './conduit.schemas.js';
import type { ConduitUsers } from './conduit.users.js';

export interface ConduitUserRoutesDeps {
  conduitUsers: ConduitUsers;
  users: UserService;
  sessions: SessionService;
  limiter: RateLimiter;
  clock: Clock;
  authRule: RateRule;
}

const tags = ['conduit'];

/** POST /users, POST /users/login, GET and PUT /user, GET /profiles/:username, POST and DELETE its /follow. */
export function conduitUserRoutes(deps: ConduitUserRoutesDeps) {
  const { conduitUsers, sessions } = deps;
  const { authed, open } = conduitRouteOptions(sessions);
  // The same keys as Webook's own login and signup: one budget per IP (and per account) across both APIs.
  const limit = (reply: FastifyReply, key: string) => enforce(deps.limiter, deps.clock, reply, key, deps.authRule, UserCodes.authLimited);
  const limitByIp = (scope: string) => async (request: FastifyRequest, reply: FastifyReply) => limit(reply, `${scope}:${request.ip}`);
  const userData = async (uid: number, token: string) => ({ user: { ...(await conduitUsers.user(uid)), token } });
  const startSession = async (uid: number, request: FastifyRequest) => (await sessions.start(uid, request.headers['user-agent'])).accessToken;

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/users/login',
      { onRequest: limitByIp('login'), schema: { tags, summary: 'Log in: the user with a new token', body: LoginBody, response: { 200: UserData, ...errorResponses } } },
      async (request, reply) => {
        const { email = '', password = '' } = request.body.user;
        const blank = { ...(email.trim() === '' && { email: [BLANK] }), ...(password === '' && { password: [BLANK] }) };
        if (Object.keys(blank).length > 0) throw new ConduitError(422, blank);
        await limit(reply, `login-email:${normaliseEmail(email)}`);
        const user = await deps.users.login(email, password);
        return userData(user.id, await startSession(user.id, request));
      },
    );

    app.post(
      '/users',
      { onRequest: limitByIp('signup'), schema: { tags, summary: 'Register: a Webook account with a username, logged in', body: RegisterBody, response: { 201: UserData, ...errorResponses } } },
      async (request, reply) => {
        const uid = await conduitUsers.register(request.body.user);
        reply.status(201);
        return userData(uid, await startSession(uid, request));
      },
    );

    app.get(
      '/user',
      authed('The signed-in user, with a renewed token for the same session', { response: { 200: UserData, ...errorResponses } }),
      async (request) => userData(claimsOf(request).uid, sessions.renewAccess(claimsOf(request))),
    );

    app.put(
      '/user',
      authed('Change email, password, username, bio or image (all of them or none)', { body: UpdateUserBody, response: { 200: UserData, ...errorResponses } }),
      async (request) => {
        const { uid } = claimsOf(request);
        await conduitUsers.update(uid, request.body.user);
        return userData(uid, sessions.renewAccess(claimsOf(request)));
      },
    );

    app.get(
      '/profiles/:username',
      open('A profile; following is for the signed-in reader', { params: UsernameParam, response: { 200: ProfileData, ...errorResponses } }),
      async (request) => ({ profile: await conduitUsers.profile(await conduitUsers.mustFind(request.params.username), viewerOf(request)) }),
    );

    const follow = (yes: boolean) => authed(yes ? 'Follow a user (idempotent)' : 'Unfollow a user (idempotent)', { params: UsernameParam, response: { 200: ProfileData, ...errorResponses } });
    app.post('/profiles/:username/follow', follow(true), async (request) => ({ profile: await conduitUsers.follow(claimsOf(request).uid, request.params.username, true) }));
    app.delete('/profiles/:username/follow', follow(false), async (request) => ({ profile: await conduitUsers.follow(claimsOf(request).uid, request.params.username, false) }));
  };
}
