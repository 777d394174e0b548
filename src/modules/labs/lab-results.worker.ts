import type { Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { LabImportService } from './lab-import.service';

type ReceivedPayload = JobPayloads['lab-results']['oru.received'];

const importer = new LabImportService();

/**
 * The `lab-results` queue: imports each stored ORU^R01. The import is idempotent (a processed
 * message is skipped), so a redelivered job changes nothing twice.
 */
export async function labResultsProcessor(job: Job, { orm, logger }: JobContext): Promise<{ status: string }> {
  if (job.name !== 'oru.received') throw new Error(`Unknown lab-results job ${job.name}`);
  const { inboxMessageId } = job.data as ReceivedPayload;
  const result = await importer.import(orm.em.fork(), inboxMessageId);
  logger.info({ jobId: job.id, inboxMessageId, status: result.status }, 'lab message processed');
  return { status: result.status };
}
