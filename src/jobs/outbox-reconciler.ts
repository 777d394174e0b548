import type { MikroORM } from '@mikro-orm/postgresql';
import { numberParameters, runPrepared } from '../db/prepared';
import type { PlainStatement } from '../db/insert-entities';
import type { Logger } from 'pino';
import { OutboxMessage, outboxKeyOf } from './outbox-message.entity';
import type { QueueSet } from './queue-set';
import { rowJobsOf } from './relayed-together';

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
 * Jobs are idempotent, so one that was merely slow costs nothing twice. A job the relay made for
 * many rows (found under its first row's id) settles all of them; a row whose own id Redis does
 * not know and whose job was not found so is added again alone.
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
    // A job for many rows has its first row's id: the rows of one relay batch in id order.
    { orderBy: { relayedAt: 'asc', id: 'asc' }, limit: 500 },
  );
  const result: Reconciliation = { requeued: 0, settled: 0 };
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.jobId)) continue;
    const queue = queues.get(row.queue);
    const state = await queue.getJobState(row.jobId);
    if (state === 'unknown') {
      await queue.add(row.jobName, row.payload, { jobId: row.jobId });
      result.requeued++;
      continue;
    }
    const job = await queue.getJob(row.jobId);
    const found = { queueName: row.queue, jobId: row.jobId, jobName: job?.name ?? row.jobName, data: (job?.data as Record<string, unknown> | undefined) ?? row.payload };
    const rowJobs = rowJobsOf(found);
    for (const each of rowJobs) seen.add(each.jobId);
    if (state === 'failed') {
      // runSafely leaves BullMQ an error's type and code only.
      await onFailed(found, job?.failedReason || 'failed for good');
      result.settled++;
    }
    if (state === 'completed') {
      await markOutboxDone(orm, rowJobs.map((each) => each.jobId));
      result.settled++;
    }
  }
  if (result.requeued > 0) logger.warn({ requeued: result.requeued }, 'jobs that Redis lost were queued again');
  return result;
}

/**
 * The statement marking the outbox rows of jobs whose effect it commits with, or that committed
 * it; other jobs' ids are ignored. Null when no id is a row's.
 */
export function outboxDoneStatement(jobIds: (string | undefined)[]): PlainStatement | null {
  const jobKeys = jobIds.map(outboxKeyOf).filter((jobKey) => jobKey !== null);
  if (jobKeys.length === 0) return null;
  return { sql: 'update outbox_message set done_at = now() where job_key = any(?::uuid[]) and done_at is null', params: [jobKeys] };
}

/** Marks the outbox rows of jobs whose effect is committed (one statement); other jobs' ids are ignored. */
export async function markOutboxDone(orm: MikroORM, jobIds: (string | undefined)[]): Promise<void> {
  const statement = outboxDoneStatement(jobIds);
  // Plain: the worker marks every job it runs, a thousand keys a statement at times.
  if (statement) await runPrepared(orm.em.fork(), numberParameters(statement.sql), statement.params);
}
