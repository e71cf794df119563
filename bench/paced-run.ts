import { readFileSync } from 'node:fs';
import { paced } from './paced.js';

/**
 * Runs `paced` in a process of its own and prints its result as JSON: the open-loop client
 * must not share an event loop with whatever the benchmark did before (seeding, autocannon),
 * whose garbage and timers would show up as server latency.
 * Usage: paced-run.ts <base-url> <requests.json> <rate> <seconds> <connections>
 */
const [base, file, rate, seconds, connections] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(file!, 'utf8')) as { path: string; headers: Record<string, string> }[];
const result = await paced(base!, requests, { rate: Number(rate), seconds: Number(seconds), connections: Number(connections) });
process.stdout.write(`${JSON.stringify(result)}\n`);
