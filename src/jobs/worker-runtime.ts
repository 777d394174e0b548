import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { safeError } from '../logger';
import { roiConsentProcessor } from '../modules/consent/roi-consent.worker';
import { labResultsProcessor } from '../modules/labs/lab-results.worker';
import { importJobsPerSlot, inboundMessagesProcessor } from '../modules/ingest/ingest.worker';
import { emailDeliveryFrom, type EmailDelivery } from '../modules/notifications/email-delivery';
import { notificationsProcessor } from '../modules/notifications/notifications.worker';
import { Notifier } from '../modules/notifications/notify';
import { InboundFailureService } from '../modules/ingest/inbound-failures.service';
import { CriticalAlertService } from '../modules/labs/critical-alert.service';
import { FailedJobService } from '../modules/queued-work/failed-jobs.service';
import { pharmacyEventsProcessor } from '../modules/pharmacy/pharmacy-events.worker';
import { referralLettersProcessor } from '../modules/referrals/referral-letters.worker';
import { DeliveryService } from '../modules/pharmacy/delivery.service';
import { PharmacyService } from '../modules/pharmacy/pharmacy.service';
import { markOutboxDone, reconcileOutbox, type FailedJob } from './outbox-reconciler';
import { OutboxRelay, type RelayOptions } from './outbox-relay';
import { RetryLaterError } from './retry-later';
import { rowJobsOf } from './relayed-together';
import { Batcher } from '../db/batcher';
import type { QueueSet } from './queue-set';
import type { QueueName } from './queues';
import { LivePublisher } from '../live/live-publisher';
import { acknowledgementWindowsOf, remindReferrals } from '../modules/referrals/referral-reminders';

export interface JobContext {
  orm: MikroORM;
  logger: Logger;
  /** For jobs that schedule follow-up jobs of their own (keyed, so idempotent). */
  queues: QueueSet;
  config: Pick<Config, 'CRITICAL_ALERT_ESCALATION_SECONDS' | 'CONSENT_REMINDER_HOURS' | 'WEBHOOK_SECRETS_KEY'>;
  /** Adds notifications, marked for e-mail when that channel is on. */
  notifier: Notifier;
  /** The e-mail channel; null when it is off (no NOTIFY_EMAIL_SMTP_URL). */
  emailDelivery: EmailDelivery | null;
  /** Tells the API processes' subscribers of what a job committed. */
  live: LivePublisher;
  /**
   * The job ids of outbox rows the job marked done in its own transaction (with its effect); the
   * runtime marks the job's other rows once it completes.
   */
  outboxRowsDone: Set<string>;
}

export type Processor = (job: Job, context: JobContext) => Promise<unknown>;

type JobContextConfig = JobContext['config'] &
  Pick<Config, 'NOTIFY_EMAIL_SMTP_URL' | 'NOTIFY_EMAIL_FROM' | 'NOTIFY_SIGN_IN_URL' | 'NOTIFY_EMAIL_MAX_ATTEMPTS' | 'NOTIFY_EMAIL_RETRY_SECONDS'>;

/** What every processor is given; the e-mail channel is on when NOTIFY_EMAIL_SMTP_URL is set. */
export function createJobContext(deps: { orm: MikroORM; logger: Logger; queues: QueueSet; config: JobContextConfig; live: LivePublisher }): JobContext {
  const emailDelivery = emailDeliveryFrom(deps.config);
  return { ...deps, notifier: new Notifier({ email: emailDelivery !== null }), emailDelivery, outboxRowsDone: new Set() };
}

/** The queues this worker serves and the processor of each (one `*.worker.ts` per queue). */
export const processors: Partial<Record<QueueName, Processor>> = {
  notifications: notificationsProcessor,
  'lab-results': labResultsProcessor,
  'inbound-messages': inboundMessagesProcessor,
  'roi-consent': roiConsentProcessor,
  'pharmacy-events': pharmacyEventsProcessor,
  'referral-letters': referralLettersProcessor,
};

export interface WorkerRuntimeDependencies {
  config: JobContextConfig &
    Pick<
      Config,
      'DATABASE_URL' | 'WORKER_CONCURRENCY' | 'JOB_LOCK_MS' | 'OUTBOX_BATCH_SIZE' | 'OUTBOX_POLL_INTERVAL_MS' | 'CONSENT_SWEEP_SECONDS' | 'NOTIFY_EMAIL_POLL_SECONDS' | 'OUTBOX_RECONCILE_SECONDS' | 'OUTBOX_RECONCILE_AFTER_SECONDS' | 'REFILL_LATE_DAYS' | 'REFERRAL_ACK_BUSINESS_DAYS' | 'REFERRAL_ACK_URGENT_HOURS' | 'REFERRAL_ACK_EMERGENT_HOURS'
    >;
  orm: MikroORM;
  /** A connection with `maxRetriesPerRequest: null`, for the workers' blocking commands. */
  workerConnection: Redis;
  queues: QueueSet;
  logger: Logger;
  relayHooks?: Pick<RelayOptions, 'afterEnqueue'>;
}

export interface WorkerRuntime {
  relay: OutboxRelay;
  workers: Worker[];
  /** Stops taking work, lets running jobs finish, then returns. Connections stay the caller's. */
  stop(): Promise<void>;
}

/**
 * When a job that must wait comes back: later with each try (up to 1 s) and with jitter, so that
 * many waiting jobs do not keep the database busy with retries or all come back at once.
 */
function retryLaterDelayMs(tries: number): number {
  return Math.min(1000, 25 * 2 ** Math.min(tries, 6)) * (0.5 + Math.random());
}

/**
 * BullMQ keeps a failed job's error message in Redis (and shows it on dashboards); database
 * errors quote the values of the failed statement. The job fails with the error's type and code
 * only; the log keeps the frames.
 */
async function runSafely(processor: Processor, job: Job, context: JobContext, token?: string): Promise<unknown> {
  try {
    return await processor(job, context);
  } catch (error) {
    if (error instanceof RetryLaterError) {
      // Not a failure: the worker slot goes to other jobs meanwhile.
      await job.moveToDelayed(Date.now() + retryLaterDelayMs(job.attemptsStarted), token);
      throw new DelayedError();
    }
    context.logger.error({ err: error, jobId: job.id, jobName: job.name }, 'job failed');
    const { type, code } = safeError(error) as { type: string; code?: string | number };
    const reason = code === undefined ? type : `${type} (${code})`;
    // An error no retry can mend stays one, so BullMQ does not try again.
    throw error instanceof UnrecoverableError ? new UnrecoverableError(reason) : new Error(reason);
  }
}

const failures = new InboundFailureService();
const failedJobs = new FailedJobService();
const criticalAlerts = new CriticalAlertService();
const deliveries = new DeliveryService();
const pharmacy = new PharmacyService();

/**
 * After a job's last attempt (or an unrecoverable error): its outbox row is marked FAILED and
 * put before the admins; the inbound message it was importing, if any, is marked FAILED too
 * (and it, rather than the job, is what the admins are told about and reprocess). A job relayed
 * for many rows fails each of its rows not done yet, as their own jobs would have.
 */
async function afterFinalFailure(job: FailedJob, reason: string, context: JobContext): Promise<void> {
  for (const row of rowJobsOf(job)) await afterRowFailure({ ...job, ...row }, reason, context);
}

async function afterRowFailure(job: FailedJob, reason: string, context: JobContext): Promise<void> {
  const { inboxMessageId } = job.data as { inboxMessageId?: unknown };
  const importsMessage = typeof inboxMessageId === 'string';
  await failedJobs.failForGood(context.orm.em.fork(), context.notifier, job.jobId, reason, { quietly: importsMessage });
  if (!importsMessage) {
    context.logger.error({ jobId: job.jobId, jobName: job.jobName }, 'job failed for good; waiting for an admin to retry it');
    return;
  }
  const marked = await failures.failForGood(context.orm.em.fork(), context.notifier, inboxMessageId, `import failed: ${reason}`, `${job.queueName}/${job.jobId}/failed`);
  if (marked) context.logger.error({ jobId: job.jobId, jobName: job.jobName, inboxMessageId }, 'inbound message failed for good; waiting for an admin to reprocess it');
}

/** A job as its outbox rows are settled: done, or failed for good. */
const settledJobOf = (job: Job): FailedJob => ({ queueName: job.queueName, jobId: job.id ?? '', jobName: job.name, data: job.data as Record<string, unknown> });

const isFinal = (job: Job, error: Error) => error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);

/**
 * Runs `jobName` on `queueName` every `seconds`, once per queue prefix however many workers run
 * (BullMQ keys the schedule by id). Each run is removed when it completes: a count-based limit
 * would trim the queue's whole completed set, which remembers relayed outbox job ids.
 */
function schedule(queues: QueueSet, queueName: QueueName, schedulerId: string, seconds: number, jobName: string): Promise<unknown> {
  return queues
    .get(queueName)
    .upsertJobScheduler(schedulerId, { every: seconds * 1000 }, { name: jobName, data: {}, opts: { removeOnComplete: true } });
}

/** The worker process's bootstrap, shared by src/worker.ts and the tests. */
export function startWorkerRuntime(deps: WorkerRuntimeDependencies): WorkerRuntime {
  const { config, orm, workerConnection, queues, logger } = deps;
  const context = createJobContext({ orm, logger, queues, config, live: new LivePublisher(workerConnection, queues.prefix, logger) });
  const { emailDelivery } = context;
  const relay = new OutboxRelay(orm, queues, logger.child({ component: 'outbox-relay' }), {
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    notifications: { databaseUrl: config.DATABASE_URL },
    ...deps.relayHooks,
  });
  // Jobs that finish while a mark runs are marked together by the next: one statement for many.
  const doneMarks = new Batcher<string | undefined, void>(
    async (jobIds) => {
      await markOutboxDone(orm, jobIds);
      return jobIds.map(() => ({ status: 'fulfilled', value: undefined }));
    },
    { maxBatch: 1000, maxRunning: 1 },
  );
  const workers = Object.entries(processors).map(([queueName, processor]) => {
    const jobLogger = logger.child({ queue: queueName });
    const worker = new Worker(
      queueName,
      async (job, token) => {
        const outboxRowsDone = new Set<string>();
        const result = await runSafely(processor, job, { ...context, logger: jobLogger, outboxRowsDone }, token);
        const unmarked = rowJobsOf(settledJobOf(job)).filter((row) => !outboxRowsDone.has(row.jobId));
        await Promise.all(unmarked.map((row) => doneMarks.add(row.jobId)));
        return result;
      },
      {
        connection: workerConnection,
        prefix: queues.prefix,
        // Import jobs wait for their batch (one transaction for many), not each for a connection.
        concurrency: queueName === 'inbound-messages' ? config.WORKER_CONCURRENCY * importJobsPerSlot : config.WORKER_CONCURRENCY,
        // A stop waits for running jobs up to SHUTDOWN_TIMEOUT_MS, which the configuration keeps longer than
        // the lock: SIGTERM lets a job finish rather than leaving it to stall and run again.
        lockDuration: config.JOB_LOCK_MS,
        // Looked for as often as a lock lasts: a killed worker's job runs again within about twice JOB_LOCK_MS, not BullMQ's fixed 30 s more.
        stalledInterval: config.JOB_LOCK_MS,
      },
    );
    worker.on('failed', (job, error) => {
      jobLogger.warn({ jobId: job?.id, jobName: job?.name, attempts: job?.attemptsMade, err: error }, 'job failed');
      if (job && isFinal(job, error)) {
        afterFinalFailure(settledJobOf(job), error.message, { ...context, logger: jobLogger }).catch((markError: unknown) =>
          jobLogger.error({ err: markError, jobId: job.id }, 'could not mark the failed message'),
        );
      }
    });
    worker.on('error', (error) => jobLogger.error({ err: error }, 'worker error'));
    return worker;
  });
  relay.start();
  // Schedules live in Redis: a Redis restarted empty loses them. They are set again at every
  // reconciliation (an unchanged schedule keeps its next run), so a sweep is delayed, never stopped.
  const ensureSchedules = () =>
    Promise.all([
      schedule(queues, 'roi-consent', 'consent-sweep', config.CONSENT_SWEEP_SECONDS, 'consent.sweep'),
      // As often as consents are swept: a consent that starts after it was signed routes what it covers then.
      schedule(queues, 'pharmacy-events', 'prescriptions-route-due', config.CONSENT_SWEEP_SECONDS, 'prescriptions.route-due'),
      // Switching the channel off stops a schedule an earlier start left in Redis.
      emailDelivery
        ? schedule(queues, 'notifications', 'notification-email', config.NOTIFY_EMAIL_POLL_SECONDS, 'email.deliver')
        : queues.get('notifications').removeJobScheduler('notification-email'),
    ]);
  // A timer of the process's own, not a BullMQ schedule: it must run after Redis lost everything.
  const reconcile = () =>
    Promise.all([
      reconcileOutbox(orm, queues, logger, config.OUTBOX_RECONCILE_AFTER_SECONDS, (job, reason) => afterFinalFailure(job, reason, context)),
      criticalAlerts.escalateOverdue(orm.em.fork(), context.notifier, config.CRITICAL_ALERT_ESCALATION_SECONDS),
      // Late deliveries are due-dated in the database: found here, whatever Redis lost.
      deliveries.alertLate(orm.em.fork()),
      // So are refills: due from the last fill, found here too.
      pharmacy.alertLateRefills(orm.em.fork(), config.REFILL_LATE_DAYS),
      // Referral reminders too: due from the sending or the appointment.
      remindReferrals(orm.em.fork(), context.notifier, acknowledgementWindowsOf(config)),
      ensureSchedules(),
    ]).catch((error: unknown) => logger.error({ err: error }, 'reconciliation failed; trying again later'));
  let reconciling = reconcile();
  const reconciler = setInterval(() => {
    reconciling = reconciling.then(reconcile);
  }, config.OUTBOX_RECONCILE_SECONDS * 1000);
  return {
    relay,
    workers,
    async stop() {
      clearInterval(reconciler);
      await reconciling;
      await relay.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      emailDelivery?.close();
    },
  };
}
