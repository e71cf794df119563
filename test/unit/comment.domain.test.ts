import { describe, expect, it } from 'vitest';
import { cleanContent, COMMENT_MAX, subtreeOf, threadOf } from '../../src/modules/comment/comment.domain.js';

describe('comment rules', () => {
  it('when content is padded, blank or too long, then it is trimmed or refused, counting code points', () => {
    expect(cleanContent('  hello \n')).toBe('hello');
    expect(cleanContent(' \t\u3000\n')).toBeNull();
    expect(cleanContent('')).toBeNull();
    expect(cleanContent('😀'.repeat(COMMENT_MAX))).toHaveLength(COMMENT_MAX * 2); // 2000 emoji are 2000 characters
    expect(cleanContent('x'.repeat(COMMENT_MAX + 1))).toBeNull();
  });

  it('when a reply is deleted, then its subtree is everything that answers it, directly or not', () => {
    const thread = [
      { id: 2, parentId: 1 },
      { id: 3, parentId: 2 },
      { id: 4, parentId: 3 },
      { id: 5, parentId: 1 },
      { id: 6, parentId: 2 },
    ];
    expect(subtreeOf(2, thread).sort()).toEqual([2, 3, 4, 6]);
    expect(subtreeOf(5, thread)).toEqual([5]);
    expect(subtreeOf(99, thread)).toEqual([99]);
  });

  it('when asked for the thread of a comment, then a root is its own thread', () => {
    expect(threadOf({ id: 7, rootId: 0 })).toBe(7);
    expect(threadOf({ id: 9, rootId: 7 })).toBe(7);
  });
});
