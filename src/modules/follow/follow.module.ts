import type { Platform } from '../platform.js';
import type { SessionModule } from '../session/session.module.js';
import type { UserModule } from '../user/user.module.js';
import { FollowCache } from './follow.cache.js';
import { FollowDao } from './follow.dao.js';
import { FOLLOW_CREATED, type FollowCreated } from './follow.events.js';
import { FollowRepository } from './follow.repository.js';
import { FollowService } from './follow.service.js';
import { followRoutes } from './follow.web.js';

export interface FollowModuleDeps extends Platform {
  sessions: SessionModule;
  users: UserModule;
}

/** What other modules may use of follows: the service (and follow.events.ts). */
export function createFollowModule(deps: FollowModuleDeps) {
  // After the commit, without making the request wait for the bus; a bus failure loses the
  // notification only, never the follow (logged P2).
  const onFollowed = async (event: FollowCreated) => {
    void deps.bus.publish(FOLLOW_CREATED, event).catch((err: unknown) => deps.logger.warn({ severity: 'P2', err, event }, 'follow event could not be published'));
  };
  const service = new FollowService({ repo: new FollowRepository(new FollowDao(deps.db, deps.dialect), new FollowCache(deps.cache)), users: deps.users.service, clock: deps.clock, onFollowed });
  return { service, routes: followRoutes({ follows: service, sessions: deps.sessions }) };
}

export type FollowModule = ReturnType<typeof createFollowModule>;
