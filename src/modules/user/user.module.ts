import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Cache } from '../../pkg/cache/cache.js';
import type { Clock } from '../../pkg/clock/clock.js';
import type { PasswordHasher } from '../../pkg/crypto/password.js';
import type { Dialect } from '../../pkg/db/dialect.js';
import type { EventOutbox } from '../../pkg/events/outbox.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { CodeModule } from '../code/code.module.js';
import type { SessionModule } from '../session/session.module.js';
import { UserCache } from './user.cache.js';
import { UserDao } from './user.dao.js';
import { UserIdentityDao } from './user.identity.dao.js';
import { UserRepository } from './user.repository.js';
import { loginSmsRoutes } from './user.login-sms.web.js';
import { UserService } from './user.service.js';
import { userRoutes } from './user.web.js';

export interface UserModuleDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  cache: Cache;
  clock: Clock;
  hasher: PasswordHasher;
  limiter: RateLimiter;
  authRule: RateRule;
  sessions: SessionModule;
  /** One-time codes for SMS login. */
  codes: CodeModule;
  /** Where `user.renamed` goes (user.events.ts). */
  outbox: EventOutbox;
}

/** What other modules may use of users: the service, and the routes for the app. */
export function createUserModule(deps: UserModuleDeps) {
  const repo = new UserRepository(new UserDao(deps.db, deps.dialect), new UserCache(deps.cache), new UserIdentityDao(deps.db), deps.db, deps.outbox);
  const service = new UserService(repo, deps.hasher, deps.clock);
  const web = { users: service, sessions: deps.sessions, limiter: deps.limiter, clock: deps.clock, authRule: deps.authRule };
  const passwordRoutes = userRoutes(web);
  const smsRoutes = loginSmsRoutes({ ...web, codes: deps.codes });
  const routes = async (app: FastifyInstance) => {
    await app.register(passwordRoutes);
    await app.register(smsRoutes);
  };
  return { service, routes };
}

export type UserModule = ReturnType<typeof createUserModule>;
