import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface SessionRow {
  ssid: string;
  uid: number;
  refreshJti: string;
  uaHash: string;
  expiresAt: number;
  revoked: boolean;
}

/** Sessions are rows: the durable truth the cache fronts, surviving restarts and cache loss. */
export class SessionDao {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: Omit<SessionRow, 'revoked'>, now: number): Promise<void> {
    await this.db
      .insertInto('user_sessions')
      .values({
        ssid: row.ssid,
        uid: row.uid,
        refresh_jti: row.refreshJti,
        ua_hash: row.uaHash,
        expires_at: row.expiresAt,
        revoked: 0,
        ctime: now,
        utime: now,
      })
      .execute();
  }

  async find(ssid: string): Promise<SessionRow | undefined> {
    const row = await this.db.selectFrom('user_sessions').selectAll().where('ssid', '=', ssid).executeTakeFirst();
    return row && {
      ssid: row.ssid,
      uid: Number(row.uid),
      refreshJti: row.refresh_jti,
      uaHash: row.ua_hash,
      expiresAt: Number(row.expires_at),
      revoked: Number(row.revoked) === 1,
    };
  }

  /**
   * Compare-and-swap of the refresh token id: exactly one of any number of concurrent
   * refreshes with the same token wins, on every database, without a lock. A successful
   * rotation also slides the session's end forward.
   */
  async rotate(ssid: string, fromJti: string, toJti: string, now: number, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('user_sessions')
      .set({ refresh_jti: toJti, utime: now, expires_at: expiresAt })
      .where('ssid', '=', ssid)
      .where('refresh_jti', '=', fromJti)
      .where('revoked', '=', 0)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revoke(ssid: string, now: number): Promise<void> {
    await this.db.updateTable('user_sessions').set({ revoked: 1, utime: now }).where('ssid', '=', ssid).execute();
  }
}
