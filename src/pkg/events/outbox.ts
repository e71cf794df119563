import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EventBus } from './bus.js';
import type { Logger } from '../logger/logger.js';

/** Rows relayed per round trip. */
const RELAY_BATCH = 100;

export interface OutboxEvent {
  eventId: string;
  topic: string;
  payload: unknown;
}

/**
 * A transactional outbox: an event is a row written in the same transaction as the
 * change it announces, so it exists exactly when the change committed. `relay()` then
 * publishes the rows in id order and deletes each published one. It runs right after a
 * commit (the event is normally on the bus within milliseconds) and on a timer, which
 * picks up what a failed relay left behind (bus down, process killed after commit).
 *
 * Two relays (two instances, or a crash between publish and delete) may publish a row
 * twice; its stable event id makes the bus drop the copy within its duplicate window,
 * and consumers are idempotent anyway.
 */
export class EventOutbox {
  private running: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Inside the caller's transaction. */
  async add(tx: Kysely<DB>, event: OutboxEvent, now: number): Promise<void> {
    await tx
      .insertInto('event_outbox')
      .values({ event_id: event.eventId, topic: event.topic, payload: JSON.stringify(event.payload), ctime: now })
      .execute();
  }

  /**
   * Publishes everything pending; never throws (a failure is logged once and retried by
   * the timer). One relay at a time per process: a call during a relay makes it go round once more.
   */
  relay(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.relayPending().then(
          () => this.recovered(),
          (err: unknown) => this.failed(err),
        );
      } while (this.again && !this.failing);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Retries what is pending every intervalMs (unref'ed: it never keeps the process alive). */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.relay(), intervalMs).unref();
    void this.relay();
  }

  /** Stops the timer and waits for a relay in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** How many events wait (for tests and readiness checks). */
  async pending(): Promise<number> {
    const row = await this.db.selectFrom('event_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private async relayPending(): Promise<void> {
    for (;;) {
      const rows = await this.db.selectFrom('event_outbox').selectAll().orderBy('id').limit(RELAY_BATCH).execute();
      const done: number[] = [];
      try {
        for (const row of rows) {
          await this.bus.publish(row.topic, JSON.parse(row.payload) as unknown, { id: row.event_id });
          done.push(Number(row.id));
        }
      } finally {
        if (done.length > 0) await this.db.deleteFrom('event_outbox').where('id', 'in', done).execute();
      }
      if (rows.length < RELAY_BATCH) return;
    }
  }

  /** Logged once per outage, not once per retry. */
  private failed(err: unknown): void {
    if (!this.failing) this.logger.error({ severity: 'P1', err }, 'outbox relay failed; events stay in event_outbox and are retried');
    this.failing = true;
  }

  private recovered(): void {
    if (this.failing) this.logger.info({ severity: 'P3' }, 'outbox relay recovered');
    this.failing = false;
  }
}
