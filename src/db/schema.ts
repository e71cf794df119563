import type { Generated } from 'kysely';

/** Row types of every table, as Kysely sees them. Times are epoch milliseconds. */
export interface UsersTable {
  id: Generated<number>;
  email: string | null;
  password_hash: string | null;
  phone: string | null;
  nickname: string;
  birthday: string | null;
  about_me: string;
  ctime: number;
  utime: number;
}

export interface UserSessionsTable {
  ssid: string;
  uid: number;
  refresh_jti: string;
  ua_hash: string;
  ctime: number;
  utime: number;
  expires_at: number;
  revoked: number;
}

export interface DB {
  users: UsersTable;
  user_sessions: UserSessionsTable;
}
