import { inTransaction } from '../../pkg/db/transaction.js';
import type { FollowCache } from './follow.cache.js';
import type { FollowDao } from './follow.dao.js';
import type { FollowCounts, FollowEntry } from './follow.domain.js';

/**
 * Each change writes the relation and both users' counts in one transaction; after the
 * commit the follower's cached followee list is replaced by the one the database now holds.
 */
export class FollowRepository {
  constructor(
    private readonly dao: FollowDao,
    private readonly cache: FollowCache,
  ) {}

  /** True when it changed anything: following twice (or unfollowing a stranger) is a no-op. */
  async setFollow(followerId: number, followeeId: number, follow: boolean, now: number): Promise<boolean> {
    const changed = await inTransaction(this.dao.db, async (tx) => {
      const did = follow ? await this.dao.insertRelation(tx, followerId, followeeId, now) : await this.dao.deleteRelation(tx, followerId, followeeId);
      const by = follow ? 1 : -1;
      if (did) {
        await this.dao.addCounts(tx, [{ uid: followeeId, followerCnt: by, followeeCnt: 0 }, { uid: followerId, followerCnt: 0, followeeCnt: by }], now);
      }
      return did;
    });
    // Read after the commit and stored over whatever a reader filled meanwhile. Two changes by
    // one follower at the same instant may store in the wrong order; the TTL bounds that.
    if (changed) await this.cache.storeFollowees(followerId, await this.dao.followeeIds(followerId));
    return changed;
  }

  counts(uid: number): Promise<FollowCounts> {
    return this.dao.counts(uid);
  }

  follows(followerId: number, followeeId: number): Promise<boolean> {
    return this.dao.follows(followerId, followeeId);
  }

  followers(uid: number, before: number | undefined, limit: number): Promise<FollowEntry[]> {
    return this.dao.followers(uid, before, limit);
  }

  followees(uid: number, before: number | undefined, limit: number): Promise<FollowEntry[]> {
    return this.dao.followees(uid, before, limit);
  }

  async followeeIds(uid: number): Promise<number[]> {
    const cached = await this.cache.followees(uid);
    if (cached) return cached;
    const ids = await this.dao.followeeIds(uid);
    await this.cache.fillFollowees(uid, ids);
    return ids;
  }
}
