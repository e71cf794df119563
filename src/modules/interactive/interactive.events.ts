import type { EventBus } from '../../pkg/events/bus.js';
import type { Logger } from '../../pkg/logger/logger.js';
import type { Biz } from './interactive.domain.js';

/** A new like (not a repeated one, not an unlike); the feed tells the target's owner. */
export const INTERACTIVE_LIKED = 'interactive.liked';

export interface InteractiveLiked {
  biz: Biz;
  bizId: number;
  /** Who liked it. */
  uid: number;
  at: number;
}

/**
 * Publishes after the like committed, without making the request wait: a bus that is slow
 * or down (a JetStream publish waits up to 5 s for its ack) must not slow likes. A failure
 * loses only the notification, never the like (already stored and counted): logged, P2.
 */
export function likedPublisher(bus: EventBus, logger: Logger) {
  return async (event: InteractiveLiked): Promise<void> => {
    void bus.publish(INTERACTIVE_LIKED, event).catch((err: unknown) => logger.warn({ severity: 'P2', err, event }, 'like event could not be published'));
  };
}
