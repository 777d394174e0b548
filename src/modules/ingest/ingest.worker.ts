import { UnrecoverableError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { everyProgramsOnCall } from '../labs/critical-alert.service';
import { formatOf } from './formats';
import { InboxMessage, InboxState } from './inbox-message.entity';
import { IngestService, type BatchResult } from './ingest.service';
import { RetryLaterError } from '../../jobs/retry-later';
import { Batcher } from '../../db/batcher';
import type { MikroORM } from '@mikro-orm/postgresql';
import { NotificationSubject } from '../notifications/notification-subject';
import { markOutboxDone } from '../../jobs/outbox-reconciler';
import { rowJobsOf } from '../../jobs/relayed-together';

const ingest = new IngestService();

/**
 * A critical result in a message waiting for patient review reaches a person all the same: the
 * on-call staff are told a critical result awaits a match (the notice names the message, nothing
 * of its content). Keyed by the message, so a rerun tells them once.
 */
async function tellOfHeldCriticalResult(context: JobContext, inboxMessageId: string): Promise<void> {
  const em = context.orm.em.fork();
  const message = await em.findOneOrFail(InboxMessage, { id: inboxMessageId });
  if (message.state !== InboxState.HELD || !formatOf(message.source).carriesCriticalResult?.(message)) return;
  await context.notifier.notifyUsers(em, await everyProgramsOnCall(em), {
    kind: 'critical.awaiting-match',
    subjectType: NotificationSubject.INBOX_MESSAGE,
    subjectId: message.id,
    sourceKey: `critical.awaiting-match/${message.id}`,
  });
}

/** The import of one message, as a job (or the part of a job that stands for it) asks for it. */
interface QueuedImport {
  inboxMessageId: string;
  /** The job id of the message's outbox row: marked done in the import's transaction. */
  jobId: string;
}

/**
 * The import jobs a worker process runs, gathered into batches imported in one transaction each
 * (`IngestService.importMessages`; see `Batcher`), two batches at a time: one's statements run
 * while the other's records are built. One set of batches per worker runtime's database.
 */
const batchesOf = new WeakMap<MikroORM, Batcher<QueuedImport, BatchResult>>();

function importBatches(orm: MikroORM): Batcher<QueuedImport, BatchResult> {
  let batches = batchesOf.get(orm);
  if (!batches) {
    batches = new Batcher(
      async (queued) => {
        const jobIds = new Map<string, string[]>();
        for (const { inboxMessageId, jobId } of queued) jobIds.set(inboxMessageId, [...(jobIds.get(inboxMessageId) ?? []), jobId]);
        const results = await ingest.importMessages(orm.em.fork(), [...jobIds.keys()], jobIds);
        return queued.map(({ inboxMessageId }) => results.get(inboxMessageId)!);
      },
      { maxBatch: 100, maxRunning: 4 },
    );
    batchesOf.set(orm, batches);
  }
  return batches;
}

/**
 * How many import jobs one worker slot runs at once: they wait for their batch, not for a
 * connection. A job carries up to `importsPerJob` messages, so this bounds what a process holds in
 * flight (with WORKER_CONCURRENCY 4, 400 messages): few enough to finish within the shutdown budget.
 */
export const importJobsPerSlot = 2;

/** Imports one stored inbound message (in a batch with others); the log line says what came of it, by ids only. */
export async function importInbound(job: Job, context: JobContext): Promise<{ status: string }> {
  const { inboxMessageId } = job.data as JobPayloads['inbound-messages']['message.received'];
  return { status: await importStored(job, context, { inboxMessageId, jobId: job.id ?? '' }) };
}

/**
 * Imports the messages of a job the relay made for many (`relayed-together.ts`), each as its own
 * job would. When some cannot be imported now (their patient's imports run elsewhere) or failed,
 * the rows of the others are marked done at once and the job is run again: later, without using
 * an attempt, while any message only waits (so a failing message never uses up the retries of
 * those waiting), else as a retry. Messages imported meanwhile are skipped, and a final failure
 * fails only the messages that failed.
 */
async function importInboundMany(job: Job, context: JobContext): Promise<{ statuses: string[] }> {
  const rows = rowJobsOf({ jobId: job.id ?? '', jobName: job.name, data: job.data as Record<string, unknown> });
  const settled = await Promise.allSettled(rows.map((row) => importStored(job, context, { inboxMessageId: row.data.inboxMessageId as string, jobId: row.jobId })));
  const unfinished = settled.filter((result) => result.status === 'rejected');
  if (unfinished.length === 0) return { statuses: settled.map((result) => (result as PromiseFulfilledResult<string>).value) };
  const imported = rows.filter((row, index) => settled[index].status === 'fulfilled' && !context.outboxRowsDone.has(row.jobId));
  await markOutboxDone(context.orm, imported.map((row) => row.jobId));
  const failure = unfinished.find((result) => result.reason instanceof RetryLaterError) ?? unfinished[0];
  throw failure.reason;
}

/** Imports one stored message of `job` and tells what came of it. */
async function importStored(job: Job, context: JobContext, queued: QueuedImport): Promise<string> {
  const { inboxMessageId } = queued;
  const batched = await importBatches(context.orm).add(queued);
  if (batched.outboxDone) context.outboxRowsDone.add(queued.jobId);
  // A format that imports one message at a time does so in this job's own transaction, not holding up the batch.
  const outcome = batched.status === 'IMPORT_ALONE' ? await ingest.importMessage(context.orm.em.fork(), inboxMessageId) : batched;
  if (outcome.status === 'RETRY_LATER') throw new RetryLaterError('Another import of the same patient is running');
  // Also after a rerun that finds the message held: the first run may have died before telling anyone.
  if (outcome.status === 'HELD' || (outcome.status === 'SKIPPED' && outcome.state === InboxState.HELD)) {
    await tellOfHeldCriticalResult(context, inboxMessageId);
  }
  context.logger.info({ jobId: job.id, inboxMessageId, status: outcome.status }, 'inbound message processed');
  return outcome.status;
}

/** The `inbound-messages` queue: every format's stored messages, imported one or many a job (a redelivery changes nothing). */
export async function inboundMessagesProcessor(job: Job, context: JobContext): Promise<{ status: string } | { statuses: string[] }> {
  switch (job.name) {
    case 'message.received':
      return importInbound(job, context);
    case 'messages.received':
      return importInboundMany(job, context);
    default:
      throw new UnrecoverableError(`Unknown inbound-messages job ${job.name}`);
  }
}
