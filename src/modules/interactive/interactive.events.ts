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
 * Publishes after the like committed. A bus failure loses only the notification, never the
 * like (already stored and counted), so it is logged (P2) instead of failing the request.
 */
export function likedPublisher(bus: EventBus, logger: Logger) {
  return async (event: InteractiveLiked): Promise<void> => {
    await bus.publish(INTERACTIVE_LIKED, event).catch((err: unknown) => logger.warn({ severity: 'P2', err, event }, 'like event could not be published'));
  };
}
