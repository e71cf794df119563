import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Cache } from '../../pkg/cache/cache.js';
import type { Biz, Counters, ReaderMarks } from './interactive.domain.js';

const COUNTERS_TTL_MS = 15 * 60_000;
const MARKS_TTL_MS = 10 * 60_000;
/** Longer than any marks entry lives, so a version is never current again while entries of its old life are kept. */
const MARKS_VERSION_TTL_MS = 24 * 60 * 60_000;
const TOO_MANY = 'too many';
/**
 * Counter changes per hincrManyIfExists call, each call's built just before it and a turn
 * of the loop between calls. A second's batch of reads brings thousands of changes; built
 * all at once they outlived two scavenges while the calls ran, and the collector moved them
 * to the old generation: about 60% of what it still promoted under load (docs/benchmarks.md).
 */
const CHANGES_PER_CALL = 250;

/** 48 random bits: a reader's versions never repeat in practice. */
const newVersion = () => randomBytes(6).toString('base64url');

function decodeMarks(raw: string): ReaderMarks | typeof TOO_MANY {
  if (raw === TOO_MANY) return TOO_MANY;
  const { liked, collected } = JSON.parse(raw) as { liked: number[]; collected: number[] };
  return { liked: new Set(liked), collected: new Set(collected) };
}

/**
 * Counters as one hash per target, so reading them is one cache hit; changes go to the
 * hash only while it exists (a Lua script on Redis), and a miss is filled from the
 * database on the next read.
 *
 * What a reader liked and collected is kept whole, per reader and biz (ReaderMarks), so
 * every page they open finds its flags in one entry, which API instances keep in their
 * near cache. The entry's key holds the reader's marks version, a random token that each
 * committed change of their likes or collections replaces. A page reads the version, then
 * the marks of that version, filling them from the database on a miss; a fill that read the
 * database before a change lands under the version the change replaced, where no later
 * page looks. So no fill can hide a change, without locks or scripts.
 */
export class InteractiveCache {
  constructor(private readonly cache: Cache) {}

  private static countersKey = (biz: Biz, bizId: number) => `interactive:${biz}:${bizId}`;
  private static marksVersionKey = (biz: Biz, uid: number) => `interactive:reader:${biz}:${uid}`;
  private static marksKey = (biz: Biz, uid: number, version: string) => `interactive:reader:${biz}:${uid}:${version}`;

  async counters(biz: Biz, bizId: number): Promise<Counters | null> {
    return parseCounters(await this.cache.hgetAll(InteractiveCache.countersKey(biz, bizId)));
  }

  /** counters from what this process holds; undefined when only the async read can tell (not held here, or not cached). */
  heldCounters(biz: Biz, bizId: number): Counters | undefined {
    return parseCounters(this.cache.held.hgetAll(InteractiveCache.countersKey(biz, bizId)) ?? null) ?? undefined;
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

  /**
   * Reads counted in a batch (article id -> reads), a few calls of CHANGES_PER_CALL. In
   * production other instances may show their copy of the counters for up to 5 s more
   * (NEAR_CACHED in ioc/backends.ts).
   */
  async addMany(biz: Biz, field: keyof Counters, changes: ReadonlyMap<number, number>): Promise<void> {
    let call: { key: string; field: string; by: number }[] = [];
    for (const [bizId, by] of changes) {
      call.push({ key: InteractiveCache.countersKey(biz, bizId), field, by });
      if (call.length === CHANGES_PER_CALL) {
        await this.cache.hincrManyIfExists(call);
        call = [];
        await nextTurn(); // requests read meanwhile go first (the memory cache answers without one)
      }
    }
    if (call.length > 0) await this.cache.hincrManyIfExists(call);
  }

  /** The reader's current marks version (see the class comment); a reader seen for the first time gets one. */
  async marksVersion(biz: Biz, uid: number): Promise<string> {
    const key = InteractiveCache.marksVersionKey(biz, uid);
    const current = await this.cache.get(key);
    if (current !== null) return current;
    const fresh = newVersion();
    if (await this.cache.setIfAbsent(key, fresh, MARKS_VERSION_TTL_MS)) return fresh;
    // Another request gave it one meanwhile. (Should that one be gone already, marks kept
    // under `fresh` are merely never read again.)
    return (await this.cache.get(key)) ?? fresh;
  }

  /**
   * The reader's current marks as held in this process; undefined when only the async reads
   * can tell (no version yet, not cached here) or the marks are too many to keep.
   */
  heldMarks(biz: Biz, uid: number): ReaderMarks | undefined {
    const version = this.cache.held.get(InteractiveCache.marksVersionKey(biz, uid));
    if (version == null) return undefined;
    const marks = this.cache.held.getDecoded(InteractiveCache.marksKey(biz, uid, version), decodeMarks);
    return marks == null || marks === TOO_MANY ? undefined : marks;
  }

  /** The reader's marks at that version: undefined when not cached, null when they are too many to keep. */
  async marks(biz: Biz, uid: number, version: string): Promise<ReaderMarks | null | undefined> {
    const marks = await this.cache.getDecoded(InteractiveCache.marksKey(biz, uid, version), decodeMarks);
    return marks === null ? undefined : marks === TOO_MANY ? null : marks;
  }

  /** What the database held when read at that version; the first fill of a version stays. */
  async fillMarks(biz: Biz, uid: number, version: string, marks: { liked: number[]; collected: number[] } | null): Promise<void> {
    await this.cache.setIfAbsent(InteractiveCache.marksKey(biz, uid, version), marks ? JSON.stringify(marks) : TOO_MANY, MARKS_TTL_MS);
  }

  /** After a committed like, unlike, collect or uncollect of the reader: every page reads their marks afresh. */
  async marksChanged(biz: Biz, uid: number): Promise<void> {
    await this.cache.set(InteractiveCache.marksVersionKey(biz, uid), newVersion(), MARKS_VERSION_TTL_MS);
  }
}

function parseCounters(hash: Record<string, string> | null): Counters | null {
  if (!hash) return null;
  return { readCnt: Number(hash.readCnt ?? 0), likeCnt: Number(hash.likeCnt ?? 0), collectCnt: Number(hash.collectCnt ?? 0) };
}
