import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../../pkg/clock/clock.js';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import { enforce } from '../../pkg/http/rate-limit.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity, sendTokens } from '../session/session.web.js';
import { normaliseEmail, profileOf } from './user.domain.js';
import { EditBody, LoginBody, Profile, SignupBody, SignupData } from './user.schemas.js';
import { UserCodes } from './user.errors.js';
import type { UserService } from './user.service.js';

export interface UserRoutesDeps {
  users: UserService;
  sessions: SessionModule;
  limiter: RateLimiter;
  clock: Clock;
  authRule: RateRule;
}

/** POST /users/signup, /users/login, /users/edit and GET /users/profile. */
export function userRoutes(deps: UserRoutesDeps) {
  const { users, sessions } = deps;
  /** The stricter limit on credential endpoints, per client IP, checked before the body is even parsed. */
  const limitByIp = (scope: string) => async (request: FastifyRequest, reply: FastifyReply) =>
    enforce(deps.limiter, deps.clock, reply, `${scope}:${request.ip}`, deps.authRule, UserCodes.authLimited);

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/users/signup',
      {
        onRequest: limitByIp('signup'),
        schema: {
          tags: ['users'],
          summary: 'Create an account; the new session tokens come back in x-jwt-token / x-refresh-token',
          body: SignupBody,
          response: { 200: Envelope(SignupData), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { email, password, confirmPassword } = request.body;
        const id = await users.signup(email, password, confirmPassword);
        sendTokens(reply, await sessions.service.start(id, request.headers['user-agent']));
        return ok({ id });
      },
    );

    app.post(
      '/users/login',
      {
        onRequest: limitByIp('login'),
        schema: {
          tags: ['users'],
          summary: 'Log in with email and password; tokens come back in x-jwt-token / x-refresh-token',
          body: LoginBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request, reply) => {
        // Per account too: a password guessed from many IPs is still limited.
        await enforce(deps.limiter, deps.clock, reply, `login-email:${normaliseEmail(request.body.email)}`, deps.authRule, UserCodes.authLimited);
        const user = await users.login(request.body.email, request.body.password);
        sendTokens(reply, await sessions.service.start(user.id, request.headers['user-agent']));
        return ok(null);
      },
    );

    app.get(
      '/users/profile',
      {
        preHandler: sessions.requireAuth,
        schema: { tags: ['users'], summary: 'The logged-in user', security: bearerSecurity, response: { 200: Envelope(Profile), ...errorResponses } },
      },
      async (request) => ok(profileOf(await users.profile(authOf(request).uid))),
    );

    app.post(
      '/users/edit',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags: ['users'],
          summary: 'Edit nickname, birthday (YYYY-MM-DD, empty or null clears it) and about-me',
          security: bearerSecurity,
          body: EditBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        await users.edit(authOf(request).uid, request.body);
        return ok(null);
      },
    );
  };
}
