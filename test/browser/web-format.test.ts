import { describe, expect, it } from 'vitest';
import { compact, plainText, readingMinutes, sentence, timeAgo } from '../../web/src/lib/format.js';
import { tokensFromFragment } from '../../web/src/lib/fragment.js';

/** The UI's text helpers (web/src/lib/format.ts): pure functions, tested without a browser. */
describe('how the UI words things', () => {
  it('when an abstract is Markdown, then a card shows it as prose', () => {
    expect(plainText('Streams let Node move data **without holding it all in memory**. ## Why it matters')).toBe(
      'Streams let Node move data without holding it all in memory. Why it matters',
    );
    expect(plainText('See [the docs](https://nodejs.org) and ![a chart](x.png) `pipe()`')).toBe('See the docs and a chart pipe()');
    expect(plainText('<script>alert(1)</script> text <img src=x onerror=')).toBe('alert(1) text');
    expect(plainText('> quoted\n\n```js\ncode\n```')).toBe('quoted code');
  });

  it('when counters grow, then they stay short', () => {
    expect([0, 999, 1000, 1250, 12_345, 999_999, 1_500_000].map(compact)).toEqual(['0', '999', '1k', '1.3k', '12k', '1M', '1.5M']);
  });

  it('when a time is recent, then it is said relative to now, else as a date', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    expect(timeAgo(now - 10_000, now)).toBe('just now');
    expect(timeAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(timeAgo(now - 3 * 3600_000, now)).toBe('3 h ago');
    expect(timeAgo(now - 2 * 86_400_000, now)).toBe('2 d ago');
    expect(timeAgo(now - 30 * 86_400_000, now)).toMatch(/2026/);
  });

  it('when the server sends a lower-case message, then it reads as a sentence; reading time is at least a minute', () => {
    expect(sentence('wrong email or password')).toBe('Wrong email or password');
    expect(sentence('')).toBe('');
    expect(readingMinutes('one two three')).toBe(1);
    expect(readingMinutes(Array.from({ length: 1000 }, () => 'word').join(' '))).toBe(4);
  });
});

describe('the tokens an OAuth2 login hands over', () => {
  it('when the URL fragment carries both tokens, then both are read; when one is missing, then none', () => {
    expect(tokensFromFragment('#x-jwt-token=a.b.c&x-refresh-token=d.e.f')).toEqual({ access: 'a.b.c', refresh: 'd.e.f' });
    expect(tokensFromFragment('x-refresh-token=d&x-jwt-token=a')).toEqual({ access: 'a', refresh: 'd' });
    expect(tokensFromFragment('#x-jwt-token=a.b.c')).toBeNull();
    expect(tokensFromFragment('#section-2')).toBeNull();
    expect(tokensFromFragment('')).toBeNull();
  });
});
