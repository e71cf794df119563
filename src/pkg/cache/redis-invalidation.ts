import type { Redis } from 'ioredis';
import type { InvalidationBus } from './near-cache.js';

/**
 * Invalidations over Redis pub/sub. The subscriber is a connection of its own (a
 * subscribed connection can do nothing else). Whenever it is not subscribed, `live` is
 * false and listeners hear `null`, so near caches drop everything and read through until
 * the subscription is back: a message missed while disconnected can never leave a stale
 * session or user behind.
 */
export class RedisInvalidationBus implements InvalidationBus {
  private subscribed = false;
  private readonly listeners: ((key: string | null) => void)[] = [];
  private readonly channel: string;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    channel = 'cache-invalidate',
  ) {
    // ioredis adds keyPrefix to keys, not to channel names: namespace the channel here.
    this.channel = `${publisher.options.keyPrefix ?? ''}${channel}`;
    subscriber.on('message', (ch: string, key: string) => {
      if (ch === this.channel) this.emit(key);
    });
    const down = () => {
      if (this.subscribed) {
        this.subscribed = false;
        this.emit(null);
      }
    };
    subscriber.on('close', down);
    subscriber.on('end', down);
    // A connection lost before SUBSCRIBE is answered rejects it; nothing is lost: `live`
    // stays false (near caches read through) and the next 'ready' subscribes again.
    subscriber.on('ready', () => void this.subscribe_().catch(() => {}));
  }

  get live(): boolean {
    return this.subscribed;
  }

  /** Resolves once the first subscription is confirmed. */
  async start(): Promise<void> {
    if (this.subscriber.status === 'ready') await this.subscribe_();
    else await new Promise<void>((resolve) => this.subscriber.once('ready', () => resolve()));
    for (let i = 0; i < 100 && !this.subscribed; i++) await new Promise((r) => setTimeout(r, 10));
  }

  async publish(key: string): Promise<void> {
    await this.publisher.publish(this.channel, key);
  }

  subscribe(listener: (key: string | null) => void): void {
    this.listeners.push(listener);
  }

  private async subscribe_(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
    this.emit(null); // anything may have changed while we were not listening
    this.subscribed = true;
  }

  private emit(key: string | null): void {
    for (const listener of this.listeners) listener(key);
  }
}
