import type { Tokens } from './tokens';

/**
 * The last token rotation, kept in IndexedDB for the other tabs. localStorage is not
 * enough: Chromium copies a write to other tabs' storage asynchronously, so a tab that gets
 * the refresh lock right after another tab rotated may still read the old refresh token,
 * and reusing it revokes the session (theft detection). An IndexedDB transaction committed
 * before the lock is released is seen by the next tab's transaction.
 */
export interface Rotation extends Tokens {
  /** The access token this rotation replaced. */
  replaced: string;
}

const DB = 'webook';
const STORE = 'session';
const KEY = 'rotation';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result); // committed, not merely requested
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The last rotation, or null (also when IndexedDB is unavailable, e.g. a private window that refuses it). */
export const lastRotation = () => run('readonly', (s) => s.get(KEY) as IDBRequest<Rotation | undefined>).then((r) => r ?? null, () => null);

export const recordRotation = (rotation: Rotation) => run('readwrite', (s) => s.put(rotation, KEY)).then(() => undefined, () => undefined);

/** On logout: nothing of the session stays behind. */
export const forgetRotation = () => run('readwrite', (s) => s.delete(KEY)).then(() => undefined, () => undefined);
