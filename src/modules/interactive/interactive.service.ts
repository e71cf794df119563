import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { isUniqueViolation } from '../../pkg/db/dialect.js';
import { COLLECTIONS_PER_USER_MAX, type Biz, type CollectedItem, type Collection, type Counters, type InteractiveView, type ReadRecord } from './interactive.domain.js';
import { InteractiveCodes } from './interactive.errors.js';
import type { InteractiveLiked } from './interactive.events.js';
import type { InteractiveRepository } from './interactive.repository.js';

/**
 * Reads, likes and collections of any target (biz, bizId). It does not know whether the
 * target exists: the module that owns the target checks that before calling.
 */
export class InteractiveService {
  constructor(
    private readonly repo: InteractiveRepository,
    private readonly clock: Clock,
    /** Told of every new like, after its commit (interactive.events.ts). */
    private readonly onLiked: (event: InteractiveLiked) => Promise<void> = async () => {},
  ) {}

  /** Counters and, for a logged-in reader (uid > 0), whether they liked / collected it. */
  view(biz: Biz, bizId: number, uid: number): Promise<InteractiveView> {
    return this.repo.view(biz, bizId, uid);
  }

  /** view when everything it needs is held in this process (Cache.held); undefined when only view can tell. */
  heldView(biz: Biz, bizId: number, uid: number): InteractiveView | undefined {
    return this.repo.heldView(biz, bizId, uid);
  }

  countersOf(biz: Biz, bizIds: number[]): Promise<Counters[]> {
    return this.repo.countersOf(biz, bizIds);
  }

  /**
   * Counters straight from the database in one query, for batch jobs that read every
   * target once (the ranking): filling the cache with all of them would only evict what
   * readers need. Targets without a row are absent from the map (all zero).
   */
  storedCountersOf(biz: Biz, bizIds: number[]): Promise<Map<number, Counters>> {
    return this.repo.storedCountersOf(biz, bizIds);
  }

  /** Idempotent both ways: true when this call changed something. */
  async like(uid: number, biz: Biz, bizId: number, like: boolean): Promise<boolean> {
    const at = this.clock.now();
    const changed = await this.repo.setLike(uid, biz, bizId, like, at);
    if (changed && like) await this.onLiked({ biz, bizId, uid, at });
    return changed;
  }

  /** Which of bizIds uid liked. */
  likedAmong(uid: number, biz: Biz, bizIds: number[]): Promise<Set<number>> {
    return uid > 0 ? this.repo.likedAmong(uid, biz, bizIds) : Promise.resolve(new Set());
  }

  /** The ids uid liked most recently, newest like first, at most max of them. */
  likedIds(uid: number, biz: Biz, max: number): Promise<number[]> {
    return this.repo.likedIds(uid, biz, max);
  }

  /** Into folder cid (which must be uid's); an item already in another folder moves. */
  async collect(uid: number, biz: Biz, bizId: number, cid: number): Promise<void> {
    const outcome = await this.repo.collect(uid, biz, bizId, cid, this.clock.now());
    if (outcome === 'no_folder') throw new AppError(InteractiveCodes.collectionNotFound);
  }

  async uncollect(uid: number, biz: Biz, bizId: number): Promise<void> {
    await this.repo.uncollect(uid, biz, bizId, this.clock.now());
  }

  async createCollection(uid: number, name: string): Promise<number> {
    // A soft bound (two requests at once may both pass): it keeps lists short, not secrets safe.
    if ((await this.repo.countFolders(uid)) >= COLLECTIONS_PER_USER_MAX) throw new AppError(InteractiveCodes.tooManyCollections);
    try {
      return await this.repo.createFolder(uid, name.trim(), this.clock.now());
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(InteractiveCodes.collectionNameTaken);
      throw err;
    }
  }

  collections(uid: number): Promise<Collection[]> {
    return this.repo.listFolders(uid);
  }

  async renameCollection(uid: number, cid: number, name: string): Promise<void> {
    let found: boolean;
    try {
      found = await this.repo.renameFolder(uid, cid, name.trim(), this.clock.now());
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(InteractiveCodes.collectionNameTaken);
      throw err;
    }
    if (!found) throw new AppError(InteractiveCodes.collectionNotFound);
  }

  async deleteCollection(uid: number, cid: number): Promise<void> {
    if (!(await this.repo.deleteFolder(uid, cid, this.clock.now()))) throw new AppError(InteractiveCodes.collectionNotFound);
  }

  async collectionItems(uid: number, cid: number, biz: Biz, offset: number, limit: number): Promise<CollectedItem[]> {
    if (!(await this.repo.ownsFolder(uid, cid))) throw new AppError(InteractiveCodes.collectionNotFound);
    return this.repo.items(uid, cid, biz, offset, limit);
  }

  /** For the read-count consumer: exactly-once counting of at-least-once events. */
  countReads(consumer: string, biz: Biz, reads: ReadRecord[]): Promise<number> {
    return this.repo.countReads(consumer, biz, reads, this.clock.now());
  }

  pruneProcessed(olderThanMs: number): Promise<number> {
    return this.repo.pruneProcessed(this.clock.now() - olderThanMs);
  }
}
