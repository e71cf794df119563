import { randomUUID } from 'node:crypto';
import { assertTopic, type BusMessage, type Delivery, type EventBus, type SubscribeOptions, type Subscription } from './bus.js';

/** NATS JetStream's default duplicate window: a re-published id within it is dropped. */
const DUPLICATE_WINDOW_MS = 120_000;

interface Member {
  onMessage: (delivery: Delivery<unknown>) => void;
  opts: SubscribeOptions;
  inFlight: Set<InFlight>;
  closed: boolean;
}

interface InFlight {
  message: BusMessage;
  timer: NodeJS.Timeout;
}

/** A FIFO with O(1) push and shift (Array#shift is O(n), and a backlog can be long). */
class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(...values: T[]): void {
    for (const v of values) this.items.push(v);
  }

  /** Puts values back in front, in their order (a dead member's messages go first). */
  unshift(...values: T[]): void {
    this.items = [...values, ...this.items.slice(this.head)];
    this.head = 0;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const value = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }
}

/** A durable group: its backlog outlives its members, as a JetStream durable consumer does. */
class Group {
  readonly backlog = new Queue<BusMessage>();
  /** Whether a pump is already scheduled: one per turn of the loop, however many publishes. */
  pumpScheduled = false;
  readonly members: Member[] = [];
  private next = 0;

  /** The member next in turn that has room for one more message. */
  memberWithRoom(): Member | undefined {
    for (let i = 0; i < this.members.length; i++) {
      const member = this.members[(this.next + i) % this.members.length]!;
      if (member.inFlight.size < member.opts.maxInFlight) {
        this.next = (this.next + i + 1) % this.members.length;
        return member;
      }
    }
    return undefined;
  }
}

/**
 * The in-process adapter of the bus port, for the embedded default. It keeps JetStream's
 * contract (durable groups, acks, redelivery after nak or ack timeout, duplicate ids
 * dropped), but only in memory: events still in the backlog when the process ends are
 * lost. Handlers always run after `publish` returns, never inside it.
 */
export class MemoryBus implements EventBus {
  private readonly topics = new Map<string, Map<string, Group>>();
  private readonly recentIds = new Map<string, number>();
  private closed = false;

  async publish<T>(topic: string, payload: T, opts: { id?: string } = {}): Promise<void> {
    assertTopic(topic);
    if (this.closed) throw new Error('event bus closed');
    const id = opts.id ?? randomUUID();
    const now = Date.now();
    if (this.isDuplicate(id, now)) return;
    // A copy through JSON, as a real bus would carry it: no consumer shares the publisher's object.
    const message: BusMessage = { id, topic, payload: JSON.parse(JSON.stringify(payload)) as unknown, publishedAt: now, deliveryCount: 0 };
    for (const group of this.topics.get(topic)?.values() ?? []) {
      group.backlog.push({ ...message });
      this.pumpSoon(group);
    }
  }

  async subscribe<T>(
    topic: string,
    groupName: string,
    onMessage: (delivery: Delivery<T>) => void,
    opts: SubscribeOptions,
  ): Promise<Subscription> {
    assertTopic(topic);
    let groups = this.topics.get(topic);
    if (!groups) this.topics.set(topic, (groups = new Map()));
    let group = groups.get(groupName);
    if (!group) groups.set(groupName, (group = new Group()));
    const member: Member = { onMessage: onMessage as Member['onMessage'], opts, inFlight: new Set(), closed: false };
    group.members.push(member);
    this.pumpSoon(group);
    const joined = group;
    return {
      close: async () => {
        if (member.closed) return;
        member.closed = true;
        joined.members.splice(joined.members.indexOf(member), 1);
        // What it held goes back first in line, as if it had died holding it.
        const held = [...member.inFlight].map((f) => (clearTimeout(f.timer), f.message));
        member.inFlight.clear();
        joined.backlog.unshift(...held);
        this.pumpSoon(joined);
      },
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event bus closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const groups of this.topics.values()) {
      for (const group of groups.values()) {
        for (const member of group.members) {
          member.closed = true;
          for (const f of member.inFlight) clearTimeout(f.timer);
        }
      }
    }
    this.topics.clear();
  }

  private isDuplicate(id: string, now: number): boolean {
    for (const [seen, at] of this.recentIds) {
      if (now - at < DUPLICATE_WINDOW_MS) break; // insertion order = time order
      this.recentIds.delete(seen);
    }
    if (this.recentIds.has(id)) return true;
    this.recentIds.set(id, now);
    return false;
  }

  private pumpSoon(group: Group): void {
    if (group.pumpScheduled) return;
    group.pumpScheduled = true;
    setImmediate(() => {
      group.pumpScheduled = false;
      this.pump(group);
    });
  }

  private pump(group: Group): void {
    if (this.closed) return;
    while (group.backlog.length > 0) {
      const member = group.memberWithRoom();
      if (!member) return;
      this.deliver(group, member, group.backlog.shift()!);
    }
  }

  private deliver(group: Group, member: Member, queued: BusMessage): void {
    const message = { ...queued, deliveryCount: queued.deliveryCount + 1 };
    let settled = false;
    const flight: InFlight = {
      message,
      timer: setTimeout(() => settle(0, true), member.opts.ackWaitMs).unref(),
    };
    const settle = (redeliverAfterMs: number, redeliver: boolean) => {
      if (settled || member.closed || !member.inFlight.has(flight)) return;
      settled = true;
      clearTimeout(flight.timer);
      member.inFlight.delete(flight);
      if (redeliver) {
        const back = () => {
          if (this.closed) return;
          group.backlog.push(message);
          this.pump(group);
        };
        if (redeliverAfterMs > 0) setTimeout(back, redeliverAfterMs).unref();
        else setImmediate(back);
      }
      this.pumpSoon(group);
    };
    member.inFlight.add(flight);
    const delivery: Delivery<unknown> = { ...message, ack: () => settle(0, false), nak: (delayMs = 0) => settle(delayMs, true) };
    try {
      member.onMessage(delivery);
    } catch {
      delivery.nak();
    }
  }
}
