import { UnrecoverableError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { everyProgramsOnCall } from '../labs/critical-alert.service';
import { formatOf } from './formats';
import { InboxMessage, InboxState } from './inbox-message.entity';
import { IngestService } from './ingest.service';

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
    subjectType: 'InboxMessage',
    subjectId: message.id,
    sourceKey: `critical.awaiting-match/${message.id}`,
  });
}

/** Imports one stored inbound message; the log line says what came of it, by ids only. */
export async function importInbound(job: Job, context: JobContext): Promise<{ status: string }> {
  const { inboxMessageId } = job.data as JobPayloads['inbound-messages']['message.received'];
  const outcome = await ingest.importMessage(context.orm.em.fork(), inboxMessageId);
  // Also after a rerun that finds the message held: the first run may have died before telling anyone.
  if (outcome.status === 'HELD' || (outcome.status === 'SKIPPED' && outcome.state === InboxState.HELD)) {
    await tellOfHeldCriticalResult(context, inboxMessageId);
  }
  context.logger.info({ jobId: job.id, inboxMessageId, status: outcome.status }, 'inbound message processed');
  return { status: outcome.status };
}

/** The `inbound-messages` queue: every format's stored messages, imported one job each (a redelivery changes nothing). */
export async function inboundMessagesProcessor(job: Job, context: JobContext): Promise<{ status: string }> {
  switch (job.name) {
    case 'message.received':
      return importInbound(job, context);
    default:
      throw new UnrecoverableError(`Unknown inbound-messages job ${job.name}`);
  }
}
