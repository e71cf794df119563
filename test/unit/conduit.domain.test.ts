import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/pkg/errors/app-error.js';
import { ArticleCodes } from '../../src/modules/article/article.errors.js';
import { CommentCodes } from '../../src/modules/comment/comment.errors.js';
import { FollowCodes } from '../../src/modules/follow/follow.errors.js';
import { SessionCodes } from '../../src/modules/session/session.errors.js';
import { outcomeOf } from '../../src/modules/conduit/conduit.errors.js';
import { ConduitError, idOfSlug, imageProblem, slugOf, slugify, uidOfDerived, usernameKey, usernameProblem } from '../../src/modules/conduit/conduit.domain.js';

describe('Conduit slugs', () => {
  it('when a title is slugified, then words are lower-cased, accents dropped, any other sign a single dash', () => {
    expect(slugify('How to Train Your Dragon!')).toBe('how-to-train-your-dragon');
    expect(slugify('  Crème brûlée -- the   ÜBER guide ')).toBe('creme-brulee-the-uber-guide');
    expect(slugify('Node.js & C++ / CI')).toBe('node-js-c-ci');
    expect(slugify('你好 世界')).toBe('你好-世界');
    expect(slugify('!!!')).toBe('article');
    expect(Array.from(slugify('word '.repeat(100))).length).toBeLessThanOrEqual(64);
  });

  it('when a slug is made from a title and an id, then the id comes back from it, whatever the title', () => {
    for (const [title, id] of [['Hello', 1], ['a-1', 35], ['x 1 2 3', 36], ['!!!', Number.MAX_SAFE_INTEGER]] as const) {
      const slug = slugOf(title, id);
      expect(idOfSlug(slug)).toBe(id);
    }
    expect(slugOf('a', 1)).not.toBe(slugOf('a-1', 1));
  });

  it('when a slug has no id part, then idOfSlug says so', () => {
    for (const slug of ['nothing', 'trailing-', 'x-0', 'x-ZZ', 'x-zzzzzzzzzzzz', '']) expect(idOfSlug(slug)).toBeUndefined();
  });
});

describe('Conduit usernames and images', () => {
  it('when usernames are checked, then blank, long, odd signs and the reserved user-<id> of someone else are refused', () => {
    expect(usernameProblem('jake_the.dog-1', undefined)).toBeNull();
    expect(usernameProblem('Zoë', undefined)).toBeNull();
    expect(usernameProblem('', undefined)).toBe("can't be blank");
    expect(usernameProblem('a'.repeat(33), undefined)).toMatch(/too long/);
    expect(usernameProblem('a'.repeat(32), undefined)).toBeNull();
    expect(usernameProblem('ﬃ'.repeat(11), undefined)).toMatch(/too long/); // 33 characters once normalised
    expect(usernameProblem('a b', undefined)).toMatch(/only contain/);
    expect(usernameProblem('a/b', undefined)).toMatch(/only contain/);
    expect(usernameProblem('..', undefined)).toMatch(/letter or a digit/);
    expect(usernameProblem('_-_', undefined)).toMatch(/letter or a digit/);
    expect(usernameProblem('user-7', undefined)).toBe('is reserved');
    expect(usernameProblem('User-7', 8)).toBe('is reserved');
    expect(usernameProblem('user-7', 7)).toBeNull();
  });

  it('when names differ only in case or width, then they are one key; derived names give their id back', () => {
    expect(usernameKey('Jake')).toBe(usernameKey('jake'));
    expect(usernameKey('ｊａｋｅ')).toBe('jake');
    expect(uidOfDerived('user-42')).toBe(42);
    expect(uidOfDerived('USER-42')).toBe(42);
    expect(uidOfDerived('user-042')).toBeUndefined();
    expect(uidOfDerived('user-')).toBeUndefined();
  });

  it('when an image is checked, then only http(s) URLs pass', () => {
    expect(imageProblem('https://example.com/a.png')).toBeNull();
    expect(imageProblem('http://example.com/a.png')).toBeNull();
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '//example.com/a.png', 'https://a b']) expect(imageProblem(bad)).not.toBeNull();
  });
});

describe('Conduit error shapes', () => {
  it('when Webook errors reach the Conduit layer, then each gets Conduit status and key', () => {
    expect(outcomeOf(new AppError(ArticleCodes.notFound))).toMatchObject({ status: 404, errors: { article: ['not found'] } });
    expect(outcomeOf(new AppError(CommentCodes.notYours))).toMatchObject({ status: 403, errors: { comment: ['forbidden'] } });
    expect(outcomeOf(new AppError(FollowCodes.selfFollow, { fields: { uid: 'you cannot follow yourself' } }))).toMatchObject({ status: 422, errors: { username: ['you cannot follow yourself'] } });
    expect(outcomeOf(new AppError(ArticleCodes.badTag, { fields: { tags: 'bad' } }))).toMatchObject({ status: 422, errors: { tagList: ['bad'] } });
    expect(outcomeOf(new AppError(SessionCodes.badToken))).toMatchObject({ status: 401, errors: { token: ['is invalid'] } });
    expect(outcomeOf(new AppError(SessionCodes.missingToken))).toMatchObject({ status: 401, errors: { token: ['is missing'] } });
    expect(outcomeOf(new ConduitError(409, { username: ['has already been taken'] }))).toMatchObject({ status: 409, errors: { username: ['has already been taken'] } });
  });

  it('when something unexpected or a lost server fails a request, then 500 or 503 without details, logged P1 or P0', () => {
    const bug = outcomeOf(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(bug).toEqual({ status: 500, errors: { server: ['internal error'] }, code: '500001', severity: 'P1' });
    const down = outcomeOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }));
    expect(down).toMatchObject({ status: 503, errors: { server: [expect.any(String)] }, severity: 'P0' });
    expect(JSON.stringify(down)).not.toContain('3306');
  });
});
