import { UnrecoverableError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { importInbound } from '../ingest/ingest.worker';
import { CriticalAlert, CriticalAlertStatus } from './critical-alert.entity';
import { CriticalAlertService } from './critical-alert.service';
import { NotificationSubject } from '../notifications/notification-subject';

type Payloads = JobPayloads['lab-results'];

const alerts = new CriticalAlertService();

/**
 * The `lab-results` queue: sends critical results to the prescribers and escalates the ones
 * nobody acknowledged in time. Every job may run twice (a redelivery) without doing anything twice.
 */
export async function labResultsProcessor(job: Job, context: JobContext): Promise<{ status: string }> {
  switch (job.name) {
    case 'oru.received':
      return importInbound(job, context);
    case 'critical.raised':
      return raise(job as Job<Payloads['critical.raised']>, context);
    case 'critical.escalate':
      return escalate(job as Job<Payloads['critical.escalate']>, context);
    default:
      throw new UnrecoverableError(`Unknown lab-results job ${job.name}`);
  }
}

async function raise(job: Job<Payloads['critical.raised']>, { orm, queues, config, notifier, live }: JobContext) {
  const em = orm.em.fork();
  const alert = await em.findOneOrFail(CriticalAlert, { id: job.data.alertId });
  const prescribers = await alerts.prescribersOf(em, alert.patient.id);
  await notifier.notifyUsers(em, prescribers, { kind: 'critical.result', subjectType: NotificationSubject.CRITICAL_ALERT, subjectId: alert.id, sourceKey: `${job.queueName}/${job.id}` });
  // Keyed by the alert, so a rerun of this job schedules the escalation once.
  await queues.get('lab-results').add(
    'critical.escalate',
    { alertId: alert.id },
    { jobId: `escalate-${alert.id}`, delay: config.CRITICAL_ALERT_ESCALATION_SECONDS * 1000 },
  );
  await live.publish('criticalAlertRaised', { patientId: alert.patient.id, recordId: alert.id });
  return { status: 'NOTIFIED' };
}

async function escalate(job: Job<Payloads['critical.escalate']>, { orm, logger, notifier }: JobContext) {
  const status = await alerts.escalate(orm.em.fork(), notifier, job.data.alertId);
  if (status === CriticalAlertStatus.ESCALATED) logger.warn({ alertId: job.data.alertId }, 'critical alert not acknowledged in time; escalated');
  return { status };
}
