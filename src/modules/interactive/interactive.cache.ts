import type { Cache } from '../../pkg/cache/cache.js';
import type { Biz, Counters, ReaderFlags } from './interactive.domain.js';

const COUNTERS_TTL_MS = 15 * 60_000;
const FLAGS_TTL_MS = 10 * 60_000;

/**
 * Counters as one hash per target, so reading them is one cache hit; changes go to the
 * hash only while it exists (a Lua script on Redis), and a miss is filled from the
 * database on the next read. Whether a user liked / collected a target is a two-letter
 * string beside it, dropped on every change of the user's like or collection.
 */
export class InteractiveCache {
  constructor(private readonly cache: Cache) {}

  private static countersKey = (biz: Biz, bizId: number) => `interactive:${biz}:${bizId}`;
  private static flagsKey = (biz: Biz, bizId: number, uid: number) => `interactive:flags:${biz}:${bizId}:${uid}`;

  async counters(biz: Biz, bizId: number): Promise<Counters | null> {
    return parseCounters(await this.cache.hgetAll(InteractiveCache.countersKey(biz, bizId)));
  }

  async countersOf(biz: Biz, bizIds: number[]): Promise<(Counters | null)[]> {
    if (bizIds.length === 0) return [];
    const hashes = await this.cache.hmgetAll(bizIds.map((id) => InteractiveCache.countersKey(biz, id)));
    return hashes.map(parseCounters);
  }

  async fillCounters(biz: Biz, bizId: number, counters: Counters): Promise<void> {
    await this.cache.hsetAll(InteractiveCache.countersKey(biz, bizId), { ...counters }, COUNTERS_TTL_MS);
  }

  /** After a committed change: adjusts the cached hash if there is one. */
  async add(biz: Biz, bizId: number, field: keyof Counters, by: number): Promise<void> {
    await this.cache.hincrByIfExists(InteractiveCache.countersKey(biz, bizId), field, by);
  }

  /** Many targets at once (a batch of reads, a deleted folder): one round trip. */
  async addMany(biz: Biz, field: keyof Counters, changes: { bizId: number; by: number }[]): Promise<void> {
    await this.cache.hincrManyIfExists(changes.map((c) => ({ key: InteractiveCache.countersKey(biz, c.bizId), field, by: c.by })));
  }

  async flags(biz: Biz, bizId: number, uid: number): Promise<ReaderFlags | null> {
    const raw = await this.cache.get(InteractiveCache.flagsKey(biz, bizId, uid));
    return raw === null ? null : { liked: raw[0] === '1', collected: raw[1] === '1' };
  }

  /** A reader's fill: never overwrites, so it cannot undo what a writer stored meanwhile. */
  async fillFlags(biz: Biz, bizId: number, uid: number, flags: ReaderFlags): Promise<void> {
    await this.cache.setIfAbsent(InteractiveCache.flagsKey(biz, bizId, uid), encodeFlags(flags), FLAGS_TTL_MS);
  }

  /** For bulk changes (a deleted folder): the next read fills it again. */
  async dropFlags(biz: Biz, bizId: number, uid: number): Promise<void> {
    await this.cache.del(InteractiveCache.flagsKey(biz, bizId, uid));
  }

  /** A writer's store, after its commit, of flags read back from the database. */
  async storeFlags(biz: Biz, bizId: number, uid: number, flags: ReaderFlags): Promise<void> {
    await this.cache.set(InteractiveCache.flagsKey(biz, bizId, uid), encodeFlags(flags), FLAGS_TTL_MS);
  }
}

const encodeFlags = (flags: ReaderFlags) => `${flags.liked ? 1 : 0}${flags.collected ? 1 : 0}`;

function parseCounters(hash: Record<string, string> | null): Counters | null {
  if (!hash) return null;
  return { readCnt: Number(hash.readCnt ?? 0), likeCnt: Number(hash.likeCnt ?? 0), collectCnt: Number(hash.collectCnt ?? 0) };
}
