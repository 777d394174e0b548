import type { JobPayloads, QueueName } from './queues';

/** An outbox row as the relay moves it. */
export interface RelayedMessage {
  id: string;
  queue: QueueName;
  jobName: string;
  payload: Record<string, unknown>;
  jobId: string;
}

/** A job for BullMQ: its name, data and id. */
export interface RelayedJob {
  name: string;
  data: Record<string, unknown>;
  opts: { jobId: string };
}

/** The job of one outbox row, or the part of a job relayed for many rows that stands for one. */
export interface RowJob {
  jobId: string;
  jobName: string;
  data: Record<string, unknown>;
}

/**
 * How many stored messages' imports the relay hands over in one BullMQ job. A worker fetches its
 * jobs one Redis round trip at a time, so one job per message caps its imports at the round trip
 * rate; the imports of a job's messages are still batched, marked and failed message by message.
 */
export const importsPerJob = 50;

type ImportsPayload = JobPayloads['inbound-messages']['messages.received'];

const isImport = (row: RelayedMessage) => row.queue === 'inbound-messages' && row.jobName === 'message.received';

/**
 * The jobs for relayed rows: one per row, except that consecutive imports of stored messages go
 * up to `importsPerJob` in one (`messages.received`), whose id is its first row's job id. A relay
 * that dies before marking its rows claims the same rows, in the same order, again: the same jobs,
 * which BullMQ ignores. Should it group them otherwise, a message in two jobs is still imported
 * once (an import checks, under lock, that its message still waits).
 */
export function jobsOf(rows: RelayedMessage[]): RelayedJob[] {
  const jobs: RelayedJob[] = [];
  let imports: RelayedMessage[] = [];
  const flushImports = () => {
    if (imports.length === 1) jobs.push({ name: imports[0].jobName, data: imports[0].payload, opts: { jobId: imports[0].jobId } });
    if (imports.length > 1) {
      const data: ImportsPayload = {
        inboxMessageIds: imports.map((row) => row.payload.inboxMessageId as string),
        jobIds: imports.map((row) => row.jobId),
      };
      jobs.push({ name: 'messages.received', data, opts: { jobId: imports[0].jobId } });
    }
    imports = [];
  };
  for (const row of rows) {
    if (!isImport(row)) {
      jobs.push({ name: row.jobName, data: row.payload, opts: { jobId: row.jobId } });
      continue;
    }
    imports.push(row);
    if (imports.length === importsPerJob) flushImports();
  }
  flushImports();
  return jobs;
}

/**
 * The outbox rows a job stands for, each as its own job would have been: marked done, failed
 * and told about one by one. A job the relay did not make (a schedule) stands for none of its own
 * but is returned as it is; its id maps to no row.
 */
export function rowJobsOf(job: RowJob): RowJob[] {
  if (job.jobName !== 'messages.received') return [job];
  const { inboxMessageIds, jobIds } = job.data as ImportsPayload;
  return jobIds.map((jobId, index) => ({ jobId, jobName: 'message.received', data: { inboxMessageId: inboxMessageIds[index] } }));
}
