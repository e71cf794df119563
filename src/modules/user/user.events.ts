/**
 * A user's nickname changed. Other modules keep copies of it where a lookup per read would
 * not do (the search index's author words), so the event goes through the outbox
 * (pkg/events/outbox.ts), written in the rename's transaction: a consumer never misses one.
 * It only names the user: delivery is at least once and in no guaranteed order, so a
 * consumer reads the current nickname rather than trusting the event's moment.
 */
export const USER_RENAMED = 'user.renamed';

export interface UserRenamed {
  uid: number;
}
