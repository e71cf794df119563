import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArticleCodes } from '../../src/modules/article/article.errors.js';
import { CodeCodes } from '../../src/modules/code/code.errors.js';
import { CommentCodes } from '../../src/modules/comment/comment.errors.js';
import { FollowCodes } from '../../src/modules/follow/follow.errors.js';
import { InteractiveCodes } from '../../src/modules/interactive/interactive.errors.js';
import { OAuthCodes } from '../../src/modules/oauth2/oauth2.errors.js';
import { RankingCodes } from '../../src/modules/ranking/ranking.errors.js';
import { SearchCodes } from '../../src/modules/search/search.errors.js';
import { JobCodes } from '../../src/jobs/job.errors.js';
import { SessionCodes } from '../../src/modules/session/session.errors.js';
import { UserCodes } from '../../src/modules/user/user.errors.js';
import { httpStatusOf, type ErrorCode } from '../../src/pkg/errors/app-error.js';
import { CommonCodes } from '../../src/pkg/errors/codes.js';

/** Body errors Fastify reports with their own HTTP status, kept by the error handler. */
const STATUS_OVERRIDES: Record<number, number> = { 400005: 413, 400006: 415 };

const tables: Record<string, ErrorCode>[] = [CommonCodes, UserCodes, SessionCodes, CodeCodes, OAuthCodes, ArticleCodes, InteractiveCodes, RankingCodes, JobCodes, SearchCodes, CommentCodes, FollowCodes];
const codes = tables.flatMap((t) => Object.values(t));

/** Rows of docs/error-codes.md: | code | HTTP | severity | meaning | */
const documented = new Map(
  [...readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8').matchAll(/^\| (\d{6}) \| (\d{3}) \| (P\d) \|/gm)].map((m) => [
    Number(m[1]),
    { status: Number(m[2]), severity: m[3] },
  ]),
);

describe('error code table', () => {
  it('when codes are defined, then each is unique and in its module range', () => {
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    for (const c of codes) expect(String(c.code)).toMatch(/^[45]\d{5}$/);
  });

  it('when a code exists in the source, then docs/error-codes.md lists it with the same status and severity', () => {
    for (const c of codes) {
      expect(documented.get(c.code), `code ${c.code}`).toEqual({ status: STATUS_OVERRIDES[c.code] ?? httpStatusOf[c.kind], severity: c.severity });
    }
    expect([...documented.keys()].sort()).toEqual(codes.map((c) => c.code).sort());
  });
});
