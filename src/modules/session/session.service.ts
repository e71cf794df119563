import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import type { SessionCache } from './session.cache.js';
import type { SessionDao } from './session.dao.js';
import { SessionCodes } from './session.errors.js';
import { InvalidTokenError, newTokenId, userAgentHash, type AccessClaims, type TokenSigner } from './session.tokens.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

export interface SessionTtl {
  accessMs: number;
  refreshMs: number;
}

/**
 * Login sessions: a short access token and a rotating refresh token, both naming one
 * session (ssid). The session row is the truth; the cache answers the per-request
 * "still alive?" question. Logout and a replayed refresh token end the session for
 * both tokens at once.
 */
export class SessionService {
  constructor(
    private readonly dao: SessionDao,
    private readonly cache: SessionCache,
    private readonly signer: TokenSigner,
    private readonly clock: Clock,
    private readonly ttl: SessionTtl,
  ) {}

  /** Starts a session for a user who just proved who they are. */
  async start(uid: number, userAgent: string | undefined): Promise<IssuedTokens> {
    const now = this.clock.now();
    const claims = { uid, ssid: newTokenId(), uah: userAgentHash(userAgent) };
    const jti = newTokenId();
    await this.dao.insert({ ...claims, refreshJti: jti, uaHash: claims.uah, expiresAt: now + this.ttl.refreshMs }, now);
    await this.cache.set(claims.ssid, 'active', this.ttl.accessMs); // after commit
    return this.issue(claims, jti);
  }

  /** The per-request check: a valid access token, from the same agent, of a live session. */
  async authenticate(accessToken: string, userAgent: string | undefined): Promise<AccessClaims> {
    const claims = this.verified(() => this.signer.verifyAccess(accessToken), userAgent);
    if (!(await this.isActive(claims.ssid))) throw new AppError(SessionCodes.sessionEnded);
    return claims;
  }

  /**
   * `authenticate` when its answer is a yes held in this process (a valid token of a
   * session this process knows is alive); undefined for anything else, which only
   * `authenticate` may answer (a round trip, or an error to throw).
   */
  authenticateHeld(accessToken: string, userAgent: string | undefined): AccessClaims | undefined {
    let claims: AccessClaims;
    try {
      claims = this.verified(() => this.signer.verifyAccess(accessToken), userAgent);
    } catch {
      return undefined;
    }
    return this.cache.held(claims.ssid) === 'active' ? claims : undefined;
  }

  /**
   * A fresh access token for a session `authenticate` just found alive (same user, session
   * and agent), for clients that have no refresh token (the Conduit API). It cannot outlive
   * the session: a logout or the session's expiry ends it like any other.
   */
  renewAccess(claims: AccessClaims): string {
    return this.signer.signAccess({ uid: claims.uid, ssid: claims.ssid, uah: claims.uah });
  }

  /** Swaps a refresh token for a new pair; the old refresh token is dead from now on. */
  async refresh(refreshToken: string, userAgent: string | undefined): Promise<IssuedTokens> {
    const claims = this.verified(() => this.signer.verifyRefresh(refreshToken), userAgent);
    const now = this.clock.now();
    const nextJti = newTokenId();
    if (await this.dao.rotate(claims.ssid, claims.jti, nextJti, now, now + this.ttl.refreshMs)) {
      return this.issue(claims, nextJti);
    }
    const row = await this.dao.find(claims.ssid);
    if (row && !row.revoked && row.expiresAt > now) {
      // A live session whose current refresh id is another one: this token was already
      // used. Revoke, and let the error (severity P2) reach the log with its trace id.
      await this.end(claims.ssid);
      throw new AppError(SessionCodes.refreshReused);
    }
    throw new AppError(SessionCodes.sessionEnded);
  }

  /** Logout: both tokens of the session stop working on every instance at once. */
  async end(ssid: string): Promise<void> {
    await this.dao.revoke(ssid, this.clock.now());
    await this.cache.set(ssid, 'revoked', this.ttl.accessMs);
  }

  private issue(claims: AccessClaims, jti: string): IssuedTokens {
    return { accessToken: this.signer.signAccess(claims), refreshToken: this.signer.signRefresh({ ...claims, jti }) };
  }

  private verified<T extends AccessClaims>(verify: () => T, userAgent: string | undefined): T {
    let claims: T;
    try {
      claims = verify();
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new AppError(SessionCodes.badToken);
      throw err;
    }
    if (claims.uah !== userAgentHash(userAgent)) throw new AppError(SessionCodes.badToken);
    return claims;
  }

  private async isActive(ssid: string): Promise<boolean> {
    const cached = await this.cache.get(ssid);
    if (cached) return cached === 'active';
    const now = this.clock.now();
    const row = await this.dao.find(ssid);
    const active = row !== undefined && !row.revoked && row.expiresAt > now;
    // Fill only if absent: a revocation written meanwhile by another instance must win.
    await this.cache.fill(ssid, active ? 'active' : 'revoked', active ? Math.min(this.ttl.accessMs, row.expiresAt - now) : this.ttl.accessMs);
    return active;
  }
}
