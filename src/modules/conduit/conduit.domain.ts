/**
 * Conduit's vocabulary over Webook's (docs/conduit.md): usernames, slugs, the field
 * rules Conduit clients are told about in `{"errors": {"field": ["message"]}}`.
 */

export const USERNAME_MAX = 32;
export const DESCRIPTION_MAX = 1024;
export const BIO_MAX = 1024;
export const IMAGE_MAX = 1024;
export const EMAIL_MAX = 128;
/** Conduit lists are offset-paged; a page holds at most this many. */
export const PAGE_MAX = 100;
/** The `favorited` filter looks at this many of the user's latest favorites. */
export const FAVORITES_SCAN_MAX = 1000;
/** An article's comment list (Conduit has no paging) stops after this many, newest first. */
export const COMMENTS_MAX = 500;

/** A Conduit error: its HTTP status and Conduit's field-keyed body. Thrown only by the Conduit layer. */
export class ConduitError extends Error {
  constructor(
    readonly status: number,
    readonly errors: Record<string, string[]>,
  ) {
    super(Object.entries(errors).map(([k, v]) => `${k} ${v.join(', ')}`).join('; '));
    this.name = 'ConduitError';
  }
}

export const invalid = (field: string, message: string) => new ConduitError(422, { [field]: [message] });
export const BLANK = "can't be blank";
export const TAKEN = 'has already been taken';

/**
 * Users who never chose a Conduit username (they signed up through the Webook API) go by
 * `user-<id>`: stable, unique, and reserved: nobody else may choose a name of that shape.
 */
export const derivedUsername = (uid: number) => `user-${uid}`;

export function uidOfDerived(username: string): number | undefined {
  const match = /^user-([1-9][0-9]{0,15})$/i.exec(username);
  const uid = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(uid) ? uid : undefined;
}

/** Usernames compare case-insensitively (and full-width = half-width): "Ada" and "ada" are one name. */
export const usernameKey = (username: string) => username.normalize('NFKC').toLowerCase();

const USERNAME_PATTERN = /^[\p{L}\p{N}_.-]+$/u;

/** Why a username cannot be taken by uid, or null when it can. */
export function usernameProblem(username: string, uid: number | undefined): string | null {
  if (username.trim() === '') return BLANK;
  // The key too: NFKC may lengthen a name ("ﬃ" is "ffi"), and both columns hold USERNAME_MAX.
  if (Array.from(username).length > USERNAME_MAX || Array.from(usernameKey(username)).length > USERNAME_MAX) {
    return `is too long (maximum is ${USERNAME_MAX} characters)`;
  }
  if (!USERNAME_PATTERN.test(username)) return 'may only contain letters, digits, _ . and -';
  // "." and ".." would be path segments a browser or HTTP client resolves away in /profiles/<name>.
  if (!/[\p{L}\p{N}]/u.test(username)) return 'must contain a letter or a digit';
  const derived = uidOfDerived(username);
  if (derived !== undefined && derived !== uid) return 'is reserved';
  return null;
}

/** Email, as Webook takes it: something@something.tld, at most EMAIL_MAX characters. */
export function emailProblem(email: string): string | null {
  if (email.trim() === '') return BLANK;
  if (email.length > EMAIL_MAX || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return 'is invalid';
  return null;
}

/** Webook's password rule (user.schemas.ts): Conduit accounts are Webook accounts. */
export function passwordProblem(password: string): string | null {
  if (password === '') return BLANK;
  if (password.length < 8 || password.length > 128 || !/^(?=.*[A-Za-z])(?=.*\d)(?=.*[^A-Za-z\d]).+$/.test(password)) {
    return 'must be 8 to 128 characters with a letter, a digit and a special character';
  }
  return null;
}

/** An avatar is shown by every client in an <img>: only http(s) URLs, never javascript: or data:. */
export function imageProblem(image: string): string | null {
  if (image.length > IMAGE_MAX) return `is too long (maximum is ${IMAGE_MAX} characters)`;
  return /^https?:\/\/[^\s]+$/i.test(image) ? null : 'must be an http(s) URL';
}

/** Lower-cased letters and digits of the title joined by "-", at most 64 characters; "article" when none. */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (Array.from(next).length > 64) break;
    slug = next;
  }
  return slug || 'article';
}

/**
 * An article's slug: its title slugified, then its id in base 36. The id makes it unique
 * without a lookup; the title part follows the title (RealWorld: the slug changes with it).
 */
export const slugOf = (title: string, id: number) => `${slugify(title)}-${id.toString(36)}`;

/** The id a slug names (its last segment), or undefined; the caller still compares the whole slug. */
export function idOfSlug(slug: string): number | undefined {
  const suffix = /-([0-9a-z]{1,11})$/.exec(slug)?.[1];
  const id = suffix ? parseInt(suffix, 36) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export const isoTime = (ms: number) => new Date(ms).toISOString();

export interface ConduitProfile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}
