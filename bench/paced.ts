import { connect, type Socket } from 'node:net';

export interface PacedResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  bad: number;
}

type Request = { path: string; headers: Record<string, string> };

/**
 * Open-loop load: requests are sent at a fixed rate whatever the server does, and each
 * latency is counted from the moment the request was due, not from when a free
 * connection sent it, so a stalled server shows as latency instead of hiding as a lower
 * rate (coordinated omission). autocannon's rate mode does not do this.
 *
 * The client is HTTP/1.1 keep-alive over plain sockets, with every request encoded once
 * up front and responses read by Content-Length (Webook and hello-world always send one;
 * anything else counts as a bad response and closes the connection). On a 2-core machine
 * the load generator shares the cores with the server: an HTTP client library (undici)
 * spent several times more CPU per request than this, and at 70% of the peak the two
 * together saturated the machine, so the run measured the client's queueing.
 */
export async function paced(base: string, requests: Request[], opts: { rate: number; seconds: number; connections: number; warmupSeconds?: number }): Promise<PacedResult> {
  const url = new URL(base);
  const encoded = requests.map((r) => encodeRequest(url.host, r));
  // The first seconds at the full rate are not counted: the client's own code is still
  // being compiled then, and its pauses would read as the server's latency.
  const warmup = Math.round(opts.rate * (opts.warmupSeconds ?? 2));
  const total = warmup + Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let bad = 0;
  let done = 0;
  /** Due times of requests that found every connection busy, oldest first. */
  const waiting: number[] = [];
  let waitingHead = 0;
  let next = 0; // index of the next request to send, in due order
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const complete = (conn: Connection, status: number) => {
    if (conn.counted) {
      if (status >= 200 && status < 400) latencies.push(performance.now() - conn.due);
      else bad++;
    }
    conn.due = -1;
    if (++done === total) finish();
    else if (conn.socket.destroyed) {
      // A lost connection: what waits for it can never be sent.
      if (--alive === 0) (bad += total - done, finish());
    } else if (waitingHead < waiting.length) send(conn, waiting[waitingHead++]!);
    else idle.push(conn);
  };
  const send = (conn: Connection, due: number) => {
    conn.due = due;
    conn.counted = next >= warmup;
    const request = encoded[next++ % encoded.length]!;
    if (conn.socket.destroyed) complete(conn, 0); // closed while idle
    else conn.socket.write(request);
  };
  const conns = await Promise.all(Array.from({ length: opts.connections }, () => open(Number(url.port), url.hostname, complete)));
  // Warm each connection once; its set-up is not the server's latency.
  await Promise.all(conns.map((c) => c.roundTrip(encoded[0]!)));
  const idle: Connection[] = [...conns];
  let alive = conns.length;

  const start = performance.now();
  let scheduled = 0;
  const dueAt = (i: number) => start + (i * 1000) / opts.rate;
  const tick = () => {
    // Everything that has fallen due goes now; a request is never sent early.
    const now = performance.now();
    for (; scheduled < total && dueAt(scheduled) <= now; scheduled++) {
      const conn = idle.pop();
      if (conn) send(conn, dueAt(scheduled));
      else waiting.push(dueAt(scheduled));
    }
    if (scheduled < total) setTimeout(tick, 1);
  };
  tick();
  await finished;
  const elapsed = (performance.now() - (start + (warmup * 1000) / opts.rate)) / 1000;
  for (const c of conns) c.socket.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]! * 10) / 10;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), max: at(1), bad };
}

function encodeRequest(host: string, r: Request): Buffer {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(`GET ${r.path} HTTP/1.1\r\nhost: ${host}\r\n${headers}\r\n`, 'latin1');
}

interface Connection {
  socket: Socket;
  /** When the request in flight was due (ms, performance.now); -1 for a connection's first round trip. */
  due: number;
  /** Whether that request is past the warm-up. */
  counted: boolean;
  roundTrip(request: Buffer): Promise<void>;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** A keep-alive connection that reads one response at a time, by its Content-Length. */
function open(port: number, host: string, onResponse: (conn: Connection, status: number) => void): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, noDelay: true });
    let pending = Buffer.alloc(0);
    let bodyLeft = -1; // bytes of body still to come; -1 while reading headers
    let status = 0;
    let warm: (() => void) | undefined;
    const conn: Connection = {
      socket,
      due: -1,
      counted: false,
      roundTrip: (request) =>
        new Promise<void>((r) => {
          warm = r;
          socket.write(request);
        }),
    };
    const responded = () => {
      if (warm) {
        const w = warm;
        warm = undefined;
        w();
      } else onResponse(conn, status);
    };
    socket.on('data', (chunk: Buffer) => {
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (bodyLeft < 0) {
          const end = data.indexOf(HEADER_END);
          if (end < 0) break;
          const head = data.toString('latin1', 0, end);
          status = Number(head.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (!length) {
            socket.destroy(); // no length: unreadable here; 'close' counts it as bad
            return;
          }
          bodyLeft = Number(length[1]);
          data = data.subarray(end + HEADER_END.length);
        }
        if (data.length < bodyLeft) {
          bodyLeft -= data.length;
          data = data.subarray(data.length);
          break;
        }
        data = data.subarray(bodyLeft);
        bodyLeft = -1;
        responded();
      }
      pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
    });
    socket.once('connect', () => resolve(conn));
    socket.on('error', reject); // before connecting: no connection; after: 'close' follows
    socket.once('close', () => {
      if (conn.due >= 0) {
        status = 0;
        responded();
      }
    });
  });
}
