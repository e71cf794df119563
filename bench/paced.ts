import { connect, type Socket } from 'node:net';

export interface PacedResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  bad: number;
}

type Request = { path: string; headers: Record<string, string> };

/** Seconds at the full rate sent before the counted ones (see paced). */
export const PACED_WARMUP_SECONDS = 2;

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
  const warmup = Math.round(opts.rate * (opts.warmupSeconds ?? PACED_WARMUP_SECONDS));
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

/** Where every connection's socket reads land (net's `onread`): one buffer, no Buffer per read. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const CONTENT_LENGTH = 'content-length:';

/** Whether the head holds `content-length:` at `at`, in any case. */
function isContentLength(head: Buffer, at: number): boolean {
  for (let k = 0; k < CONTENT_LENGTH.length; k++) if ((head[at + k]! | 0x20) !== CONTENT_LENGTH.charCodeAt(k)) return false;
  return true;
}

/** The Content-Length of the response head that ends at `end`, or -1 if it has none. */
function contentLength(head: Buffer, end: number): number {
  for (let line = head.indexOf(10) + 1; line > 0 && line < end; line = head.indexOf(10, line) + 1) {
    if (!isContentLength(head, line)) continue;
    let i = line + CONTENT_LENGTH.length;
    while (head[i] === 32) i++;
    let n = 0;
    for (let c = head[i]!; c >= 48 && c <= 57; c = head[++i]!) n = n * 10 + (c - 48);
    return n;
  }
  return -1;
}

/**
 * A keep-alive connection that reads one response at a time, by its Content-Length. Reads
 * go into the shared buffer (net's `onread`), which is only copied when a response's head
 * is split across reads: the client shares the machine's two cores with the server, and a
 * Buffer and a 'data' event per read cost it more than the parsing.
 */
function open(port: number, host: string, onResponse: (conn: Connection, status: number) => void): Promise<Connection> {
  return new Promise((resolve, reject) => {
    let head: Buffer | undefined; // the start of a head split across reads
    let bodyLeft = -1; // bytes of body still to come; -1 while reading a head
    let status = 0;
    let warm: (() => void) | undefined;
    const responded = () => {
      if (warm) {
        const w = warm;
        warm = undefined;
        w();
      } else onResponse(conn, status);
    };
    const onRead = (nread: number, buffer: Buffer): boolean => {
      let data = buffer.subarray(0, nread);
      for (;;) {
        if (bodyLeft < 0) {
          if (head) data = Buffer.concat([head, data]);
          head = undefined;
          const end = data.indexOf(HEADER_END);
          if (end < 0) {
            head = Buffer.from(data); // copied: the shared buffer is refilled by the next read
            return true;
          }
          status = (data[9]! - 48) * 100 + (data[10]! - 48) * 10 + (data[11]! - 48);
          bodyLeft = contentLength(data, end);
          if (bodyLeft < 0) {
            socket.destroy(); // no length: unreadable here; 'close' counts it as bad
            return false;
          }
          data = data.subarray(end + HEADER_END.length);
        }
        if (data.length < bodyLeft) {
          bodyLeft -= data.length;
          return true;
        }
        data = data.subarray(bodyLeft);
        bodyLeft = -1;
        responded();
        if (data.length === 0) return true;
      }
    };
    const socket = connect({ port, host, noDelay: true, onread: { buffer: READ_BUFFER, callback: onRead } });
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
