import type { Cache } from '../../pkg/cache/cache.js';
import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import type { FencedWriter } from '../../pkg/lock/lock.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { EMPTY_RANKING, type RankingSnapshot } from './ranking.domain.js';
import { RankingCodes } from './ranking.errors.js';

export const RANKING_KEY = 'ranking:hot:article';

export interface RankingStoreOptions {
  /** How long the shared copy lives: longer than the job's interval, so one late run leaves no gap. */
  sharedTtlMs: number;
  /** How long this instance serves its own copy before asking the shared cache again. */
  localTtlMs: number;
}

/**
 * The hot list in two tiers: an in-process copy in front of the shared cache. Reads go
 * local (fresh) -> shared -> local again however old, so a cache outage or an expired
 * shared copy serves the last good list instead of failing. Writes go through the
 * fence of the job's lock, so a holder that lost its lock cannot replace a newer list.
 */
export class RankingRepository {
  private held: { snapshot: RankingSnapshot; fetchedAt: number } | undefined;

  constructor(
    private readonly cache: Cache,
    private readonly fenced: FencedWriter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: RankingStoreOptions,
  ) {}

  async read(): Promise<RankingSnapshot> {
    const now = this.clock.now();
    if (this.held && now - this.held.fetchedAt < this.opts.localTtlMs) return this.held.snapshot;
    let shared: RankingSnapshot | null;
    try {
      const raw = await this.cache.get(RANKING_KEY);
      shared = raw === null ? null : (JSON.parse(raw) as RankingSnapshot);
    } catch (err) {
      if (this.held) return this.servedDuringOutage(this.held, now, err);
      throw new AppError(RankingCodes.unavailable, { cause: err });
    }
    if (shared) {
      this.held = { snapshot: shared, fetchedAt: now };
      return shared;
    }
    // Expired or never written: an old list beats an empty one.
    return this.held?.snapshot ?? EMPTY_RANKING;
  }

  /** False when a newer holder's list is already there (this one is dropped). */
  async write(snapshot: RankingSnapshot, fence: number): Promise<boolean> {
    const written = await this.fenced.write(RANKING_KEY, fence, JSON.stringify(snapshot), this.opts.sharedTtlMs);
    if (written) this.held = { snapshot, fetchedAt: this.clock.now() };
    return written;
  }

  /** The held copy counts as fresh again, so an outage costs one failed cache call per localTtlMs, not one per request. */
  private servedDuringOutage(held: { snapshot: RankingSnapshot; fetchedAt: number }, now: number, err: unknown): RankingSnapshot {
    held.fetchedAt = now;
    this.logger.warn({ severity: 'P2', err, computedAt: held.snapshot.computedAt }, 'shared cache unavailable: serving this instance’s last hot list');
    return held.snapshot;
  }
}
