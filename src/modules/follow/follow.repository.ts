import { inTransaction } from '../../pkg/db/transaction.js';
import type { FollowDao } from './follow.dao.js';
import type { FollowCounts, FollowEntry } from './follow.domain.js';

/** Each change writes the relation and both users' counts in one transaction. */
export class FollowRepository {
  constructor(private readonly dao: FollowDao) {}

  /** True when it changed anything: following twice (or unfollowing a stranger) is a no-op. */
  async setFollow(followerId: number, followeeId: number, follow: boolean, now: number): Promise<boolean> {
    return inTransaction(this.dao.db, async (tx) => {
      const changed = follow ? await this.dao.insertRelation(tx, followerId, followeeId, now) : await this.dao.deleteRelation(tx, followerId, followeeId);
      const by = follow ? 1 : -1;
      if (changed) {
        await this.dao.addCounts(tx, [{ uid: followeeId, followerCnt: by, followeeCnt: 0 }, { uid: followerId, followerCnt: 0, followeeCnt: by }], now);
      }
      return changed;
    });
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

  followeeIds(uid: number): Promise<number[]> {
    return this.dao.followeeIds(uid);
  }
}
