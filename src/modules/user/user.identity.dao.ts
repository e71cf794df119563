import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A user's identity at an OAuth2 provider: `subject` is the provider's stable id for them. */
export interface Identity {
  provider: string;
  subject: string;
}

/** Queries of user_identities. A second row for one (provider, subject) is the driver's unique violation. */
export class UserIdentityDao {
  constructor(private readonly db: Kysely<DB>) {}

  async findUserId(identity: Identity): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('provider', '=', identity.provider)
      .where('subject', '=', identity.subject)
      .executeTakeFirst();
    return row && Number(row.user_id);
  }

  async insert(uid: number, identity: Identity, now: number, db: Kysely<DB> = this.db): Promise<void> {
    await db.insertInto('user_identities').values({ provider: identity.provider, subject: identity.subject, user_id: uid, ctime: now }).execute();
  }
}
