import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';

/** Everything the server writes on a socket until it closes it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** The HTTP/1.1 responses in `raw`, in order: status, headers (lower-cased names) and body. */
function responses(raw: string): Array<{ status: number; headers: Record<string, string>; body: string }> {
  const out = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    out.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

describe('a request that arrives while the server shuts down', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' });
  });
  afterAll(async () => t.close());

  it('when the server closes with a request in flight on a keep-alive connection, then that one is answered and the next gets a 503 in the envelope with Connection: close', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answered = readAll(socket);

    // The first request is in flight while the server starts closing: its body is not all sent.
    const body = JSON.stringify({ email: 'not-an-email', password: 'x', confirmPassword: 'x' });
    socket.write(`POST /users/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = t.app.close();
    socket.write(`${body.slice(5)}GET /users/profile HTTP/1.1\r\nHost: x\r\n\r\n`);

    const [first, second, ...more] = responses(await answered);
    await closed;
    expect(first?.status).toBe(400); // answered as usual: it came before the close
    expect(JSON.parse(first!.body).code).toBe(400001);
    expect(second?.status).toBe(503);
    expect(second?.headers.connection).toBe('close');
    expect(second?.headers['retry-after']).toBe('1');
    expect(JSON.parse(second!.body)).toEqual({ code: 500003, msg: 'this server is shutting down: try again, another instance will answer', data: null });
    expect(more).toEqual([]);
    expect(t.logs.some((l) => l.code === 500003)).toBe(true);
  });
});
