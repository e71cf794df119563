import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../../src/pkg/http/static-site.js';

export const webDir = path.join(packageRoot(), 'web');
export const distIndex = path.join(webDir, 'dist', 'index.html');

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function isFresh(): boolean {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'dev-proxy.ts'].map((p) => newestMtime(path.join(webDir, p)));
  const built = existsSync(distIndex) ? statSync(distIndex).mtimeMs : 0;
  return built >= Math.max(...sources);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Browser test files run in parallel processes: one builds, the others wait for it (a directory is the lock). */
function withBuildLock(build: () => void): void {
  const lock = path.join(tmpdir(), `webook-web-build-${createHash('sha1').update(webDir).digest('hex').slice(0, 12)}`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000) rmSync(lock, { recursive: true, force: true }); // left by a killed run
      sleep(200);
    }
  }
  try {
    if (!isFresh()) build(); // another process may have built it while we waited
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * `npm test` on a fresh clone has no web/dist, and after an edit of web/src the build is
 * stale: either way the browser tests would test something else than the source. Build
 * when the newest source file is newer than the build.
 */
export function ensureWebBuild(): 'fresh' | 'built' {
  if (isFresh()) return 'fresh';
  withBuildLock(() => {
    // A process of its own: vitest sets NODE_ENV=test, which would give React's development build.
    const vite = path.join(packageRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
    execFileSync(process.execPath, [vite, 'build', '--config', path.join(webDir, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: packageRoot(),
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  });
  return 'built';
}
