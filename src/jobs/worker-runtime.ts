import { Worker, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { safeError } from '../logger';
import { roiConsentProcessor } from '../modules/consent/roi-consent.worker';
import { labResultsProcessor } from '../modules/labs/lab-results.worker';
import { notificationsProcessor } from '../modules/notifications/notifications.worker';
import { Notifier } from '../modules/notifications/notify';
import { OutboxRelay, type RelayOptions } from './outbox-relay';
import type { QueueSet } from './queue-set';
import type { QueueName } from './queues';

export interface JobContext {
  orm: MikroORM;
  logger: Logger;
  /** For jobs that schedule follow-up jobs of their own (keyed, so idempotent). */
  queues: QueueSet;
  config: Pick<Config, 'CRITICAL_ALERT_ESCALATION_SECONDS' | 'CONSENT_REMINDER_HOURS'>;
  /** Adds notifications. */
  notifier: Notifier;
}

export type Processor = (job: Job, context: JobContext) => Promise<unknown>;

/** What every processor is given. */
export function createJobContext(deps: Omit<JobContext, 'notifier'>): JobContext {
  return { ...deps, notifier: new Notifier() };
}

/** The queues this worker serves and the processor of each (one `*.worker.ts` per queue). */
export const processors: Partial<Record<QueueName, Processor>> = {
  notifications: notificationsProcessor,
  'lab-results': labResultsProcessor,
  'roi-consent': roiConsentProcessor,
};

export interface WorkerRuntimeDependencies {
  config: Pick<
    Config,
    'WORKER_CONCURRENCY' | 'OUTBOX_BATCH_SIZE' | 'OUTBOX_POLL_INTERVAL_MS' | 'CRITICAL_ALERT_ESCALATION_SECONDS' | 'CONSENT_REMINDER_HOURS' | 'CONSENT_SWEEP_SECONDS'
  >;
  orm: MikroORM;
  /** A connection with `maxRetriesPerRequest: null`, for the workers' blocking commands. */
  workerConnection: Redis;
  queues: QueueSet;
  logger: Logger;
  relayHooks?: Pick<RelayOptions, 'afterEnqueue'>;
}

export interface WorkerRuntime {
  relay: OutboxRelay;
  workers: Worker[];
  /** Stops taking work, lets running jobs finish, then returns. Connections stay the caller's. */
  stop(): Promise<void>;
}

/**
 * BullMQ keeps a failed job's error message in Redis (and shows it on dashboards); database
 * errors quote the values of the failed statement. The job fails with the error's type and code
 * only; the log keeps the frames.
 */
async function runSafely(processor: Processor, job: Job, context: JobContext): Promise<unknown> {
  try {
    return await processor(job, context);
  } catch (error) {
    context.logger.error({ err: error, jobId: job.id, jobName: job.name }, 'job failed');
    const { type, code } = safeError(error) as { type: string; code?: string | number };
    throw new Error(code === undefined ? type : `${type} (${code})`);
  }
}

/** The worker process's bootstrap, shared by src/worker.ts and the tests. */
export function startWorkerRuntime(deps: WorkerRuntimeDependencies): WorkerRuntime {
  const { config, orm, workerConnection, queues, logger } = deps;
  const context = createJobContext({ orm, logger, queues, config });
  const relay = new OutboxRelay(orm, queues, logger.child({ component: 'outbox-relay' }), {
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    ...deps.relayHooks,
  });
  const workers = Object.entries(processors).map(([queueName, processor]) => {
    const jobLogger = logger.child({ queue: queueName });
    const worker = new Worker(queueName, (job) => runSafely(processor, job, { ...context, logger: jobLogger }), {
      connection: workerConnection,
      prefix: queues.prefix,
      concurrency: config.WORKER_CONCURRENCY,
    });
    worker.on('failed', (job, error) => {
      jobLogger.warn({ jobId: job?.id, jobName: job?.name, attempts: job?.attemptsMade, err: error }, 'job failed');
    });
    worker.on('error', (error) => jobLogger.error({ err: error }, 'worker error'));
    return worker;
  });
  relay.start();
  // One schedule per queue prefix, however many workers run: BullMQ keys it by id.
  const scheduled = queues
    .get('roi-consent')
    .upsertJobScheduler('consent-sweep', { every: config.CONSENT_SWEEP_SECONDS * 1000 }, { name: 'consent.sweep', data: {} })
    .catch((error: unknown) => logger.error({ err: error }, 'could not schedule the consent sweep'));
  return {
    relay,
    workers,
    async stop() {
      await scheduled;
      await relay.stop();
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
