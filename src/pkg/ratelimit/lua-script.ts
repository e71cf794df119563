import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';

/**
 * A Lua script run by EVALSHA, and sent whole with EVAL when Redis has lost it (restarted,
 * or SCRIPT FLUSH). `args` are EVAL's after the script: numkeys, the keys, then ARGV; the
 * keys get the connection's key prefix. The command is written straight to the connection
 * (no auto-pipelining), so a limiter's batching does not depend on how the shared client
 * is configured.
 */
export function luaScript(source: string): (redis: Redis, args: (string | number)[]) => Promise<unknown[]> {
  const sha = createHash('sha1').update(source).digest('hex');
  const send = (redis: Redis, name: 'evalsha' | 'eval', args: (string | number)[]) => {
    const command = new Command(name, args, { keyPrefix: redis.options.keyPrefix ?? '' });
    void redis.sendCommand(command);
    return command.promise as Promise<unknown[]>;
  };
  return (redis, args) =>
    send(redis, 'evalsha', [sha, ...args]).catch((err: Error) => {
      if (!String(err.message).includes('NOSCRIPT')) throw err;
      return send(redis, 'eval', [source, ...args]);
    });
}
