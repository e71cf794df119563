import { Counter, Histogram, type Registry } from 'prom-client';

/** What the consumer helpers report: how events ended, and how long batches took. */
export interface EventMetrics {
  settled(topic: string, group: string, outcome: 'acked' | 'retried' | 'dead_lettered', count: number): void;
  batchSeconds(topic: string, group: string, seconds: number): void;
}

export function createEventMetrics(registry: Registry): EventMetrics {
  const settled = new Counter({
    name: 'webook_events_settled_total',
    help: 'Events a consumer finished with, by outcome (acked, retried, dead_lettered)',
    labelNames: ['topic', 'group', 'outcome'] as const,
    registers: [registry],
  });
  const batch = new Histogram({
    name: 'webook_event_batch_seconds',
    help: 'Time a consumer handler took per batch',
    labelNames: ['topic', 'group'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return {
    settled: (topic, group, outcome, count) => settled.inc({ topic, group, outcome }, count),
    batchSeconds: (topic, group, seconds) => batch.observe({ topic, group }, seconds),
  };
}

/** For consumers nobody watches (tests, tools). */
export const noEventMetrics: EventMetrics = { settled: () => {}, batchSeconds: () => {} };
