import { UnrecoverableError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { IngestService } from './ingest.service';

const ingest = new IngestService();

/** Imports one stored inbound message; the log line says what came of it, by ids only. */
export async function importInbound(job: Job, context: JobContext): Promise<{ status: string }> {
  const { inboxMessageId } = job.data as JobPayloads['inbound-messages']['message.received'];
  const outcome = await ingest.importMessage(context.orm.em.fork(), inboxMessageId);
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
