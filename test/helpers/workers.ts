import type { Logger } from 'pino';
import { createRedis } from '../../src/jobs/redis';
import { startWorkerRuntime } from '../../src/jobs/worker-runtime';
import { createLogger } from '../../src/logger';
import type { Harness } from './harness';

/**
 * The real worker process's runtime (relay and BullMQ workers) on the harness's database and
 * queues; silent unless given a logger (`h.logger` to assert on its lines).
 */
export function startTestWorkers(h: Harness, logger: Logger = createLogger('silent')): { stop(): Promise<void> } {
  const workerConnection = createRedis(h.config.REDIS_URL, 'worker');
  const runtime = startWorkerRuntime({ config: h.config, orm: h.orm, workerConnection, queues: h.queues, logger });
  return {
    async stop() {
      await runtime.stop();
      await workerConnection.quit();
    },
  };
}

/** Polls `probe` until `done` holds or the time is up; returns the last value, for the test to assert on. */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
