import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogSms } from '../../src/modules/sms/providers/log.sms.js';
import { createLogger } from '../../src/pkg/logger/logger.js';

describe('log provider (development only)', () => {
  it('when a message is sent, then the template, numbers and code are in the log, marked development only', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    await new LogSms(createLogger('info', sink)).send('login_code', [{ name: 'code', value: '654321' }], '+8613800000000');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/DEVELOPMENT ONLY/);
    expect(lines[0]!.sms).toEqual({ templateId: 'login_code', numbers: ['+8613800000000'], args: { code: '654321' } });
  });
});
