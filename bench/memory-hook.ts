/**
 * Preloaded into the memory benchmark's servers (`NODE_OPTIONS="--expose-gc --import <this file>"`),
 * so that neither the bot nor the bare Bolt app carries a hook of its own: on SIGUSR2 it runs a
 * full garbage collection and prints the process's memory as one JSON line on stdout,
 * `{"msg":"bench-memory",…}`, next to the server's own log lines. Nothing else changes.
 */
import { getHeapSpaceStatistics } from 'node:v8';

process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: objects freed by the first collection's finalizers go in the second.
  gc?.();
  gc?.();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  // What V8 holds per space (the young generation grows with the allocation rate, code with the JIT).
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  const report = { msg: 'bench-memory', gc: gc !== undefined, rss, heapUsed, heapTotal, external, spaces };
  process.stdout.write(`${JSON.stringify(report)}\n`);
});
