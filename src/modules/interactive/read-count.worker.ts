import { parentPort, workerData } from 'node:worker_threads';
import type { DB } from '../../db/schema.js';
import { openDatabase } from '../../pkg/db/database.js';
import { InteractiveDao } from './interactive.dao.js';
import type { CountRequest, CountResponse } from './read-count.thread.js';

/**
 * The thread of ReadCountThread: its own connection to the SQLite file, on which it runs
 * each counting transaction whole (InteractiveDao.countReads), so the server's event loop
 * never runs those statements.
 */
const database = openDatabase<DB>((workerData as { dbUrl: string }).dbUrl, { pool: 1 });
const dao = new InteractiveDao(database.db, database.dialect);
const port = parentPort!;

port.on('message', (message: CountRequest | 'close') => {
  if (message === 'close') {
    void database.close().finally(() => port.close());
    return;
  }
  const { id, consumer, biz, reads, now } = message;
  dao.countReads(consumer, biz, reads, now).then(
    (fresh) => port.postMessage({ id, counted: [...fresh] } satisfies CountResponse),
    // Message and code only: a driver's error class does not survive the copy between threads.
    (err: unknown) => port.postMessage({ id, error: { message: String((err as Error)?.message ?? err), code: (err as { code?: unknown })?.code } } satisfies CountResponse),
  );
});
