import { performance } from 'node:perf_hooks';

export interface Stats {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `run` `requests` times, `concurrency` at a time: throughput and latency percentiles (ms). */
export async function measure(requests: number, concurrency: number, run: () => Promise<unknown>): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t0 = performance.now();
        await run();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

export function row(label: string, stats: Stats): string {
  return `${label.padEnd(48)} ${stats.perSecond.toFixed(0).padStart(7)} req/s   p50 ${stats.p50.toFixed(2).padStart(6)} ms   p99 ${stats.p99.toFixed(2).padStart(6)} ms`;
}
