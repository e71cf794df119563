import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../src/pkg/http/static-site.js';

/**
 * `npm run dev`: the API server (tsx watch, restarts on change) and the Vite dev server
 * (hot reload; forwards API paths to the server, see web/vite.config.ts) side by side.
 * Open the address Vite prints (http://127.0.0.1:5173). Ctrl+C stops both.
 */
const children: ChildProcess[] = [];

const root = packageRoot();
const bin = (pkg: string, file: string) => path.join(root, 'node_modules', pkg, file);

function start(name: string, args: string[]) {
  // Node directly (not `npm run`, whose shell would not pass a stop on), in a process group
  // of its own so that stopping reaches the grandchildren too (tsx watch runs the server as one).
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env, detached: true });
  const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[${name}] `);
  child.stdout!.on('data', (d: Buffer) => process.stdout.write(prefix(d)));
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(prefix(d)));
  child.on('exit', (code) => {
    console.log(`[${name}] exited (${code ?? 'signal'}); stopping the other one`);
    stop(code ?? 1);
  });
  children.push(child);
}

let stopping = false;
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
start('api', [bin('tsx', 'dist/cli.mjs'), 'watch', 'src/main.ts']);
start('web', [bin('vite', 'bin/vite.js'), '--config', 'web/vite.config.ts']);
