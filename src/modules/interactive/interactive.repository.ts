import { inTransaction } from '../../pkg/db/transaction.js';
import type { CollectionDao } from './collection.dao.js';
import type { InteractiveCache } from './interactive.cache.js';
import { flagsLoader } from './flags.loader.js';
import type { InteractiveDao } from './interactive.dao.js';
import { READER_MARKS_MAX, ZERO, type Biz, type CollectedItem, type Collection, type Counters, type InteractiveView, type ReadCountStore, type ReaderFlags, type ReaderMarks, type ReadRecord } from './interactive.domain.js';

const NO_FLAGS: ReaderFlags = Object.freeze({ liked: false, collected: false });

/**
 * Likes, collections and counters. Each change is one transaction that writes the fact
 * (the like, the item) and its counter together; the cache hears of it after the commit.
 */
export class InteractiveRepository {
  /** Flags of readers with too many marks to cache, read from the database together (flags.loader.ts). */
  private readonly loadFlags;
  /** Marks being read from the database, by biz, reader and version: a reader's first pages share one read. */
  private readonly loadingMarks = new Map<string, Promise<ReaderMarks | null>>();

  constructor(
    private readonly dao: InteractiveDao,
    private readonly collections: CollectionDao,
    private readonly cache: InteractiveCache,
    /** Where reads are counted into the database: the dao, or a thread of their own (read-count.thread.ts). */
    private readonly readCounts: ReadCountStore = dao,
  ) {
    this.loadFlags = flagsLoader(dao);
  }

  async view(biz: Biz, bizId: number, uid: number): Promise<InteractiveView> {
    const [counters, flags] = await Promise.all([this.counters(biz, bizId), uid > 0 ? this.flags(biz, bizId, uid) : NO_FLAGS]);
    // Field by field: spreading the two objects into one cost about a microsecond a page.
    return { readCnt: counters.readCnt, likeCnt: counters.likeCnt, collectCnt: counters.collectCnt, liked: flags.liked, collected: flags.collected };
  }

  /**
   * view from what the cache holds in this process; undefined when any part needs the
   * async one (a round trip, the database, or the flags of a reader with too many marks).
   */
  heldView(biz: Biz, bizId: number, uid: number): InteractiveView | undefined {
    const counters = this.cache.heldCounters(biz, bizId);
    if (!counters) return undefined;
    let liked = false;
    let collected = false;
    if (uid > 0) {
      const marks = this.cache.heldMarks(biz, uid);
      if (!marks) return undefined;
      liked = marks.liked.has(bizId);
      collected = marks.collected.has(bizId);
    }
    return { readCnt: counters.readCnt, likeCnt: counters.likeCnt, collectCnt: counters.collectCnt, liked, collected };
  }

  async counters(biz: Biz, bizId: number): Promise<Counters> {
    const cached = await this.cache.counters(biz, bizId);
    if (cached) return cached;
    const counters = await this.dao.counters(biz, bizId);
    await this.cache.fillCounters(biz, bizId, counters);
    return counters;
  }

  /** Many targets' counters: the cache first, the database for the misses, in the order asked. */
  async countersOf(biz: Biz, bizIds: number[]): Promise<Counters[]> {
    const cached = await this.cache.countersOf(biz, bizIds);
    const missing = bizIds.filter((_, i) => cached[i] === null);
    const loaded = await this.dao.countersOf(biz, missing);
    await Promise.all(missing.map((id) => this.cache.fillCounters(biz, id, loaded.get(id) ?? ZERO)));
    return bizIds.map((id, i) => cached[i] ?? loaded.get(id) ?? { ...ZERO });
  }

  /** One query, no cache (see InteractiveService.storedCountersOf). */
  storedCountersOf(biz: Biz, bizIds: number[]): Promise<Map<number, Counters>> {
    return this.dao.countersOf(biz, bizIds);
  }

  private async flags(biz: Biz, bizId: number, uid: number): Promise<ReaderFlags> {
    const marks = await this.marks(biz, uid);
    if (marks === null) return this.loadFlags({ biz, uid, bizId }); // too many to keep whole: this page's alone
    return { liked: marks.liked.has(bizId), collected: marks.collected.has(bizId) };
  }

  /** The reader's marks from the cache, else from the database (one load at a time per reader and version). */
  private async marks(biz: Biz, uid: number): Promise<ReaderMarks | null> {
    const version = await this.cache.marksVersion(biz, uid);
    const cached = await this.cache.marks(biz, uid, version);
    if (cached !== undefined) return cached;
    const key = `${biz}:${uid}:${version}`;
    let loading = this.loadingMarks.get(key);
    if (!loading) {
      loading = this.loadMarks(biz, uid, version).finally(() => this.loadingMarks.delete(key));
      this.loadingMarks.set(key, loading);
    }
    return loading;
  }

  private async loadMarks(biz: Biz, uid: number, version: string): Promise<ReaderMarks | null> {
    const found = await this.dao.readerMarks(uid, biz, READER_MARKS_MAX);
    await this.cache.fillMarks(biz, uid, version, found);
    return found && { liked: new Set(found.liked), collected: new Set(found.collected) };
  }

  likedAmong(uid: number, biz: Biz, bizIds: number[]): Promise<Set<number>> {
    return this.dao.likedAmong(uid, biz, bizIds);
  }

  likedIds(uid: number, biz: Biz, max: number): Promise<number[]> {
    return this.dao.likedIds(uid, biz, max);
  }

  /** True when it changed anything: liking twice (or unliking what is not liked) is a no-op. */
  async setLike(uid: number, biz: Biz, bizId: number, like: boolean, now: number): Promise<boolean> {
    const changed = await inTransaction(this.dao.db, async (tx) => {
      const did = like ? await this.dao.insertLike(tx, uid, biz, bizId, now) : await this.dao.deleteLike(tx, uid, biz, bizId);
      if (did) await this.dao.addCounts(tx, biz, [{ bizId, likeCnt: like ? 1 : -1 }], now);
      return did;
    });
    if (changed) {
      await this.cache.add(biz, bizId, 'likeCnt', like ? 1 : -1);
      await this.cache.marksChanged(biz, uid);
    }
    return changed;
  }

  /** 'no_folder' when cid is not one of uid's folders. */
  async collect(uid: number, biz: Biz, bizId: number, cid: number, now: number): Promise<'added' | 'moved' | 'unchanged' | 'no_folder'> {
    const outcome = await inTransaction(this.dao.db, async (tx) => {
      if (!(await this.collections.ownsFolder(tx, uid, cid))) return 'no_folder' as const;
      const put = await this.collections.putItem(tx, uid, biz, bizId, cid, now);
      if (put === 'added') await this.dao.addCounts(tx, biz, [{ bizId, collectCnt: 1 }], now);
      return put;
    });
    if (outcome === 'added') {
      await this.cache.add(biz, bizId, 'collectCnt', 1);
      await this.cache.marksChanged(biz, uid);
    }
    return outcome;
  }

  async uncollect(uid: number, biz: Biz, bizId: number, now: number): Promise<boolean> {
    const removed = await inTransaction(this.dao.db, async (tx) => {
      const did = await this.collections.removeItem(tx, uid, biz, bizId);
      if (did) await this.dao.addCounts(tx, biz, [{ bizId, collectCnt: -1 }], now);
      return did;
    });
    if (removed) {
      await this.cache.add(biz, bizId, 'collectCnt', -1);
      await this.cache.marksChanged(biz, uid);
    }
    return removed;
  }

  createFolder(uid: number, name: string, now: number): Promise<number> {
    return this.collections.createFolder(uid, name, now);
  }

  countFolders(uid: number): Promise<number> {
    return this.collections.countFolders(uid);
  }

  listFolders(uid: number): Promise<Collection[]> {
    return this.collections.listFolders(uid);
  }

  renameFolder(uid: number, cid: number, name: string, now: number): Promise<boolean> {
    return this.collections.renameFolder(uid, cid, name, now);
  }

  ownsFolder(uid: number, cid: number): Promise<boolean> {
    return this.collections.ownsFolder(this.dao.db, uid, cid);
  }

  /** The folder goes with its items; each item's collect count drops by one. */
  async deleteFolder(uid: number, cid: number, now: number): Promise<boolean> {
    const { found, items } = await inTransaction(this.dao.db, async (tx) => {
      const deleted = await this.collections.deleteFolder(tx, uid, cid);
      for (const biz of new Set(deleted.items.map((i) => i.biz as Biz))) {
        const ofBiz = deleted.items.filter((i) => i.biz === biz);
        await this.dao.addCounts(tx, biz, ofBiz.map((i) => ({ bizId: i.bizId, collectCnt: -1 })), now);
      }
      return deleted;
    });
    for (const biz of new Set(items.map((i) => i.biz as Biz))) {
      const ofBiz = items.filter((i) => i.biz === biz);
      // One by one, not addMany: a user's change must reach every instance's copy at once (NEAR_CACHED).
      await Promise.all(ofBiz.map((i) => this.cache.add(biz, i.bizId, 'collectCnt', -1)));
      await this.cache.marksChanged(biz, uid);
    }
    return found;
  }

  items(uid: number, cid: number, biz: Biz, offset: number, limit: number): Promise<CollectedItem[]> {
    return this.collections.items(uid, cid, biz, offset, limit);
  }

  /**
   * Applies a batch of reads exactly once per event: the ids already in this consumer's
   * ledger are skipped, the rest are recorded and counted in the same transaction, so a
   * batch redelivered after a crash adds nothing twice. Returns how many were counted.
   */
  async countReads(consumer: string, biz: Biz, reads: ReadRecord[], now: number): Promise<number> {
    const fresh = await this.readCounts.countReads(consumer, biz, reads, now);
    await this.cache.addMany(biz, 'readCnt', fresh);
    let counted = 0;
    for (const by of fresh.values()) counted += by;
    return counted;
  }

  pruneProcessed(before: number): Promise<number> {
    return this.dao.pruneProcessed(before);
  }
}
