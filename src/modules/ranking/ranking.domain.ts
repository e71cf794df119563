import { Type, type Static } from 'typebox';

/** One entry of the hot list, as the API returns it. */
export interface RankedArticle {
  id: number;
  title: string;
  author: { id: number; name: string };
  likeCnt: number;
  readCnt: number;
  collectCnt: number;
  score: number;
  /** First publication (the score's age). */
  ctime: number;
  utime: number;
}

/** A computed hot list: what the job stores and the route serves. */
export interface RankingSnapshot {
  /** When the job computed it (epoch ms); 0 for "never computed". */
  computedAt: number;
  items: RankedArticle[];
}

export const EMPTY_RANKING: RankingSnapshot = { computedAt: 0, items: [] };

/** The longest list anyone may ask for (the route's limit and the job's N). */
export const RANKING_MAX = 1000;

/** The ranking job's settings, stored as the job row's config. */
export const RankingJobConfig = Type.Object(
  {
    topN: Type.Integer({ minimum: 1, maximum: RANKING_MAX }),
    /** Only articles published or edited this recently are scanned. */
    windowHours: Type.Integer({ minimum: 1, maximum: 24 * 3650 }),
    batchSize: Type.Integer({ minimum: 10, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type RankingJobConfig = Static<typeof RankingJobConfig>;
