import type { Clock } from '../../pkg/clock/clock.js';
import type { Logger } from '../../pkg/logger/logger.js';
import type { Redis } from 'ioredis';
import type { SmsService } from '../sms/sms.js';
import { MemoryCodeStore } from './code.memory-store.js';
import { RedisCodeStore } from './code.redis-store.js';
import { CodeService } from './code.service.js';
import type { CodeStore } from './code.store.js';

export interface CodeModuleDeps {
  store: CodeStore;
  sms: SmsService;
  clock: Clock;
  logger: Logger;
  templateId: string;
}

/** What other modules may use of codes: the service (send, verify). */
export function createCodeModule(deps: CodeModuleDeps) {
  return { service: new CodeService(deps) };
}

export type CodeModule = ReturnType<typeof createCodeModule>;

/** The Redis store (Lua scripts) when the process has a Redis connection, else the embedded one. */
export function codeStoreFor(redis: Redis | undefined): CodeStore {
  return redis ? new RedisCodeStore(redis) : new MemoryCodeStore();
}
