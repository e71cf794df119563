import { SmsError } from '../sms.js';

export interface VendorResponse {
  status: number;
  body: unknown;
}

/**
 * One POST to a vendor with a deadline (AbortSignal.timeout). Transport problems become
 * SmsErrors the decorators understand: no answer in time is a `timeout`, a refused or
 * broken connection, a 5xx or an unreadable body is `unavailable`, HTTP 429 is
 * `rate_limited`. Anything else is handed back with its parsed JSON for the vendor's own
 * error codes.
 */
export async function postToVendor(provider: string, url: string, init: { headers: Record<string, string>; body: string }, timeoutMs: number): Promise<VendorResponse> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new SmsError('timeout', `no answer within ${timeoutMs} ms`, provider, { cause: err });
    }
    throw new SmsError('unavailable', 'could not reach the SMS vendor', provider, { cause: err });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    const failure = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unavailable';
    throw new SmsError(failure, 'the SMS vendor answer was cut off', provider, { cause: err });
  }
  if (res.status === 429) throw new SmsError('rate_limited', 'the SMS vendor throttled us (HTTP 429)', provider);
  if (res.status >= 500) throw new SmsError('unavailable', `the SMS vendor answered HTTP ${res.status}`, provider);
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch (err) {
    throw new SmsError('unavailable', `the SMS vendor answered HTTP ${res.status} with a body that is not JSON`, provider, { cause: err });
  }
}

/** A vendor error code -> failure, by exact code first, then by the first matching prefix. */
export function classifyVendorCode(
  code: string,
  table: { exact: Record<string, SmsError['failure']>; prefixes: [string, SmsError['failure']][]; otherwise: SmsError['failure'] },
): SmsError['failure'] {
  return table.exact[code] ?? table.prefixes.find(([p]) => code.startsWith(p))?.[1] ?? table.otherwise;
}

/** Refuses before any network call what no vendor would take (so it is never queued and retried). */
export function assertSendable(provider: string, templateId: string, numbers: string[]): void {
  if (!templateId) throw new SmsError('rejected', 'no template id', provider);
  if (numbers.length === 0 || numbers.some((n) => !n)) throw new SmsError('rejected', 'no recipient, or an empty phone number', provider);
}
