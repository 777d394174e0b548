import 'reflect-metadata';
import { loadConfig } from './config';
import { initOrm } from './db/orm';
import { QueueSet } from './jobs/queue-set';
import { createRedis, watchEvictionPolicy } from './jobs/redis';
import { startWorkerRuntime } from './jobs/worker-runtime';
import { createLogger } from './logger';
import { exitOnUncaughtErrors, onTermination } from './shutdown';

/** The worker process: the outbox relay and one BullMQ worker per queue. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'worker' });
  exitOnUncaughtErrors(logger);
  // The relay adds jobs inside a database transaction: on its own client connection, a Redis
  // outage fails the add (and rolls back) instead of blocking forever with rows locked.
  const queueConnection = createRedis(config.REDIS_URL, 'client');
  await watchEvictionPolicy(queueConnection, config.isProduction, logger);
  const connection = createRedis(config.REDIS_URL, 'worker');
  const orm = await initOrm(config);
  const queues = new QueueSet(queueConnection, config.QUEUE_PREFIX, logger, config);
  const runtime = startWorkerRuntime({ config, orm, workerConnection: connection, queues, logger });
  logger.info({ queues: runtime.workers.map((worker) => worker.name), emailNotifications: config.NOTIFY_EMAIL_SMTP_URL !== undefined }, 'worker started');

  onTermination(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
    await runtime.stop();
    await queues.close();
    await orm.close();
    await queueConnection.quit();
    await connection.quit();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`CareBridge worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
