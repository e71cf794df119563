import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SmsRequestDao } from './sms-request.dao.js';
import { SmsError, type SmsArg, type SmsProvider } from './sms.js';

/**
 * What operators watch: each vendor's answers by outcome and how long they took (a vendor
 * going bad shows as timeouts and rising latency before failover hides it from users),
 * and how many requests wait in the async queue or were given up.
 */
export function installSmsMetrics(registry: Registry, queue: SmsRequestDao): (provider: SmsProvider) => SmsProvider {
  const sends = new Counter({
    name: 'webook_sms_provider_sends_total',
    help: 'Sends handed to an SMS vendor, by provider and outcome (ok, timeout, unavailable, rate_limited, rejected, error)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'webook_sms_provider_seconds',
    help: 'Time an SMS vendor took to answer',
    labelNames: ['provider'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'webook_sms_queue_requests',
    help: 'SMS requests in the async queue, by status (pending, failed)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await queue.countByStatus();
      this.set({ status: 'pending' }, counts.pending);
      this.set({ status: 'failed' }, counts.failed);
    },
  });
  return (provider) => ({
    name: provider.name,
    async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
      const stop = seconds.startTimer({ provider: provider.name });
      try {
        await provider.send(templateId, args, ...numbers);
        sends.inc({ provider: provider.name, outcome: 'ok' });
      } catch (err) {
        sends.inc({ provider: provider.name, outcome: err instanceof SmsError ? err.failure : 'error' });
        throw err;
      } finally {
        stop();
      }
    },
  });
}
