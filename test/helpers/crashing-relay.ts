import 'reflect-metadata';
import { loadConfig } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { OutboxRelay } from '../../src/jobs/outbox-relay';
import { QueueSet } from '../../src/jobs/queue-set';
import { createRedis } from '../../src/jobs/redis';
import { createLogger } from '../../src/logger';

/**
 * A relay process that dies (SIGKILL, no clean-up) right after adding its jobs to Redis and
 * before marking the outbox rows: the worst moment for a relay to crash.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await initOrm(config);
  const redis = createRedis(config.REDIS_URL, 'client');
  const relay = new OutboxRelay(orm, new QueueSet(redis, config.QUEUE_PREFIX, createLogger('silent')), createLogger('silent'), {
    batchSize: 100,
    pollIntervalMs: 1000,
    afterEnqueue: (messages) => {
      process.stdout.write(`enqueued ${messages.map((message) => message.jobId).join(',')}\n`, () => process.kill(process.pid, 'SIGKILL'));
      return new Promise(() => undefined);
    },
  });
  await relay.relayOnce();
}

void main();
