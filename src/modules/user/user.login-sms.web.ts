import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../../pkg/clock/clock.js';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import { enforce } from '../../pkg/http/rate-limit.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { CodeModule } from '../code/code.module.js';
import type { SessionModule } from '../session/session.module.js';
import { sendTokens } from '../session/session.web.js';
import { normalisePhone } from './user.domain.js';
import { UserCodes } from './user.errors.js';
import { LoginSmsBody, SendLoginCodeBody } from './user.schemas.js';
import type { UserService } from './user.service.js';

/** The business name of login codes in the code store (one code per phone and business). */
export const LOGIN_BIZ = 'login';

export interface LoginSmsRoutesDeps {
  users: UserService;
  codes: CodeModule;
  sessions: SessionModule;
  limiter: RateLimiter;
  clock: Clock;
  authRule: RateRule;
}

/** POST /users/login_sms/code/send and POST /users/login_sms (the original's SMS login). */
export function loginSmsRoutes(deps: LoginSmsRoutesDeps) {
  const { users, codes, sessions } = deps;
  /** The login limit per client IP, before the body is parsed: the code store limits each phone, this each sender. */
  const limitByIp = (scope: string) => async (request: FastifyRequest, reply: FastifyReply) =>
    enforce(deps.limiter, deps.clock, reply, `${scope}:${request.ip}`, deps.authRule, UserCodes.authLimited);

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/users/login_sms/code/send',
      {
        onRequest: limitByIp('sms-send'),
        schema: {
          tags: ['users'],
          summary: 'Text a 6-digit login code to a phone (valid 10 minutes, one per minute)',
          body: SendLoginCodeBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        await codes.service.send(LOGIN_BIZ, normalisePhone(request.body.phone));
        return ok(null);
      },
    );

    app.post(
      '/users/login_sms',
      {
        onRequest: limitByIp('sms-login'),
        schema: {
          tags: ['users'],
          summary: 'Log in with the texted code (creates the account on first login); tokens in x-jwt-token / x-refresh-token',
          body: LoginSmsBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request, reply) => {
        const phone = normalisePhone(request.body.phone);
        await codes.service.verify(LOGIN_BIZ, phone, request.body.code);
        const user = await users.findOrCreateByPhone(phone);
        sendTokens(reply, await sessions.service.start(user.id, request.headers['user-agent']));
        return ok(null);
      },
    );
  };
}
