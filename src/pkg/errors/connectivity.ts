const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'SQLITE_BUSY',
  '57P01', // postgres: admin shutdown
  '57P03', // postgres: cannot connect now
]);

/**
 * True when an error means a backing server (database, cache) is unreachable or
 * overloaded rather than our code being wrong: the client gets a 503, ops get a P0.
 */
export function isConnectivityError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if ((err as { errcode?: unknown }).errcode === 5) return true; // node:sqlite SQLITE_BUSY
  if (err.name === 'MaxRetriesPerRequestError') return true; // ioredis gave up
  if (/Connection is closed|Stream isn't writeable|Command timed out|connect ETIMEDOUT|Connection terminated/i.test(err.message)) {
    return true;
  }
  return err.cause !== undefined && err.cause !== err && isConnectivityError(err.cause);
}
