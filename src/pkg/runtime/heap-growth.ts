import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what its last full collection left alive
 * before it starts the next one: to (1 + percent / 100) times that; 0 leaves V8's own
 * choice. Go's collector has the same knob (GOGC, 100 by default).
 *
 * Why the server sets it: V8 picks the factor from the share of time that goes to
 * collecting, and a server at 70% of its peak spends little there, so V8 lets the heap
 * grow only about a tenth. The embedded server keeps its whole cache in the heap (about
 * 90 MB live on the benchmark's data set), so a tenth is a few seconds of garbage: under
 * the article page's load a full collection came every four to five seconds, each holding
 * the main thread some 30 ms out of 60, and every one left a queue that set the p99. At
 * 100 they came about once a minute (docs/benchmarks.md, 2026-11-29, read batches as
 * columns). The price is memory: the heap may reach about twice what is alive.
 *
 * V8 reads the flag at every full collection, so setting it once the process runs works;
 * it applies to the whole process, worker threads included.
 */
export function setHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.trunc(percent)}`);
}
