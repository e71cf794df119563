import { createHash, randomUUID } from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { LRUCache } from 'lru-cache';

/** What an access token proves: this user, in this session, from this user agent. */
export interface AccessClaims {
  uid: number;
  ssid: string;
  uah: string;
}

/** A refresh token also names its own id, which rotation replaces on every use. */
export interface RefreshClaims extends AccessClaims {
  jti: string;
}

const uaHashes = new LRUCache<string, string>({ max: 10_000 });

/**
 * Short hash of the User-Agent header: tokens are bound to the agent that logged in.
 * Remembered per agent string: a few agents send nearly every request.
 */
export function userAgentHash(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  let hash = uaHashes.get(ua);
  if (hash === undefined) {
    hash = createHash('sha256').update(ua).digest('base64url').slice(0, 22);
    if (ua.length <= 512) uaHashes.set(ua, hash);
  }
  return hash;
}

export const newTokenId = (): string => randomUUID();

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

type Sign = (payload: Record<string, unknown>) => string;
type Verify = (token: string) => Record<string, unknown>;

/**
 * HS256 JWTs (fast-jwt: synchronous HMAC on node:crypto, which matters on the hot path;
 * WebCrypto-based verifiers hop to the thread pool for every request). Access and refresh
 * tokens use different secrets, so one can never stand in for the other. Time comes from
 * the injected clock: `iat` is set from it, and `exp` is checked against it here rather
 * than by the library, which only knows the system clock.
 */
export class TokenSigner {
  private readonly signAccessJwt: Sign;
  private readonly signRefreshJwt: Sign;
  private readonly verifyAccessJwt: Verify;
  private readonly verifyRefreshJwt: Verify;
  /**
   * Access tokens already proven genuine, by their full text: a client sends the same
   * token for up to 30 minutes, so most requests skip the decode and HMAC. Only tokens
   * that passed verification get in; expiry is still checked on every use.
   */
  private readonly verifiedAccess = new LRUCache<string, Record<string, unknown>>({ max: 10_000 });

  constructor(
    secrets: { access: string; refresh: string },
    ttl: { accessSeconds: number; refreshSeconds: number },
    private readonly now: () => number,
  ) {
    const signer = (key: string, seconds: number) => createSigner({ key, algorithm: 'HS256', expiresIn: seconds * 1000 }) as Sign;
    const verifier = (key: string) =>
      createVerifier({ key, algorithms: ['HS256'], ignoreExpiration: true, requiredClaims: ['exp', 'iat'] }) as Verify;
    this.signAccessJwt = signer(secrets.access, ttl.accessSeconds);
    this.signRefreshJwt = signer(secrets.refresh, ttl.refreshSeconds);
    this.verifyAccessJwt = verifier(secrets.access);
    this.verifyRefreshJwt = verifier(secrets.refresh);
  }

  signAccess(claims: AccessClaims): string {
    return this.signAccessJwt({ uid: claims.uid, ssid: claims.ssid, uah: claims.uah, iat: this.iat() });
  }

  signRefresh(claims: RefreshClaims): string {
    const { uid, ssid, uah, jti } = claims;
    return this.signRefreshJwt({ uid, ssid, uah, jti, iat: this.iat() });
  }

  verifyAccess(token: string): AccessClaims {
    const { uid, ssid, uah } = this.verify(token, this.verifyAccessJwt, this.verifiedAccess);
    return { uid, ssid, uah };
  }

  verifyRefresh(token: string): RefreshClaims {
    const claims = this.verify(token, this.verifyRefreshJwt);
    if (typeof claims.jti !== 'string') throw new InvalidTokenError('refresh token without id');
    return claims as RefreshClaims;
  }

  private iat(): number {
    return Math.floor(this.now() / 1000);
  }

  private verify(token: string, verify: Verify, memo?: LRUCache<string, Record<string, unknown>>): AccessClaims & { jti?: unknown } {
    let payload = memo?.get(token);
    if (!payload) {
      try {
        payload = verify(token);
      } catch (err) {
        if (err instanceof TokenError) throw new InvalidTokenError(err.message);
        throw err;
      }
      memo?.set(token, payload);
    }
    const { uid, ssid, uah, exp } = payload;
    if (typeof exp !== 'number' || exp * 1000 <= this.now()) throw new InvalidTokenError('token expired');
    if (typeof uid !== 'number' || typeof ssid !== 'string' || typeof uah !== 'string') {
      throw new InvalidTokenError('token claims malformed');
    }
    return payload as unknown as AccessClaims & { jti?: unknown };
  }
}
