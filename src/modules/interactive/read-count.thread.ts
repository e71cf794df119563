import { Worker } from 'node:worker_threads';
import type { Biz, ReadCountStore, ReadRecord } from './interactive.domain.js';

export interface CountRequest {
  id: number;
  consumer: string;
  biz: Biz;
  reads: ReadRecord[];
  now: number;
}

export type CountResponse = { id: number; counted: [number, number][] } | { id: number; error: { message: string; code: unknown } };

/** Under the test runner this module is TypeScript, and so is the worker beside it. */
const fromSource = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(fromSource ? './read-count.worker.ts' : './read-count.worker.js', import.meta.url);

function startWorker(workerData: { dbUrl: string }): Worker {
  if (!fromSource) return new Worker(WORKER_FILE, { workerData });
  // The test runner compiles TypeScript in its own threads only; tsx (a dev dependency) loads the worker in this one.
  const load = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(WORKER_FILE.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(load, { eval: true, workerData });
}

/**
 * Counts reads on a thread of its own, with its own connection to the embedded SQLite
 * file. SQLite's statements are synchronous: on the server's event loop a part of 2,000
 * reads held it for 10-20 ms (about 6 µs per counter row), and every request that came
 * meanwhile waited, which made the reader page's p99 (docs/benchmarks.md). The thread
 * runs each transaction whole, so it never waits for the event loop; the server's own
 * writes wait for its short transactions through busy_timeout, and every transaction
 * takes the write lock at BEGIN (sqlite-driver.ts), so neither side can fail on a
 * snapshot the other has moved on from.
 *
 * Only for a SQLite file: a second connection cannot see an in-memory database, and
 * MySQL and PostgreSQL run statements off the event loop anyway.
 */
export class ReadCountThread implements ReadCountStore {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (counted: Map<number, number>) => void; reject: (err: unknown) => void }>();

  constructor(private readonly dbUrl: string) {}

  countReads(consumer: string, biz: Biz, reads: ReadRecord[], now: number): Promise<Map<number, number>> {
    const worker = (this.worker ??= this.spawn());
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, consumer, biz, reads, now } satisfies CountRequest);
    });
  }

  /** Closes the thread's connection and ends it; counts still in flight fail (the bus delivers them again). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await exited;
  }

  private spawn(): Worker {
    const worker = startWorker({ dbUrl: this.dbUrl });
    // The server's own handles keep the process alive; an idle counting thread must not.
    worker.unref();
    worker.on('message', (response: CountResponse) => {
      const waiting = this.pending.get(response.id);
      this.pending.delete(response.id);
      if ('error' in response) waiting?.reject(Object.assign(new Error(response.error.message), { code: response.error.code }));
      else waiting?.resolve(new Map(response.counted));
    });
    const failAll = (err: unknown) => {
      if (this.worker === worker) this.worker = undefined; // the next count starts a new thread
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`read counting thread exited (code ${code})`)));
    return worker;
  }
}
