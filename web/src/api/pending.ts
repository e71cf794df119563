import { authFetch } from './auth-fetch';
import { ApiError, statusMessage } from './client';
import { saveTokens, tokensFrom } from './tokens';

/**
 * Routes the API contract promises but the OpenAPI document may not list yet (SMS login,
 * the hot list). Typed here by hand from the contract; once the server serves them, run
 * `npm run gen:api` and move each call to the typed client in client.ts.
 */
const NO_SUCH_ROUTE = 400004;

export interface Author {
  id: number;
  name: string;
}

export interface HotArticle {
  id: number;
  title: string;
  author?: Author;
  abstract?: string;
  likeCnt?: number;
  readCnt?: number;
  collectCnt?: number;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ data: T; response: Response }> {
  let response: Response;
  try {
    const init: RequestInit = { method };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (body !== undefined) init.headers = { 'content-type': 'application/json' };
    response = await authFetch(new Request(new URL(path, window.location.origin), init));
  } catch {
    throw new ApiError(0, 0, statusMessage(0));
  }
  const envelope = (await response.json().catch(() => null)) as { code?: number; msg?: string; data?: unknown } | null;
  if (response.ok && envelope?.code === 0) return { data: envelope.data as T, response };
  const fields = (envelope?.data as { fields?: Record<string, string> } | null)?.fields ?? {};
  throw new ApiError(response.status, envelope?.code ?? 0, envelope?.msg ?? statusMessage(response.status), fields);
}

/** True when the server does not have the route at all (an older server): the screen hides the feature. */
export const isMissingRoute = (err: unknown) => err instanceof ApiError && err.status === 404 && err.code === NO_SUCH_ROUTE;

/** The hot list; null when this server has no ranking yet. */
export async function hotList(limit = 10): Promise<HotArticle[] | null> {
  try {
    return (await call<HotArticle[]>('GET', `/articles/ranking?limit=${limit}`)).data;
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

export const sendSmsCode = (phone: string) => call<null>('POST', '/users/login_sms/code/send', { phone });

/** Logs in (creating the account on first use); the tokens come back as headers. */
export async function loginBySms(phone: string, code: string): Promise<void> {
  const { response } = await call<null>('POST', '/users/login_sms', { phone, code });
  const tokens = tokensFrom(response);
  if (!tokens) throw new ApiError(500, 0, statusMessage(500));
  saveTokens(tokens);
}
