/** A Webook account. An account has an email, a phone, or both. */
export interface User {
  id: number;
  email: string | null;
  passwordHash: string | null;
  phone: string | null;
  nickname: string;
  /** YYYY-MM-DD */
  birthday: string | null;
  aboutMe: string;
  ctime: number;
  utime: number;
}

export interface ProfileEdit {
  nickname?: string;
  birthday?: string | null;
  aboutMe?: string;
}

/** What the owner sees of their account: never the password hash. */
export function profileOf(user: User) {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone,
    nickname: user.nickname,
    birthday: user.birthday,
    aboutMe: user.aboutMe,
    ctime: user.ctime,
  };
}

/**
 * Mobile numbers: a mainland-China mobile as the original takes it (11 digits, 1[3-9]...)
 * or any E.164 number with its `+`. One person is one number: `+86` in front of a Chinese
 * mobile is dropped, so both spellings find the same account.
 */
export const PHONE_PATTERN = '^(1[3-9]\\d{9}|\\+[1-9]\\d{7,14})$';
export const normalisePhone = (phone: string): string => (/^\+861[3-9]\d{9}$/.test(phone) ? phone.slice(3) : phone);

/** Emails compare case-insensitively everywhere, so they are stored lower-cased. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A real calendar date, not in the future and not before 1900. */
export function isPlausibleBirthday(value: string, now: number): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const sameDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return sameDay && year >= 1900 && date.getTime() <= now;
}
