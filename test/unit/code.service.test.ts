import { describe, expect, it } from 'vitest';
import { MemoryCodeStore } from '../../src/modules/code/code.memory-store.js';
import { CodeService, newCode } from '../../src/modules/code/code.service.js';
import type { CodeStore } from '../../src/modules/code/code.store.js';
import { SmsError, type SmsArg, type SmsService } from '../../src/modules/sms/sms.js';
import { AppError } from '../../src/pkg/errors/app-error.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import { createLogger } from '../../src/pkg/logger/logger.js';

const failing = (err: Error): SmsService => ({ send: async () => Promise.reject(err) });

function serviceWith(store: CodeStore, sms: SmsService, logged: object[] = []) {
  const logger = createLogger('info', { write: (line: string) => void logged.push(JSON.parse(line) as object) });
  return new CodeService({ store, sms, clock: new ManualClock(), logger, templateId: 'login_code' });
}

describe('one-time codes', () => {
  it('when many codes are drawn, then each is six digits and leading zeros occur', () => {
    const codes = Array.from({ length: 5000 }, newCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(4900);
  });

  it('when the SMS goes out, then it carries the stored code and the template', async () => {
    const sent: { templateId: string; args: SmsArg[]; numbers: string[] }[] = [];
    const store = new MemoryCodeStore();
    const codes = serviceWith(store, { send: async (templateId, args, ...numbers) => void sent.push({ templateId, args, numbers }) });
    await codes.send('login', '13800138000');
    expect(sent).toEqual([{ templateId: 'login_code', args: [{ name: 'code', value: expect.stringMatching(/^\d{6}$/) }], numbers: ['13800138000'] }]);
    await expect(codes.verify('login', '13800138000', sent[0]!.args[0]!.value)).resolves.toBeUndefined();
  });

  it('when the store cannot forget an unsent code, then the caller still gets the SMS error and the failure is logged P1', async () => {
    const memory = new MemoryCodeStore();
    const store: CodeStore = {
      set: (k, c, n) => memory.set(k, c, n),
      verify: (k, c, n) => memory.verify(k, c, n),
      discard: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    };
    const logged: object[] = [];
    const codes = serviceWith(store, failing(new SmsError('timeout', 'vendor slow')), logged);
    const err = await codes.send('login', '13800138000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(502002);
    expect(logged).toContainEqual(expect.objectContaining({ severity: 'P1', msg: 'could not discard an unsent code' }));
  });

  it('when the SMS service fails with an error that is not an SmsError, then it is still a 503 and the code is discarded', async () => {
    const store = new MemoryCodeStore();
    const codes = serviceWith(store, failing(new Error('socket hang up')));
    await expect(codes.send('login', '13800138000')).rejects.toMatchObject({ code: 502002, status: 503 });
    expect(await store.set('login:13800138000', '123456', new ManualClock().now())).toBe('stored');
  });
});
