import type { FastifyInstance } from 'fastify';

// Taken when this module loads: a test's fake timers must not hold back real responses.
const afterPoll = globalThis.setImmediate;

/**
 * Responses go out together, once the event loop has read every socket that was ready,
 * rather than each one written in the middle of reading the others. Redis does the same
 * for its clients (replies are written in `beforeSleep`, just before it polls again).
 *
 * Why: a response written while the loop still has requests to read lets the client send
 * its next request at once, so the next poll finds one or two sockets ready instead of
 * dozens, and every request pays for a poll and a wake-up of its own. Deferring the
 * writes to the loop's check phase (setImmediate) makes the polls and the writes come in
 * batches. Measured on the embedded profile route under load: 20-40% more requests per
 * second, each with about a third less server CPU (docs/benchmarks.md). The cost is one
 * turn of the loop on every response: microseconds.
 *
 * Routes whose work waits on a round trip (Redis, a database) already finish in batches,
 * one per answer, and gain nothing; they lose nothing either.
 */
export function installWriteBatching(app: FastifyInstance): void {
  let queued: (() => void)[] = [];
  const writeAll = () => {
    const batch = queued;
    queued = [];
    for (const write of batch) {
      try {
        write();
      } catch (err) {
        // One failed write must not hold back the others' responses.
        app.log.error({ err, severity: 'P1' }, 'response write failed');
      }
    }
  };
  app.addHook('onSend', (_request, _reply, payload, done) => {
    if (queued.length === 0) afterPoll(writeAll);
    queued.push(() => done(null, payload));
  });
}
