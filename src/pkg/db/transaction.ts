import type { Kysely, Transaction } from 'kysely';
import { isRetryableTxError } from './dialect.js';

/**
 * Runs fn in a transaction and runs it again (up to `attempts` times in all) when the
 * database aborted it as a deadlock victim or serialization failure: under concurrent
 * counter upserts MySQL and postgres may pick one of two transactions to kill, and the
 * right answer is to try again, not to fail the request. fn must be safe to re-run (it
 * is: a rolled-back transaction left nothing behind).
 */
export async function inTransaction<DB, T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      if (attempt >= attempts || !isRetryableTxError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}
