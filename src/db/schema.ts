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
  /** JSON array of normalised tags (article.tags.ts). */
  tags: Generated<string>;
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

/** One row per tag of a published article (withdrawn ones have none). */
export interface PublishedArticleTagsTable {
  tag: string;
  article_id: number;
  utime: number;
}

/** Events written in the transaction that caused them; relayed to the bus, then deleted. */
export interface EventOutboxTable {
  id: Generated<number>;
  event_id: string;
  topic: string;
  /** JSON. */
  payload: string;
  ctime: number;
}

/** Segmented, searchable text of each published article (its full-text index: pkg/db/fulltext.ts). */
export interface SearchArticlesTable {
  article_id: number;
  title_terms: string;
  body_terms: string;
  tags: string;
  author_name: string;
  utime: number;
}

/** SMS requests waiting for the background resender (status: 0 pending, 2 failed; sent rows are deleted). */
export interface SmsRequestsTable {
  id: Generated<number>;
  template_id: string;
  /** JSON array of { name, value } (emptied once the request has failed for good). */
  args: string;
  /** JSON array of phone numbers. */
  numbers: string;
  status: number;
  attempts: Generated<number>;
  version: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  ctime: number;
  utime: number;
}

/** Scheduled jobs (src/jobs/): status 0 waiting, 1 running, 2 paused; config is JSON. */
export interface JobsTable {
  id: Generated<number>;
  name: string;
  cron: string;
  config: string;
  status: number;
  next_time: number;
  version: number;
  holder: string | null;
  lease_until: number;
  last_start: number | null;
  last_end: number | null;
  last_error: string | null;
  ctime: number;
  utime: number;
}

/** Threaded comments: root_id = parent_id = 0 for a top-level comment; reply_cnt counts a root's thread. */
export interface CommentsTable {
  id: Generated<number>;
  article_id: number;
  article_author_id: number;
  uid: number;
  root_id: number;
  parent_id: number;
  content: string;
  reply_cnt: Generated<number>;
  ctime: number;
  utime: number;
}

/** follower_id follows followee_id; the id orders the lists and is their cursor. */
export interface FollowRelationsTable {
  id: Generated<number>;
  follower_id: number;
  followee_id: number;
  ctime: number;
}

export interface FollowCountsTable {
  uid: number;
  follower_cnt: Generated<number>;
  followee_cnt: Generated<number>;
  utime: number;
}

/** A reader's feed inbox (push); ext is JSON. */
export interface FeedPushEventsTable {
  id: Generated<number>;
  uid: number;
  actor_id: number;
  kind: string;
  ref_key: string;
  ext: string;
  ctime: number;
}

/** An author's feed outbox (pull); fanned_out = 1 when also pushed into inboxes. */
export interface FeedPullEventsTable {
  id: Generated<number>;
  actor_id: number;
  kind: string;
  ref_key: string;
  ext: string;
  fanned_out: number;
  ctime: number;
}

/** A user's identity at an OAuth2 provider; (provider, subject) is unique. */
export interface UserIdentitiesTable {
  provider: string;
  subject: string;
  user_id: number;
  ctime: number;
}

/** A user's Conduit username (username_key: lower-cased, unique) and avatar URL (docs/conduit.md). */
export interface ConduitProfilesTable {
  uid: number;
  username: string;
  username_key: string;
  image: string | null;
  ctime: number;
  utime: number;
}

/** An article's Conduit description. */
export interface ConduitArticlesTable {
  article_id: number;
  description: string;
  utime: number;
}

export interface DB {
  users: UsersTable;
  user_identities: UserIdentitiesTable;
  user_sessions: UserSessionsTable;
  articles: ArticlesTable;
  published_articles: PublishedArticlesTable;
  interactives: InteractivesTable;
  user_likes: UserLikesTable;
  collections: CollectionsTable;
  collection_items: CollectionItemsTable;
  processed_events: ProcessedEventsTable;
  jobs: JobsTable;
  sms_requests: SmsRequestsTable;
  published_article_tags: PublishedArticleTagsTable;
  event_outbox: EventOutboxTable;
  search_articles: SearchArticlesTable;
  comments: CommentsTable;
  follow_relations: FollowRelationsTable;
  follow_counts: FollowCountsTable;
  feed_push_events: FeedPushEventsTable;
  feed_pull_events: FeedPullEventsTable;
  conduit_profiles: ConduitProfilesTable;
  conduit_articles: ConduitArticlesTable;
}
