import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { OutboxMessage, outboxKeyOf } from './outbox-message.entity';
import type { QueueSet } from './queue-set';

/** A job that failed for good, as the reconciler found it in Redis. */
export interface FailedJob {
  queueName: string;
  jobId: string;
  jobName: string;
  data: Record<string, unknown>;
}

export interface Reconciliation {
  /** Jobs Redis no longer held (lost with it), added again under their id. */
  requeued: number;
  /** Jobs that had completed, or failed for good, whose rows were not yet marked. */
  settled: number;
}

/**
 * The database is the source of truth for queued work. An outbox row relayed more than
 * `olderThanSeconds` ago and not done is looked up in Redis: a job that is gone (Redis restarted
 * without persistence, evicted) is added again under the same id; one that completed or failed for
 * good while its worker died before marking it is settled (a failure is handed to `onFailed`, which
 * marks the row FAILED).
 * Jobs are idempotent, so one that was merely slow costs nothing twice.
 */
export async function reconcileOutbox(
  orm: MikroORM,
  queues: QueueSet,
  logger: Logger,
  olderThanSeconds: number,
  onFailed: (job: FailedJob, reason: string) => Promise<void>,
): Promise<Reconciliation> {
  const em = orm.em.fork();
  const rows = await em.find(
    OutboxMessage,
    { doneAt: null, relayedAt: { $ne: null, $lt: new Date(Date.now() - olderThanSeconds * 1000) } },
    { orderBy: { relayedAt: 'asc' }, limit: 500 },
  );
  const result: Reconciliation = { requeued: 0, settled: 0 };
  for (const row of rows) {
    const queue = queues.get(row.queue);
    const state = await queue.getJobState(row.jobId);
    if (state === 'unknown') {
      await queue.add(row.jobName, row.payload, { jobId: row.jobId });
      result.requeued++;
      continue;
    }
    if (state === 'failed') {
      await onFailed({ queueName: row.queue, jobId: row.jobId, jobName: row.jobName, data: row.payload }, await failureReasonOf(queue, row.jobId));
      result.settled++;
    }
    if (state === 'completed') {
      await markOutboxDone(orm, [row.jobId]);
      result.settled++;
    }
  }
  if (result.requeued > 0) logger.warn({ requeued: result.requeued }, 'jobs that Redis lost were queued again');
  return result;
}

/** The reason BullMQ kept for a failed job: runSafely stores an error's type and code only. */
async function failureReasonOf(queue: ReturnType<QueueSet['get']>, jobId: string): Promise<string> {
  return (await queue.getJob(jobId))?.failedReason || 'failed for good';
}

/** Marks the outbox rows of jobs whose effect is committed (one statement); other jobs' ids are ignored. */
export async function markOutboxDone(orm: MikroORM, jobIds: (string | undefined)[]): Promise<void> {
  const jobKeys = jobIds.map(outboxKeyOf).filter((jobKey) => jobKey !== null);
  if (jobKeys.length === 0) return;
  await orm.em.fork().nativeUpdate(OutboxMessage, { jobKey: { $in: jobKeys }, doneAt: null }, { doneAt: new Date() });
}
