/** How many people one user may follow (as large networks cap it): bounds every feed read. */
export const FOLLOWEES_MAX = 5000;
export const FOLLOW_PAGE_MAX = 100;

export interface FollowCounts {
  /** People who follow this user. */
  followerCnt: number;
  /** People this user follows. */
  followeeCnt: number;
}

/** A row of a followers or followees list: the other user and when the follow began. */
export interface FollowEntry {
  /** The relation's id: the list's order and its cursor. */
  relationId: number;
  uid: number;
  ctime: number;
}

export interface FollowUserView {
  id: number;
  name: string;
  followedAt: number;
}

/** A page of a cursor-paged list: nextCursor goes in the next request; null when there is no more. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
