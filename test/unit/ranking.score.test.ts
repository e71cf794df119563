import { describe, expect, it } from 'vitest';
import { hotScore, rankOrder, type Rankable } from '../../src/modules/ranking/ranking.score.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const HOUR = 3_600_000;
const ago = (hours: number) => NOW - hours * HOUR;

describe('hot score', () => {
  it('when an article is brand new, then its score is (likes - 1) / 2^1.5', () => {
    expect(hotScore(3, NOW, NOW)).toBeCloseTo(2 / 2 ** 1.5, 12);
    expect(hotScore(101, NOW, NOW)).toBeCloseTo(100 / 2 ** 1.5, 12);
  });

  it('when an article is older, then the score decays as (hours + 2)^1.5', () => {
    expect(hotScore(11, ago(7), NOW)).toBeCloseTo(10 / 27, 12); // (7 + 2)^1.5 = 27
    expect(hotScore(11, ago(14), NOW)).toBeCloseTo(10 / 64, 12); // (14 + 2)^1.5 = 64
    expect(hotScore(11, ago(30 * 24), NOW)).toBeLessThan(0.001);
  });

  it('when an article has zero likes or one, then its score is 0, never negative', () => {
    expect(hotScore(0, NOW, NOW)).toBe(0);
    expect(hotScore(1, NOW, NOW)).toBe(0);
    expect(hotScore(0, ago(1000), NOW)).toBe(0);
  });

  it('when the publish time is in the future (clock skew), then it counts as age 0', () => {
    expect(hotScore(5, NOW + HOUR, NOW)).toBe(hotScore(5, NOW, NOW));
  });

  it('when an old article has many likes, then it can still beat a new one with few', () => {
    expect(hotScore(500, ago(48), NOW)).toBeGreaterThan(hotScore(3, NOW, NOW));
    expect(hotScore(10, ago(48), NOW)).toBeLessThan(hotScore(3, NOW, NOW));
  });

  it('when likes grow or time passes, then the score moves only the expected way', () => {
    for (let likes = 1; likes < 50; likes++) expect(hotScore(likes + 1, ago(5), NOW)).toBeGreaterThan(hotScore(likes, ago(5), NOW));
    for (let h = 0; h < 100; h++) expect(hotScore(9, ago(h + 1), NOW)).toBeLessThan(hotScore(9, ago(h), NOW));
  });
});

describe('rank order', () => {
  const a = (id: number, score: number, ctime: number): Rankable => ({ id, score, ctime });

  it('when scores differ, then the higher score ranks first', () => {
    expect([a(1, 0.1, NOW), a(2, 0.5, ago(9)), a(3, 0.3, NOW)].sort(rankOrder).map((x) => x.id)).toEqual([2, 3, 1]);
  });

  it('when scores tie (zero likes), then the newer publication ranks first, then the higher id', () => {
    const tied = [a(1, 0, ago(3)), a(2, 0, NOW), a(3, 0, ago(1)), a(4, 0, NOW)];
    expect(tied.sort(rankOrder).map((x) => x.id)).toEqual([4, 2, 3, 1]);
  });
});
