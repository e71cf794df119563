/** Data for the browser tests: two articles, and the login code the development SMS provider logged. */

/** The newest 6-digit code in the server log (the log provider writes `sms.args`). */
export function smsCodeFrom(logs: Record<string, unknown>[]): string {
  for (const line of [...logs].reverse()) {
    const sms = line.sms as { args?: Record<string, string> } | undefined;
    const code = sms?.args && Object.values(sms.args).find((v) => /^\d{6}$/.test(String(v)));
    if (code) return String(code);
  }
  throw new Error('no SMS code in the server log');
}

export const STREAM_ARTICLE = `Streams let Node move data **without holding it all in memory**.

## Why it matters

When the producer is faster than the consumer, buffers grow until the process runs out of memory.

\`\`\`js
readable.pipe(transform).pipe(writable);
\`\`\`

- \`write()\` returns \`false\` when the buffer is full
- wait for \`'drain'\` before writing more

> Respect the return value of write().
`;

export const XSS_ARTICLE = `Visible text before the traps.

<script>window.__xss = 1</script>

<img src="x" onerror="window.__xss = 2">

<iframe src="javascript:window.__xss = 3"></iframe>

[click me](javascript:window.__xss=4)
`;
