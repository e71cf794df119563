import { randomBytes } from 'node:crypto';
import type { EventBus } from '../../src/pkg/events/bus.js';
import { MemoryBus } from '../../src/pkg/events/memory-bus.js';
import { NatsBus } from '../../src/pkg/events/nats-bus.js';

/** The bus half of the test matrix: in-process always, NATS JetStream when its URL is set. */
const natsUrl = process.env.WEBOOK_TEST_NATS_URL;
if (process.env.WEBOOK_TEST_REQUIRE_ALL === '1' && !natsUrl) {
  throw new Error('WEBOOK_TEST_REQUIRE_ALL=1 but no URL for: nats');
}

export type BusKind = 'memory' | 'nats';
export const busKinds: BusKind[] = ['memory', ...(natsUrl ? ['nats' as const] : [])];

export interface TestBus {
  bus: EventBus;
  url: string;
  /** The stream and subject prefix, for a second connection to share. */
  names: { stream: string; subjectPrefix: string };
  /** Another connection to the same bus (a second process); null in-process. */
  another(): Promise<EventBus>;
  close(): Promise<void>;
}

/** A bus of the given kind; on NATS a stream of its own, deleted on close. */
export async function freshBus(kind: BusKind, share?: TestBus['names']): Promise<TestBus> {
  const tag = `wbt_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const names = share ?? { stream: tag.toUpperCase(), subjectPrefix: tag };
  if (kind === 'memory') {
    const bus = new MemoryBus();
    return { bus, url: 'memory', names, another: async () => bus, close: () => bus.close() };
  }
  const open = async () => {
    const bus = new NatsBus({ url: natsUrl!, ...names });
    await bus.ping();
    return bus;
  };
  const bus = await open();
  const others: NatsBus[] = [];
  return {
    bus,
    url: natsUrl!,
    names,
    another: async () => {
      const other = await open();
      others.push(other);
      return other;
    },
    close: async () => {
      for (const other of others) await other.close();
      if (!share) await bus.deleteStream();
      await bus.close();
    },
  };
}
