import type { EventBus } from '../../pkg/events/bus.js';
import { ARTICLE_READ, type ArticleRead, type ArticleReadBatch } from './article.events.js';

export interface ReadRecorderOptions {
  /** Publish when this many reads are waiting... */
  maxBatch: number;
  /** ...or this long after the first one, whichever comes first. */
  flushMs: number;
  /** While the bus is down reads wait up to this many; beyond it they are dropped. */
  maxBuffered: number;
}

/**
 * Collects reads on the request path and publishes them as batch events off it. Reads
 * are statistics: if the bus is unreachable they wait (bounded) for the next flush, and
 * what is beyond the bound, or still waiting when the process dies, is lost and
 * reported to `onLost` (docs/events.md).
 */
export class ReadRecorder {
  private buffer: ArticleRead[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  /** Why the last publish failed, for the report of reads lost at shutdown. */
  private lastError: unknown;

  constructor(
    private readonly bus: EventBus,
    private readonly opts: ReadRecorderOptions,
    private readonly onLost: (err: unknown, reads: number) => void,
  ) {}

  record(read: ArticleRead): void {
    this.buffer.push(read);
    if (this.buffer.length >= this.opts.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs).unref();
  }

  /** Publishes what is waiting; resolves when every flush so far has settled. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length > 0) {
      const reads = this.buffer;
      this.buffer = [];
      const batch: ArticleReadBatch = { reads };
      const publish = this.bus.publish(ARTICLE_READ, batch).catch((err: unknown) => this.giveBack(reads, err));
      this.inFlight = Promise.all([this.inFlight, publish]).then(() => {});
    }
    return this.inFlight;
  }

  private giveBack(reads: ArticleRead[], err: unknown): void {
    this.lastError = err;
    const room = Math.max(0, this.opts.maxBuffered - this.buffer.length);
    const kept = reads.slice(0, room);
    if (kept.length < reads.length) this.onLost(err, reads.length - kept.length);
    this.buffer = [...kept, ...this.buffer];
    if (this.buffer.length > 0) this.timer ??= setTimeout(() => this.flush(), Math.max(this.opts.flushMs, 1000)).unref();
  }

  /** Last flush on shutdown; what cannot be published then is reported lost. */
  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    if (this.buffer.length > 0) this.onLost(new Error('bus unavailable at shutdown', { cause: this.lastError }), this.buffer.length);
    this.buffer = [];
  }
}
