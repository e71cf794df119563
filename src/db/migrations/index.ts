import type { MigrationList } from '../../pkg/db/migrator.js';
import { users } from './0001_users.js';
import { articles } from './0002_articles.js';
import { interactive } from './0003_interactive.js';
import { smsRequests } from './0005_sms_requests.js';
import { oauthIdentities } from './0006_oauth_identities.js';
import { jobs } from './0007_jobs.js';
import { comments } from './0008_comments.js';
import { followsFeed } from './0009_follows_feed.js';
import { tagsSearch } from './0010_tags_search.js';
import { conduit } from './0011_conduit.js';

/** Every migration, in order. Never edit one that has shipped: add the next. */
export const migrations: MigrationList = (dialect) => ({
  '0001_users': users(dialect),
  '0002_articles': articles(dialect),
  '0003_interactive': interactive(dialect),
  '0005_sms_requests': smsRequests(dialect),
  '0006_oauth_identities': oauthIdentities(dialect),
  '0007_jobs': jobs(dialect),
  '0008_comments': comments(dialect),
  '0009_follows_feed': followsFeed(dialect),
  '0010_tags_search': tagsSearch(dialect),
  '0011_conduit': conduit(dialect),
});
