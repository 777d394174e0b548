import { UnrecoverableError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { MedicationAlertService } from './medication-alert.service';

type Payloads = JobPayloads['pharmacy-events'];

const alerts = new MedicationAlertService();

/** The `pharmacy-events` queue: tells the people a medication alert is for. A rerun tells nobody twice. */
export async function pharmacyEventsProcessor(job: Job, context: JobContext): Promise<{ status: string; notified: number }> {
  switch (job.name) {
    case 'medication-alert.raised': {
      const { alertId } = job.data as Payloads['medication-alert.raised'];
      const notified = await alerts.notify(context.orm.em.fork(), context.notifier, alertId);
      context.logger.info({ jobId: job.id, alertId, notified }, 'medication alert sent');
      return { status: 'NOTIFIED', notified };
    }
    default:
      throw new UnrecoverableError(`Unknown pharmacy-events job ${job.name}`);
  }
}
