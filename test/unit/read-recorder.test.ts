import { afterEach, describe, expect, it } from 'vitest';
import type { ArticleReadBatch } from '../../src/modules/article/article.events.js';
import { ReadRecorder } from '../../src/modules/article/read-recorder.js';
import type { EventBus } from '../../src/pkg/events/bus.js';

/** A bus that records publishes and can be made to fail. */
function fakeBus() {
  const published: ArticleReadBatch[] = [];
  let down = false;
  const bus = {
    publish: async (_topic: string, payload: ArticleReadBatch) => {
      if (down) throw new Error('bus down');
      published.push(payload);
    },
  } as unknown as EventBus;
  return { bus, published, setDown: (v: boolean) => void (down = v) };
}


describe('read recorder', () => {
  let recorder: ReadRecorder | undefined;
  afterEach(async () => recorder?.close());

  it('when maxBatch reads arrive, then they go out as one event at once', async () => {
    const { bus, published } = fakeBus();
    recorder = new ReadRecorder(bus, { maxBatch: 3, flushMs: 60_000, maxBuffered: 100 }, () => {});
    [1, 2, 3, 4].forEach((aid) => recorder!.record(aid, 10 + aid, 1000 + aid));
    await Promise.resolve();
    expect(published).toEqual([{ aids: [1, 2, 3], uids: [11, 12, 13], ats: [1001, 1002, 1003] }]);
  });

  it('when fewer arrive, then they go out flushMs after the first', async () => {
    const { bus, published } = fakeBus();
    recorder = new ReadRecorder(bus, { maxBatch: 100, flushMs: 30, maxBuffered: 100 }, () => {});
    recorder.record(1, 0, 0);
    recorder.record(2, 0, 0);
    expect(published).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(published.map((b) => b.aids.length)).toEqual([2]);
  });

  it('when the bus is down, then reads wait up to the bound, the rest are reported lost, and the rest go out later', async () => {
    const { bus, published, setDown } = fakeBus();
    const lost: number[] = [];
    recorder = new ReadRecorder(bus, { maxBatch: 4, flushMs: 10, maxBuffered: 6 }, (_err, n) => lost.push(n));
    setDown(true);
    for (let i = 0; i < 8; i++) recorder.record(i, 100 + i, 1000 + i);
    await recorder.flush();
    expect(lost.reduce((a, b) => a + b, 0)).toBe(2);
    setDown(false);
    await recorder.flush();
    // What fitted of each failed batch (the second one's first two), each read's columns still together.
    expect(published).toEqual([{ aids: [4, 5, 0, 1, 2, 3], uids: [104, 105, 100, 101, 102, 103], ats: [1004, 1005, 1000, 1001, 1002, 1003] }]);
  });

  it('when closed, then what is waiting is published', async () => {
    const { bus, published } = fakeBus();
    recorder = new ReadRecorder(bus, { maxBatch: 100, flushMs: 60_000, maxBuffered: 100 }, () => {});
    recorder.record(9, 3, 77);
    await recorder.close();
    expect(published).toEqual([{ aids: [9], uids: [3], ats: [77] }]);
  });

  it("when the bus is down at close, then what is waiting is reported lost with the bus's own error as the cause", async () => {
    const { bus, setDown } = fakeBus();
    const lost: { err: unknown; n: number }[] = [];
    recorder = new ReadRecorder(bus, { maxBatch: 100, flushMs: 60_000, maxBuffered: 100 }, (err, n) => lost.push({ err, n }));
    setDown(true);
    recorder.record(1, 0, 0);
    recorder.record(2, 0, 0);
    await recorder.close();
    expect(lost).toHaveLength(1);
    expect(lost[0]!.n).toBe(2);
    expect((lost[0]!.err as Error).message).toBe('bus unavailable at shutdown');
    expect(((lost[0]!.err as Error).cause as Error).message).toBe('bus down');
  });
});
