import { SmsError, type SmsArg, type SmsFailure, type SmsProvider } from '../../src/modules/sms/sms.js';

export interface SentSms {
  provider: string;
  templateId: string;
  args: SmsArg[];
  numbers: string[];
}

/** What the fake does with one send: accept it, fail it the given way, or never answer. */
export type FakeBehaviour = 'ok' | SmsFailure | 'hang';

/**
 * An in-memory SMS vendor for tests. Records every accepted send (and every attempt),
 * and can be told to fail: `failNext(...)` queues behaviours for the next sends,
 * `behave(b)` sets what happens once the queue is empty. `hang` never settles until
 * `release()`, to hold sends in flight.
 */
export class FakeSmsProvider implements SmsProvider {
  readonly sent: SentSms[] = [];
  attempts = 0;
  private queued: FakeBehaviour[] = [];
  private fallback: FakeBehaviour = 'ok';
  private hanging: (() => void)[] = [];

  constructor(readonly name = 'fake') {}

  failNext(...behaviours: FakeBehaviour[]): this {
    this.queued.push(...behaviours);
    return this;
  }

  behave(behaviour: FakeBehaviour): this {
    this.fallback = behaviour;
    return this;
  }

  /** Lets every hanging send finish as a timeout. */
  release(): void {
    for (const settle of this.hanging.splice(0)) settle();
  }

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    this.attempts++;
    // As the vendor clients do: no recipient is the message's own fault.
    if (numbers.length === 0) throw new SmsError('rejected', 'no recipient', this.name);
    const behaviour = this.queued.shift() ?? this.fallback;
    if (behaviour === 'hang') {
      await new Promise<void>((resolve) => this.hanging.push(resolve));
      throw new SmsError('timeout', 'fake vendor held the request until released', this.name);
    }
    if (behaviour !== 'ok') throw new SmsError(behaviour, `fake vendor says ${behaviour}`, this.name);
    this.sent.push({ provider: this.name, templateId, args, numbers });
  }
}
