import type { Cache } from '../../pkg/cache/cache.js';

const FOLLOWEES_TTL_MS = 10 * 60_000;

/**
 * Whom a user follows, as one JSON array: every feed read needs the whole list (up to
 * 5,000 ids), and it changes only when its owner follows or unfollows someone.
 */
export class FollowCache {
  constructor(private readonly cache: Cache) {}

  private static key = (uid: number) => `follow:followees:${uid}`;

  async followees(uid: number): Promise<number[] | null> {
    const raw = await this.cache.get(FollowCache.key(uid));
    return raw === null ? null : (JSON.parse(raw) as number[]);
  }

  /** A reader's fill: never overwrites, so it cannot undo what a writer stored meanwhile. */
  async fillFollowees(uid: number, ids: number[]): Promise<void> {
    await this.cache.setIfAbsent(FollowCache.key(uid), JSON.stringify(ids), FOLLOWEES_TTL_MS);
  }

  /** A writer's store, after its commit, of the list read back from the database. */
  async storeFollowees(uid: number, ids: number[]): Promise<void> {
    await this.cache.set(FollowCache.key(uid), JSON.stringify(ids), FOLLOWEES_TTL_MS);
  }
}
