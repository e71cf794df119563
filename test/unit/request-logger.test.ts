import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { LazyRequestLogger } from '../../src/pkg/logger/request-logger.js';

function capture(level: 'warn' | 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const root = createLogger(level, stream);
  return { root, lines };
}

describe('LazyRequestLogger (a request logger built on its first line)', () => {
  it('when a line is below the level, then nothing is written and no pino child is built', () => {
    const { root, lines } = capture('warn');
    const child = vi.spyOn(root, 'child');
    const log = new LazyRequestLogger(root, { traceId: 't-1' }, {});
    log.info({ a: 1 }, 'dropped');
    log.debug('dropped too');
    expect(lines).toEqual([]);
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('warn');
  });

  it('when a line is at the level, then it carries the bindings, and the child is built once', () => {
    const { root, lines } = capture('warn');
    const child = vi.spyOn(root, 'child');
    const log = new LazyRequestLogger(root, { traceId: 't-2' }, {});
    log.warn({ code: 401104 }, 'first');
    log.error('second');
    expect(lines.map((l) => [l.traceId, l.msg])).toEqual([
      ['t-2', 'first'],
      ['t-2', 'second'],
    ]);
    expect(lines[0]).toMatchObject({ code: 401104, service: 'webook' });
    expect(child).toHaveBeenCalledTimes(1);
  });

  it('when the password is logged, then the root logger still redacts it', () => {
    const { root, lines } = capture('info');
    new LazyRequestLogger(root, { traceId: 't-3' }, {}).info({ password: 'secret', email: 'a@b.c' }, 'login');
    expect(lines[0]).toMatchObject({ traceId: 't-3', email: 'a@b.c' });
    expect(lines[0]).not.toHaveProperty('password');
  });

  it("when a child of it logs, then the line has both loggers' bindings; a level set on it applies", () => {
    const { root, lines } = capture('warn');
    const log = new LazyRequestLogger(root, { traceId: 't-4' }, {});
    log.child({ job: 'ranking' }).warn('from the child');
    log.level = 'info';
    log.info('now shown');
    expect(lines.map((l) => [l.traceId, l.job, l.msg])).toEqual([
      ['t-4', 'ranking', 'from the child'],
      ['t-4', undefined, 'now shown'],
    ]);
    expect(root.level).toBe('warn');
  });
});
