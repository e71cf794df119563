import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Cache } from '../../pkg/cache/cache.js';
import type { Clock } from '../../pkg/clock/clock.js';
import { SessionCache } from './session.cache.js';
import { SessionDao } from './session.dao.js';
import { SessionService } from './session.service.js';
import { TokenSigner } from './session.tokens.js';
import { optionalAuth, requireAuth, sessionRoutes } from './session.web.js';

export interface SessionModuleDeps {
  db: Kysely<DB>;
  cache: Cache;
  clock: Clock;
  secrets: { access: string; refresh: string };
  ttlSeconds: { access: number; refresh: number };
}

/** What other modules may use of sessions: the service, the auth pre-handlers, the routes. */
export function createSessionModule(deps: SessionModuleDeps) {
  const signer = new TokenSigner(
    deps.secrets,
    { accessSeconds: deps.ttlSeconds.access, refreshSeconds: deps.ttlSeconds.refresh },
    () => deps.clock.now(),
  );
  const service = new SessionService(
    new SessionDao(deps.db),
    new SessionCache(deps.cache),
    signer,
    deps.clock,
    { accessMs: deps.ttlSeconds.access * 1000, refreshMs: deps.ttlSeconds.refresh * 1000 },
  );
  return { service, requireAuth: requireAuth(service), optionalAuth: optionalAuth(service), routes: sessionRoutes(service) };
}

export type SessionModule = ReturnType<typeof createSessionModule>;
