import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Cache } from '../pkg/cache/cache.js';
import type { Clock } from '../pkg/clock/clock.js';
import type { Dialect } from '../pkg/db/dialect.js';
import type { EventBus } from '../pkg/events/bus.js';
import type { EventOutbox } from '../pkg/events/outbox.js';
import type { Logger } from '../pkg/logger/logger.js';

/** What the composition root hands every module factory: the backends and the process-wide services. */
export interface Platform {
  db: Kysely<DB>;
  dialect: Dialect;
  cache: Cache;
  bus: EventBus;
  /** Events that must not be lost: added in the change's transaction, relayed to the bus after it (pkg/events/outbox.ts). */
  outbox: EventOutbox;
  clock: Clock;
  logger: Logger;
}
