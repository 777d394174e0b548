import { DelayedError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { DomainError } from '../../errors';
import { InboxMessage } from '../inbox/inbox-message.entity';
import { CriticalAlert, CriticalAlertStatus } from './critical-alert.entity';
import { CriticalAlertService } from './critical-alert.service';
import { LabImportService } from './lab-import.service';

type Payloads = JobPayloads['lab-results'];

const importer = new LabImportService();
const alerts = new CriticalAlertService();

/** How long an import may wait for its patient's other imports while holding a worker slot. */
const patientWaitMs = 500;

/**
 * When an import that waited in vain comes back: later with each try (up to 1 s) and with jitter,
 * so that a long burst of one patient's messages does not keep the database busy with retries.
 */
function patientBusyDelayMs(tries: number): number {
  return Math.min(1000, 25 * 2 ** Math.min(tries, 6)) * (0.5 + Math.random());
}

/**
 * The `lab-results` queue: imports each stored ORU^R01, sends critical results to the
 * prescribers and escalates the ones nobody acknowledged in time. Every job may run twice
 * (a redelivery) without doing anything twice.
 */
export async function labResultsProcessor(job: Job, context: JobContext, token?: string): Promise<{ status: string }> {
  switch (job.name) {
    case 'oru.received': {
      const { inboxMessageId } = job.data as Payloads['oru.received'];
      try {
        const result = await importer.import(context.orm.em.fork(), inboxMessageId, undefined, { patientWaitMs });
        if (result.status === 'PATIENT_BUSY') {
          // The worker slot goes to other patients' messages meanwhile.
          await job.moveToDelayed(Date.now() + patientBusyDelayMs(job.attemptsStarted), token);
          throw new DelayedError();
        }
        context.logger.info({ jobId: job.id, inboxMessageId, status: result.status }, 'lab message processed');
        return { status: result.status };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // Input that can never be imported: kept as REJECTED for review instead of retried forever.
        const em = context.orm.em.fork();
        const message = await em.findOneOrFail(InboxMessage, { id: inboxMessageId });
        message.markRejected(error.message);
        await em.flush();
        return { status: 'REJECTED' };
      }
    }
    case 'critical.raised':
      return raise(job as Job<Payloads['critical.raised']>, context);
    case 'critical.escalate':
      return escalate(job as Job<Payloads['critical.escalate']>, context);
    default:
      throw new Error(`Unknown lab-results job ${job.name}`);
  }
}

async function raise(job: Job<Payloads['critical.raised']>, { orm, queues, config, notifier }: JobContext) {
  const em = orm.em.fork();
  const alert = await em.findOneOrFail(CriticalAlert, { id: job.data.alertId });
  const prescribers = await alerts.prescribersOf(em, alert.patient.id);
  await notifier.notifyUsers(em, prescribers, { kind: 'critical.result', subjectType: 'CriticalAlert', subjectId: alert.id, sourceKey: `${job.queueName}/${job.id}` });
  // Keyed by the alert, so a rerun of this job schedules the escalation once.
  await queues.get('lab-results').add(
    'critical.escalate',
    { alertId: alert.id },
    { jobId: `escalate-${alert.id}`, delay: config.CRITICAL_ALERT_ESCALATION_SECONDS * 1000 },
  );
  return { status: 'NOTIFIED' };
}

async function escalate(job: Job<Payloads['critical.escalate']>, { orm, logger, notifier }: JobContext) {
  const em = orm.em.fork();
  // Conditional update: an acknowledgement that lands at the same moment wins, never overwritten.
  const escalated = await em.nativeUpdate(
    CriticalAlert,
    { id: job.data.alertId, status: CriticalAlertStatus.OPEN },
    { status: CriticalAlertStatus.ESCALATED, escalatedAt: new Date() },
  );
  if (escalated > 0) logger.warn({ alertId: job.data.alertId }, 'critical alert not acknowledged in time; escalated');
  const alert = await em.findOneOrFail(CriticalAlert, { id: job.data.alertId });
  if (alert.status !== CriticalAlertStatus.ESCALATED) return { status: alert.status };
  const onCall = await alerts.onCallFor(em, alert.patient.id);
  await notifier.notifyUsers(em, onCall, { kind: 'critical.escalated', subjectType: 'CriticalAlert', subjectId: alert.id, sourceKey: `${job.queueName}/${job.id}` });
  return { status: alert.status };
}
