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

/** The counters and what the reader did, as a reader's page shows them. */
export interface InteractiveView extends Counters, ReaderFlags {}

/** A change to the counters of one target, as one row of a multi-row update. */
export interface CounterDelta {
  bizId: number;
  readCnt?: number;
  likeCnt?: number;
  collectCnt?: number;
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
