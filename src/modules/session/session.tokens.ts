import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

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

/** Short hash of the User-Agent header: tokens are bound to the agent that logged in. */
export function userAgentHash(userAgent: string | undefined): string {
  return createHash('sha256').update(userAgent ?? '').digest('base64url').slice(0, 22);
}

export const newTokenId = (): string => randomUUID();

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/**
 * HS256 JWTs with separate secrets for access and refresh tokens, so one can never
 * stand in for the other. Times come from the injected clock.
 */
export class TokenSigner {
  private readonly accessKey: Uint8Array;
  private readonly refreshKey: Uint8Array;

  constructor(
    secrets: { access: string; refresh: string },
    private readonly ttl: { accessSeconds: number; refreshSeconds: number },
    private readonly now: () => number,
  ) {
    this.accessKey = new TextEncoder().encode(secrets.access);
    this.refreshKey = new TextEncoder().encode(secrets.refresh);
  }

  signAccess(claims: AccessClaims): Promise<string> {
    return this.sign({ uid: claims.uid, ssid: claims.ssid, uah: claims.uah }, this.accessKey, this.ttl.accessSeconds);
  }

  signRefresh(claims: RefreshClaims): Promise<string> {
    const { uid, ssid, uah, jti } = claims;
    return this.sign({ uid, ssid, uah }, this.refreshKey, this.ttl.refreshSeconds, jti);
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    return this.verify(token, this.accessKey);
  }

  async verifyRefresh(token: string): Promise<RefreshClaims> {
    const claims = await this.verify(token, this.refreshKey);
    if (typeof claims.jti !== 'string') throw new InvalidTokenError('refresh token without id');
    return claims as RefreshClaims;
  }

  private async sign(payload: AccessClaims, key: Uint8Array, ttlSeconds: number, jti?: string): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const jwt = new SignJWT({ ...payload }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).setExpirationTime(iat + ttlSeconds);
    if (jti) jwt.setJti(jti);
    return jwt.sign(key);
  }

  private async verify(token: string, key: Uint8Array): Promise<AccessClaims & { jti?: string }> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'iat'],
      });
      const { uid, ssid, uah, jti } = payload as Record<string, unknown>;
      if (typeof uid !== 'number' || typeof ssid !== 'string' || typeof uah !== 'string') {
        throw new InvalidTokenError('token claims malformed');
      }
      return { uid, ssid, uah, ...(typeof jti === 'string' ? { jti } : {}) };
    } catch (err) {
      if (err instanceof InvalidTokenError || err instanceof joseErrors.JOSEError) throw new InvalidTokenError((err as Error).message);
      throw err;
    }
  }
}
