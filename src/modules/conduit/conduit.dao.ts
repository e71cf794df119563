import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inserted, isUniqueViolation, onConflictUpdate, type Dialect } from '../../pkg/db/dialect.js';
import { usernameKey } from './conduit.domain.js';

export interface ProfileRow {
  uid: number;
  username: string;
  image: string | null;
}

/** The Conduit module's own tables: usernames and images, article descriptions. */
export class ConduitDao {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async profilesOf(uids: number[]): Promise<Map<number, ProfileRow>> {
    if (uids.length === 0) return new Map();
    const rows = await this.db.selectFrom('conduit_profiles').select(['uid', 'username', 'image']).where('uid', 'in', uids).execute();
    return new Map(rows.map((r) => [Number(r.uid), { uid: Number(r.uid), username: r.username, image: r.image }]));
  }

  async uidByUsername(username: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('conduit_profiles').select('uid').where('username_key', '=', usernameKey(username)).executeTakeFirst();
    return row ? Number(row.uid) : undefined;
  }

  /** A new account's row, in its transaction. A name someone holds is the driver's unique violation. */
  async insertProfile(db: Kysely<DB>, profile: ProfileRow, now: number): Promise<void> {
    await db
      .insertInto('conduit_profiles')
      .values({ uid: profile.uid, username: profile.username, username_key: usernameKey(profile.username), image: profile.image, ctime: now, utime: now })
      .execute();
  }

  /**
   * Replaces uid's row, or creates it, inside the caller's transaction (`tx`). Not an
   * upsert: MySQL's ON DUPLICATE KEY fires on any unique key, so a name held by someone
   * else would update *their* row. Here it is a unique violation, as on the other
   * databases. A failed insert is not retried as an update (PostgreSQL aborts the
   * transaction): a first save racing another first save of the same user is refused too.
   */
  async saveProfileIn(tx: Kysely<DB>, profile: ProfileRow, now: number): Promise<void> {
    if (!(await this.updateProfile(profile, now, tx))) await this.insertProfile(tx, profile, now);
  }

  private async updateProfile(profile: ProfileRow, now: number, db: Kysely<DB> = this.db): Promise<boolean> {
    const result = await db
      .updateTable('conduit_profiles')
      .set({ username: profile.username, username_key: usernameKey(profile.username), image: profile.image, utime: now })
      .where('uid', '=', profile.uid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async descriptionsOf(articleIds: number[]): Promise<Map<number, string>> {
    if (articleIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('conduit_articles').select(['article_id', 'description']).where('article_id', 'in', articleIds).execute();
    return new Map(rows.map((r) => [Number(r.article_id), r.description]));
  }

  /** In the publish's transaction (`db`), so an article and its description commit together. */
  async upsertDescription(db: Kysely<DB>, articleId: number, description: string, now: number): Promise<void> {
    await db
      .insertInto('conduit_articles')
      .values({ article_id: articleId, description, utime: now })
      .$call(onConflictUpdate(this.dialect, ['article_id'], { description: inserted(this.dialect, 'description'), utime: inserted(this.dialect, 'utime') }))
      .execute();
  }
}
