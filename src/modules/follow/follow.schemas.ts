import { Type } from 'typebox';
import { FOLLOW_PAGE_MAX } from './follow.domain.js';

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: 'must be a positive integer user id' });
const IdString = Type.String({ pattern: '^[1-9][0-9]{0,15}$', errorMessage: 'must be a positive integer user id' });
const Cursor = Type.String({ pattern: '^[1-9][0-9]{0,15}$', errorMessage: 'must be the nextCursor of the previous page' });
const Limit = Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: `must be an integer from 1 to ${FOLLOW_PAGE_MAX}` });

export const FollowBody = Type.Object({ uid: Id }, { additionalProperties: false });
export const UserQuery = Type.Object({ uid: IdString }, { additionalProperties: false });
export const FollowListQuery = Type.Object({ uid: IdString, cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) }, { additionalProperties: false });

export const FollowStatsData = Type.Object({
  uid: Type.Integer(),
  followerCnt: Type.Integer({ description: 'people who follow this user' }),
  followeeCnt: Type.Integer({ description: 'people this user follows' }),
  followed: Type.Boolean({ description: 'whether the logged-in caller follows this user (false when anonymous)' }),
});

export const FollowPage = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), followedAt: Type.Integer({ description: 'epoch ms' }) })),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null: no more' }),
});
