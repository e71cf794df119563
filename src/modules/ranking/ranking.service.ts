import type { Clock } from '../../pkg/clock/clock.js';
import { rankPublished, type RankingSources, type ScoredArticle } from './ranking.compute.js';
import type { RankedArticle, RankingJobConfig, RankingSnapshot } from './ranking.domain.js';
import type { RankingRepository } from './ranking.repository.js';

/** Authors' display names, as the user module gives them. */
export type AuthorNames = (uid: number) => Promise<string>;

const HOUR_MS = 3_600_000;

/** The hot list: computed by the ranking job, read by the route. */
export class RankingService {
  constructor(
    private readonly sources: RankingSources,
    private readonly authorName: AuthorNames,
    private readonly repo: RankingRepository,
    private readonly clock: Clock,
  ) {}

  /** The first `limit` entries of the current list (empty before the first run). */
  async hot(limit: number): Promise<RankedArticle[]> {
    return (await this.repo.read()).items.slice(0, limit);
  }

  /** One full pass; the result is not stored yet (see store). */
  async compute(config: RankingJobConfig, signal?: AbortSignal): Promise<RankingSnapshot & { scanned: number }> {
    const now = this.clock.now();
    const { top, scanned } = await rankPublished(this.sources, {
      now,
      windowMs: config.windowHours * HOUR_MS,
      batchSize: config.batchSize,
      topN: config.topN,
      signal,
    });
    return { computedAt: now, items: await this.withAuthors(top), scanned };
  }

  /** Stores under the lock's fence: false when a newer holder already stored a list. */
  store(snapshot: RankingSnapshot, fence: number): Promise<boolean> {
    return this.repo.write({ computedAt: snapshot.computedAt, items: snapshot.items }, fence);
  }

  /** Names for the N winners only (each author looked up once), never for every article scanned. */
  private async withAuthors(top: ScoredArticle[]): Promise<RankedArticle[]> {
    const ids = [...new Set(top.map((a) => a.authorId))];
    const names = new Map(await Promise.all(ids.map(async (id) => [id, await this.authorName(id)] as const)));
    return top.map((a) => ({
      id: a.id,
      title: a.title,
      author: { id: a.authorId, name: names.get(a.authorId) ?? '' },
      likeCnt: a.likeCnt,
      readCnt: a.readCnt,
      collectCnt: a.collectCnt,
      score: a.score,
      ctime: a.ctime,
      utime: a.utime,
    }));
  }
}
