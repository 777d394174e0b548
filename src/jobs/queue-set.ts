import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { queueNames, type QueueName } from './queues';

/**
 * Completed jobs are kept for a week so that re-adding the same job id (a relay that died before
 * marking its rows) is recognised and ignored; failed jobs are kept for a month for inspection.
 */
export const defaultJobOptions: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** How often a failing job is tried, and the first wait between tries (it doubles each time). */
export interface RetryPolicy {
  JOB_ATTEMPTS: number;
  JOB_BACKOFF_MS: number;
}

/** One BullMQ Queue per queue name, sharing one connection and prefix. */
export class QueueSet {
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    connection: Redis,
    readonly prefix: string,
    logger: Logger,
    retry?: RetryPolicy,
  ) {
    const jobOptions: DefaultJobOptions = retry
      ? { ...defaultJobOptions, attempts: retry.JOB_ATTEMPTS, backoff: { type: 'exponential', delay: retry.JOB_BACKOFF_MS } }
      : defaultJobOptions;
    this.queues = new Map(
      queueNames.map((name) => {
        const queue = new Queue(name, { connection, prefix, defaultJobOptions: jobOptions });
        // Without a listener BullMQ prints connection errors to the console; they belong in the log.
        queue.on('error', (error) => logger.error({ err: error, queue: name }, 'queue error'));
        return [name, queue];
      }),
    );
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Unknown queue ${name}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}
