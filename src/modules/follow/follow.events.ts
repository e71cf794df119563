/** A new follow (not a repeated one); the feed tells the user followed. */
export const FOLLOW_CREATED = 'follow.created';

export interface FollowCreated {
  followerId: number;
  followeeId: number;
  at: number;
}
