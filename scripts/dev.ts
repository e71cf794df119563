import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `npm run dev`: the API server (tsx watch, restarts on change) and the Vite dev server
 * (hot reload; forwards API paths to the server, see web/vite.config.ts) side by side.
 * Open the address Vite prints (http://127.0.0.1:5173). Ctrl+C stops both.
 */
const children: ChildProcess[] = [];

function start(name: string, args: string[]) {
  const child = spawn('npm', ['run', '--silent', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
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
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
start('api', ['dev:server']);
start('web', ['dev:web']);
