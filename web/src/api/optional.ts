import { ApiError, api, unwrap } from './client';
import { saveTokens, tokensFrom } from './tokens';

/**
 * Features a server may be deployed without (SMS login needs an SMS provider; the hot
 * list needs the ranking job). Typed like every other call; a 404 "no such route" means
 * the feature is absent, and the screen says so instead of failing.
 */
const NO_SUCH_ROUTE = 400004;

export const isMissingRoute = (err: unknown) => err instanceof ApiError && err.status === 404 && err.code === NO_SUCH_ROUTE;

/** The hot list, hottest first; null when this server has no ranking. */
export async function hotList(limit = 10) {
  try {
    return await unwrap(api.GET('/articles/ranking', { params: { query: { limit: String(limit) } } }));
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

export type HotArticle = NonNullable<Awaited<ReturnType<typeof hotList>>>[number];

export const sendSmsCode = (phone: string) => unwrap(api.POST('/users/login_sms/code/send', { body: { phone } }));

/** Logs in (creating the account on first use); the tokens come back as headers. */
export async function loginBySms(phone: string, code: string): Promise<void> {
  let response: Response | undefined;
  await unwrap(api.POST('/users/login_sms', { body: { phone, code } }).then((outcome) => ((response = outcome.response), outcome)));
  const tokens = response && tokensFrom(response);
  if (!tokens) throw new ApiError(500, 0, 'The server did not start a session. Please try again.');
  saveTokens(tokens);
}
