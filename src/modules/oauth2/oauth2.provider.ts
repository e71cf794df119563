import { AppError } from '../../pkg/errors/app-error.js';
import { OAuthCodes } from './oauth2.errors.js';

export type ProviderName = 'wechat' | 'github';

/** Who the provider says the user is: `subject` is its stable id for them. */
export interface OAuthIdentity {
  subject: string;
}

/** One OAuth2 authorization-code provider (the seed's wechat service, generalised). */
export interface OAuthProvider {
  readonly name: ProviderName;
  /** Where the browser goes to approve; `state` comes back with the code. */
  authorizeUrl(state: string): string;
  /** Exchanges the code the browser brought back for the user's identity. */
  identify(code: string): Promise<OAuthIdentity>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * One call to a provider, as JSON. Unreachable, slow, a 5xx or an answer that is not JSON
 * are all "provider unavailable" (503, P1): none of them is the user's fault.
 */
export async function callProvider(url: string, init: RequestInit, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new AppError(OAuthCodes.providerUnavailable, { cause: err });
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500) throw new AppError(OAuthCodes.providerUnavailable, { cause: new Error(`${url}: HTTP ${res.status}`) });
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a JSON object');
    return { status: res.status, body: body as Record<string, unknown> };
  } catch (err) {
    throw new AppError(OAuthCodes.providerUnavailable, { cause: new Error(`${url}: HTTP ${res.status}, unreadable answer`, { cause: err }) });
  }
}

/** A non-empty string or number field of a provider's answer, as a string. */
export function idField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (typeof value === 'string' && value.length > 0 && value.length <= 128) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}
