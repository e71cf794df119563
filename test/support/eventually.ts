/**
 * Retries `check` every 10 ms until it passes or `ms` go by, then throws its last error.
 * For effects that cross a process boundary (pub/sub), quick but not instantaneous.
 */
export async function eventually(check: () => Promise<void> | void, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
