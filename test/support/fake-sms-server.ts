import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake vendor does with the next request, once its signature and parameters check out. */
export type VendorMode = 'ok' | 'timeout' | 'error' | 'http500' | 'rate_limit' | 'reject';

export interface VendorReply {
  status: number;
  body: unknown;
}

/**
 * The shared shell of the fake vendor servers: node:http on 127.0.0.1, port 0. The vendor
 * part (`handle`) checks a request and says how to answer; the shell applies the queued
 * mode (`failNext`), holds `timeout` requests until close, and records every request.
 */
export abstract class FakeVendorServer {
  /** Every request that passed the vendor's checks. */
  readonly accepted: Record<string, unknown>[] = [];
  /** Why requests were refused (bad signature, missing parameter...). */
  readonly refused: string[] = [];
  private server: Server | undefined;
  private modes: VendorMode[] = [];

  failNext(...modes: VendorMode[]): this {
    this.modes.push(...modes);
    return this;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    // A bug in a fake answers 500 (and fails the test's expectations) rather than crashing the run.
    this.server = createServer((req, res) => void this.serve(req, res).catch(() => send(res, { status: 500, body: 'fake vendor failed' })));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Checks the request as the vendor would: a refusal reply, or the parsed parameters. */
  protected abstract check(req: IncomingMessage, body: string): VendorReply | Record<string, unknown>;
  /** The vendor's answer for a mode, given the accepted parameters. */
  protected abstract reply(mode: Exclude<VendorMode, 'timeout' | 'http500'>, params: Record<string, unknown>): VendorReply;

  protected refuse(reason: string, reply: VendorReply): VendorReply {
    this.refused.push(reason);
    return reply;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const checked = this.check(req, Buffer.concat(chunks).toString('utf8'));
    if (isReply(checked)) return send(res, checked);
    const mode = this.modes.shift() ?? 'ok';
    if (mode === 'timeout') return; // held until close(): the client's deadline must fire
    if (mode === 'http500') return send(res, { status: 500, body: 'upstream exploded' });
    if (mode === 'ok') this.accepted.push(checked);
    send(res, this.reply(mode, checked));
  }
}

const isReply = (v: VendorReply | Record<string, unknown>): v is VendorReply => typeof (v as VendorReply).status === 'number' && 'body' in v;

function send(res: ServerResponse, reply: VendorReply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' }).end(text);
}
