import { describe, expect, it } from 'vitest';
import { CURSOR_PATTERN, decodeCursor, encodeCursor, newestFirst, type FeedCursor } from '../../src/modules/feed/feed.domain.js';

describe('feed order and cursor', () => {
  it('when entries tie on time, then source and id still order them, newest first', () => {
    const rows: FeedCursor[] = [
      { ctime: 5, src: 0, id: 9 },
      { ctime: 6, src: 0, id: 1 },
      { ctime: 5, src: 1, id: 2 },
      { ctime: 5, src: 1, id: 3 },
    ];
    expect([...rows].sort(newestFirst)).toEqual([rows[1], rows[3], rows[2], rows[0]]);
  });

  it('when a cursor is encoded, then it matches the query pattern and decodes to the same position', () => {
    const c: FeedCursor = { ctime: 1767225600000, src: 1, id: 42 };
    expect(encodeCursor(c)).toMatch(new RegExp(CURSOR_PATTERN));
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect('1-2-3').not.toMatch(new RegExp(CURSOR_PATTERN));
  });
});
