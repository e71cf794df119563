import type { Generated } from 'kysely';

/** Row types of every table, as Kysely sees them. Times are epoch milliseconds. */
export interface UsersTable {
  id: Generated<number>;
  email: string | null;
  password_hash: string | null;
  phone: string | null;
  nickname: string;
  birthday: string | null;
  about_me: string;
  ctime: number;
  utime: number;
}

export interface UserSessionsTable {
  ssid: string;
  uid: number;
  refresh_jti: string;
  ua_hash: string;
  ctime: number;
  utime: number;
  expires_at: number;
  revoked: number;
}

/** The author's working copy (drafts included) and the readers' copy share one id. */
export interface ArticlesTable {
  id: Generated<number>;
  author_id: number;
  title: string;
  content: string;
  status: number;
  ctime: number;
  utime: number;
}

/** The readers' copy: the author's columns under the same id (not generated here). */
export interface PublishedArticlesTable extends Omit<ArticlesTable, 'id'> {
  id: number;
}

export interface InteractivesTable {
  id: Generated<number>;
  biz: string;
  biz_id: number;
  read_cnt: Generated<number>;
  like_cnt: Generated<number>;
  collect_cnt: Generated<number>;
  ctime: number;
  utime: number;
}

export interface UserLikesTable {
  uid: number;
  biz: string;
  biz_id: number;
  ctime: number;
}

export interface CollectionsTable {
  id: Generated<number>;
  uid: number;
  name: string;
  ctime: number;
  utime: number;
}

export interface CollectionItemsTable {
  uid: number;
  biz: string;
  biz_id: number;
  cid: number;
  ctime: number;
}

export interface ProcessedEventsTable {
  consumer: string;
  event_id: string;
  ctime: number;
}

export interface DB {
  users: UsersTable;
  user_sessions: UserSessionsTable;
  articles: ArticlesTable;
  published_articles: PublishedArticlesTable;
  interactives: InteractivesTable;
  user_likes: UserLikesTable;
  collections: CollectionsTable;
  collection_items: CollectionItemsTable;
  processed_events: ProcessedEventsTable;
}
