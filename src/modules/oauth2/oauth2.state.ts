import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../pkg/clock/clock.js';

/** 16 random bytes, base64url: what every state looks like (the callback's schema checks it). */
export const STATE_PATTERN = '^[A-Za-z0-9_-]{22}$';

const TTL_MS = 10 * 60_000;

export interface StateCookieOptions {
  /** The key the cookie is signed with (derived from a server secret, never sent anywhere). */
  key: Buffer;
  clock: Clock;
  /** Secure cookies (HTTPS only) in production. */
  secure: boolean;
}

const cookieName = (provider: string) => `webook_oauth_${provider}`;

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The OAuth2 `state`, bound to the browser that asked for the authorize URL (CSRF on the
 * callback: an attacker's code cannot be planted in someone else's browser). The cookie
 * holds the state, its expiry and an HMAC of both with the provider's name; the server
 * keeps nothing. SameSite=Lax still sends it on the provider's top-level redirect back.
 */
export class StateCookies {
  constructor(private readonly opts: StateCookieOptions) {}

  private mac(provider: string, state: string, expiresAt: number): string {
    return createHmac('sha256', this.opts.key).update(`${provider}.${state}.${expiresAt}`).digest('base64url');
  }

  private attributes(provider: string, maxAgeSeconds: number): string {
    return `Path=/oauth2/${provider}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${this.opts.secure ? '; Secure' : ''}`;
  }

  /** A fresh state and the Set-Cookie header that binds it to this browser for 10 minutes. */
  issue(provider: string): { state: string; setCookie: string } {
    const state = randomBytes(16).toString('base64url');
    const expiresAt = this.opts.clock.now() + TTL_MS;
    const value = `${state}.${expiresAt}.${this.mac(provider, state, expiresAt)}`;
    return { state, setCookie: `${cookieName(provider)}=${value}; ${this.attributes(provider, TTL_MS / 1000)}` };
  }

  /** True when the browser's cookie is ours, unexpired, and carries this very state. */
  check(provider: string, cookieHeader: string | undefined, state: string): boolean {
    const parts = readCookie(cookieHeader, cookieName(provider))?.split('.');
    if (parts?.length !== 3) return false;
    const [cookieState, expires, mac] = parts as [string, string, string];
    const expiresAt = Number(expires);
    if (!/^\d{13,15}$/.test(expires) || expiresAt <= this.opts.clock.now()) return false;
    return same(mac, this.mac(provider, cookieState, expiresAt)) && same(cookieState, state);
  }

  /** The Set-Cookie header that removes the cookie (a state serves one callback). */
  clear(provider: string): string {
    return `${cookieName(provider)}=; ${this.attributes(provider, 0)}`;
  }
}
