/** What kind of thing is counted: articles, and comments (likes only). */
export const Biz = { article: 'article', comment: 'comment' } as const;
export type Biz = (typeof Biz)[keyof typeof Biz];

export interface Counters {
  readCnt: number;
  likeCnt: number;
  collectCnt: number;
}

export const ZERO: Counters = { readCnt: 0, likeCnt: 0, collectCnt: 0 };

/** What one reader did to one target. */
export interface ReaderFlags {
  liked: boolean;
  collected: boolean;
}

/**
 * Everything of one biz that one reader liked or collected, kept whole in the cache so that
 * each page they open reads its flags from it. `null` when the reader has more than
 * READER_MARKS_MAX of either: their flags are then looked up page by page.
 */
export interface ReaderMarks {
  liked: ReadonlySet<number>;
  collected: ReadonlySet<number>;
}

export const READER_MARKS_MAX = 5_000;

/** The counters and what the reader did, as a reader's page shows them. */
export interface InteractiveView extends Counters, ReaderFlags {}

/** A change to the counters of one target, as one row of a multi-row update. */
export interface CounterDelta {
  bizId: number;
  readCnt?: number;
  likeCnt?: number;
  collectCnt?: number;
}

/** A read event, reduced to what counting needs: its id and the targets read (one entry per read). */
export interface ReadRecord {
  eventId: string;
  bizIds: number[];
}

/**
 * Counts the reads of events a consumer has not applied yet and enters them in its ledger,
 * in one transaction; returns the fresh reads per target (what the cache then adds).
 * InteractiveDao does it on the caller's event loop, ReadCountThread beside it.
 */
export interface ReadCountStore {
  countReads(consumer: string, biz: Biz, reads: ReadRecord[], now: number): Promise<Map<number, number>>;
}

export interface Collection {
  id: number;
  name: string;
  /** Items in the folder. */
  count: number;
  ctime: number;
  utime: number;
}

export interface CollectedItem {
  bizId: number;
  /** When it was put in this folder. */
  ctime: number;
}

export const COLLECTION_NAME_MAX = 64;
export const COLLECTIONS_PER_USER_MAX = 100;
