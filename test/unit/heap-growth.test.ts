import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `code` in a fresh Node process (this runtime) with TypeScript loaded; its stdout and stderr together. */
function run(code: string): string {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return child.stdout + child.stderr;
}

describe('heap growth (pkg/runtime/heap-growth.ts)', () => {
  it('when the server sets it, then this runtime knows the V8 flag (an unknown one is only reported, so an upgrade could drop it unseen)', () => {
    const setIt = "const { setHeapGrowth } = await import('./src/pkg/runtime/heap-growth.ts'); setHeapGrowth(100); console.log('set');";
    expect(run(setIt)).toBe('set\n');
    // The same call with a flag V8 does not know does say so: the check above can fail.
    const unknown = "const { setFlagsFromString } = await import('node:v8'); setFlagsFromString('--heap-growing-percentage=100'); console.log('set');";
    expect(run(unknown)).toMatch(/unrecognized flag/);
  });

  it('when it is 0, then nothing is set', () => {
    expect(run("const { setHeapGrowth } = await import('./src/pkg/runtime/heap-growth.ts'); setHeapGrowth(0); console.log('left alone');").trim()).toBe('left alone');
  });
});
