import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { UserCodes } from '../user/user.errors.js';
import type { UserService } from '../user/user.service.js';
import { FOLLOWEES_MAX, type FollowCounts, type FollowEntry, type FollowUserView, type Page } from './follow.domain.js';
import { FollowCodes } from './follow.errors.js';
import type { FollowCreated } from './follow.events.js';
import type { FollowRepository } from './follow.repository.js';

export interface FollowServiceDeps {
  repo: FollowRepository;
  users: UserService;
  clock: Clock;
  /** Told of every new follow after its commit. */
  onFollowed: (event: FollowCreated) => Promise<void>;
}

/** Who follows whom, by user id (the shape a Conduit profile layer needs too). */
export class FollowService {
  constructor(private readonly deps: FollowServiceDeps) {}

  /** Idempotent: following twice is one follow. No self-follow; an unknown user is a 404. */
  async follow(followerId: number, followeeId: number): Promise<void> {
    if (followerId === followeeId) throw new AppError(FollowCodes.selfFollow, { fields: { uid: FollowCodes.selfFollow.msg } });
    await this.mustExist(followeeId);
    const { repo, clock } = this.deps;
    // A soft bound (two requests at once may both pass): it keeps feed reads bounded, not secrets safe.
    if ((await repo.counts(followerId)).followeeCnt >= FOLLOWEES_MAX && !(await repo.follows(followerId, followeeId))) {
      throw new AppError(FollowCodes.tooManyFollowees);
    }
    const at = clock.now();
    if (await repo.setFollow(followerId, followeeId, true, at)) await this.deps.onFollowed({ followerId, followeeId, at });
  }

  /** Idempotent: unfollowing someone you do not follow changes nothing. */
  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.deps.repo.setFollow(followerId, followeeId, false, this.deps.clock.now());
  }

  /** A user's counts and whether the viewer (0: anonymous) follows them. */
  async stats(uid: number, viewer: number): Promise<FollowCounts & { followed: boolean }> {
    await this.mustExist(uid);
    const [counts, followed] = await Promise.all([this.deps.repo.counts(uid), viewer > 0 ? this.deps.repo.follows(viewer, uid) : false]);
    return { ...counts, followed };
  }

  counts(uid: number): Promise<FollowCounts> {
    return this.deps.repo.counts(uid);
  }

  follows(followerId: number, followeeId: number): Promise<boolean> {
    return this.deps.repo.follows(followerId, followeeId);
  }

  /** Newest follow first; cursor = the previous page's nextCursor. */
  async followers(uid: number, cursor: number | undefined, limit: number): Promise<Page<FollowUserView>> {
    await this.mustExist(uid);
    return this.page(await this.deps.repo.followers(uid, cursor, limit + 1), limit);
  }

  async followees(uid: number, cursor: number | undefined, limit: number): Promise<Page<FollowUserView>> {
    await this.mustExist(uid);
    return this.page(await this.deps.repo.followees(uid, cursor, limit + 1), limit);
  }

  /** Raw pages of follower ids, for the feed's fan-out. */
  followerEntries(uid: number, cursor: number | undefined, limit: number): Promise<FollowEntry[]> {
    return this.deps.repo.followers(uid, cursor, limit);
  }

  /** Everyone uid follows (at most FOLLOWEES_MAX). */
  followeeIds(uid: number): Promise<number[]> {
    return this.deps.repo.followeeIds(uid);
  }

  private async mustExist(uid: number): Promise<void> {
    try {
      await this.deps.users.profile(uid);
    } catch (err) {
      if (err instanceof AppError && err.code === UserCodes.userNotFound.code) throw new AppError(FollowCodes.userNotFound);
      throw err;
    }
  }

  private async page(rows: FollowEntry[], limit: number): Promise<Page<FollowUserView>> {
    const items = rows.slice(0, limit);
    const names = await Promise.all(items.map((e) => this.deps.users.displayName(e.uid)));
    return {
      items: items.map((e, i) => ({ id: e.uid, name: names[i]!, followedAt: e.ctime })),
      nextCursor: rows.length > limit ? String(items[items.length - 1]!.relationId) : null,
    };
  }
}
