import type { EventBus } from '../../pkg/events/bus.js';
import { ARTICLE_READ, type ArticleReadBatch } from './article.events.js';

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
  private buffer: ArticleReadBatch = emptyBatch();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  /** Why the last publish failed, for the report of reads lost at shutdown. */
  private lastError: unknown;

  constructor(
    private readonly bus: EventBus,
    private readonly opts: ReadRecorderOptions,
    private readonly onLost: (err: unknown, reads: number) => void,
  ) {}

  /** A read of article `aid` by `uid` (0: anonymous) at `at` (epoch ms). */
  record(aid: number, uid: number, at: number): void {
    const b = this.buffer;
    b.aids.push(aid);
    b.uids.push(uid);
    b.ats.push(at);
    if (b.aids.length >= this.opts.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs).unref();
  }

  /** Publishes what is waiting; resolves when every flush so far has settled. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.aids.length > 0) {
      const batch = this.buffer;
      this.buffer = emptyBatch();
      const publish = this.bus.publish(ARTICLE_READ, batch).catch((err: unknown) => this.giveBack(batch, err));
      this.inFlight = Promise.all([this.inFlight, publish]).then(() => {});
    }
    return this.inFlight;
  }

  /** A batch the bus refused goes back in front of what came since, as far as the bound allows. */
  private giveBack(batch: ArticleReadBatch, err: unknown): void {
    this.lastError = err;
    const room = Math.max(0, this.opts.maxBuffered - this.buffer.aids.length);
    const kept = Math.min(room, batch.aids.length);
    if (kept < batch.aids.length) this.onLost(err, batch.aids.length - kept);
    const later = this.buffer;
    this.buffer = {
      aids: [...batch.aids.slice(0, kept), ...later.aids],
      uids: [...batch.uids.slice(0, kept), ...later.uids],
      ats: [...batch.ats.slice(0, kept), ...later.ats],
    };
    if (this.buffer.aids.length > 0) this.timer ??= setTimeout(() => this.flush(), Math.max(this.opts.flushMs, 1000)).unref();
  }

  /** Last flush on shutdown; what cannot be published then is reported lost. */
  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    if (this.buffer.aids.length > 0) this.onLost(new Error('bus unavailable at shutdown', { cause: this.lastError }), this.buffer.aids.length);
    this.buffer = emptyBatch();
  }
}

const emptyBatch = (): ArticleReadBatch => ({ aids: [], uids: [], ats: [] });
