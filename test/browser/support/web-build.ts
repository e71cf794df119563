import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

/**
 * `npm test` on a fresh clone has no web/dist, and after an edit of web/src the build is
 * stale: either way the browser tests would test something else than the source. Build
 * when the newest source file is newer than the build.
 */
export function ensureWebBuild(): 'fresh' | 'built' {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newestMtime(path.join(webDir, p)));
  const built = existsSync(distIndex) ? statSync(distIndex).mtimeMs : 0;
  if (built >= Math.max(...sources)) return 'fresh';
  // A process of its own: vitest sets NODE_ENV=test, which would give React's development build.
  execFileSync(process.execPath, [path.join(packageRoot(), 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(webDir, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: packageRoot(),
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return 'built';
}
