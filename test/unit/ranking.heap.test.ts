import { describe, expect, it } from 'vitest';
import { TopN } from '../../src/modules/ranking/ranking.heap.js';
import { rankOrder, type Rankable } from '../../src/modules/ranking/ranking.score.js';

/** A small seeded generator (mulberry32): failures reproduce from the seed in the test name. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Items with many ties: few distinct scores and times, so the tie-breaks matter. */
function items(n: number, rnd: () => number): Rankable[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, score: Math.floor(rnd() * 20) / 4, ctime: Math.floor(rnd() * 50) }));
}

describe('bounded top-N heap', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('when fed random data (seed %i), then it keeps exactly what a full sort puts first', (seed) => {
    const rnd = random(seed);
    for (const [n, cap] of [[0, 5], [1, 1], [7, 10], [100, 1], [1000, 100], [5000, 37], [300, 300], [301, 300]] as const) {
      const data = items(n, rnd);
      const heap = new TopN<Rankable>(cap, rankOrder);
      for (const item of data) heap.offer(item);
      expect(heap.size).toBe(Math.min(cap, n));
      expect(heap.sorted()).toEqual([...data].sort(rankOrder).slice(0, cap));
    }
  });

  it('when the input arrives sorted best-first or worst-first, then the result is the same', () => {
    const data = items(2000, random(42));
    const best = [...data].sort(rankOrder);
    for (const order of [best, [...best].reverse()]) {
      const heap = new TopN<Rankable>(50, rankOrder);
      order.forEach((x) => heap.offer(x));
      expect(heap.sorted()).toEqual(best.slice(0, 50));
    }
  });

  it('when full, then an item no better than the worst kept is refused and one better replaces it', () => {
    const heap = new TopN<Rankable>(2, rankOrder);
    expect(heap.offer({ id: 1, score: 5, ctime: 0 })).toBe(true);
    expect(heap.threshold).toBeUndefined(); // not full: anything gets in
    expect(heap.offer({ id: 2, score: 3, ctime: 0 })).toBe(true);
    expect(heap.threshold).toMatchObject({ id: 2 }); // full: the one to beat
    expect(heap.offer({ id: 3, score: 1, ctime: 0 })).toBe(false);
    expect(heap.offer({ id: 4, score: 4, ctime: 0 })).toBe(true);
    expect(heap.sorted().map((x) => x.id)).toEqual([1, 4]);
  });

  it('when capacity is 0 or invalid, then nothing is kept or construction fails', () => {
    const none = new TopN<Rankable>(0, rankOrder);
    expect(none.offer({ id: 1, score: 1, ctime: 1 })).toBe(false);
    expect(none.sorted()).toEqual([]);
    expect(() => new TopN<Rankable>(-1, rankOrder)).toThrow(RangeError);
    expect(() => new TopN<Rankable>(1.5, rankOrder)).toThrow(RangeError);
  });
});
