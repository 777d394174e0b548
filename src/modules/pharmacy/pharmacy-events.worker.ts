import type { Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { MedicationAlertService } from './medication-alert.service';
import { prescriptionRoutingProcessor } from './prescription-routing.worker';

type Payloads = JobPayloads['pharmacy-events'];

const alerts = new MedicationAlertService();

/** The `pharmacy-events` queue: medication alerts told to the people they are for (a rerun tells nobody twice), and prescription routing's jobs. */
export async function pharmacyEventsProcessor(job: Job, context: JobContext): Promise<unknown> {
  if (job.name === 'medication-alert.raised') {
    const { alertId } = job.data as Payloads['medication-alert.raised'];
    const notified = await alerts.notify(context.orm.em.fork(), context.notifier, alertId);
    context.logger.info({ jobId: job.id, alertId, notified }, 'medication alert sent');
    return { status: 'NOTIFIED', notified };
  }
  return prescriptionRoutingProcessor(job, context);
}
