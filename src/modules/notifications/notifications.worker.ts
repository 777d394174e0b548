import { UnrecoverableError, type Job } from 'bullmq';
import type { JobContext } from '../../jobs/worker-runtime';
import type { JobPayloads } from '../../jobs/queues';
import { Enrollment } from '../patients/enrollment.entity';
import type { DeliveryRun } from './email-delivery';
import { BreakGlassAccess } from '../consent/break-glass.entity';
import { BreakGlassService } from '../consent/break-glass.service';
import { PharmacyService } from '../pharmacy/pharmacy.service';
import { ReferralService } from '../referrals/referral.service';
import { NotificationSubject } from './notification-subject';

type EnrolledPayload = JobPayloads['notifications']['patient.enrolled'];

const breakGlass = new BreakGlassService();
const pharmacy = new PharmacyService();
const referrals = new ReferralService();

/**
 * The `notifications` queue. Each job may run more than once (a retry after a crash); the
 * notifications it creates are keyed by job id, so a second run adds nothing. `email.deliver`
 * (scheduled while the e-mail channel is on) sends the e-mails of pending notifications.
 * `live.publish` tells subscribers of a committed change; a rerun may send its event twice,
 * which subscribers take as a second look at the same record.
 */
export async function notificationsProcessor(job: Job, context: JobContext): Promise<{ created: number } | { published: number } | DeliveryRun> {
  switch (job.name) {
    case 'patient.enrolled':
      return notifyCareTeamOfEnrollment(job as Job<EnrolledPayload>, context);
    case 'break-glass.opened':
      return notifyPrivacyOfficer(job as Job<JobPayloads['notifications']['break-glass.opened']>, context);
    case 'fill.transferred':
      return notifyPrescriberOfFill(job as Job<JobPayloads['notifications']['fill.transferred']>, context);
    case 'referral.moved':
      return notifyOfReferralMove(job as Job<JobPayloads['notifications']['referral.moved']>, context);
    case 'live.publish':
      return publishLiveUpdate(job as Job<JobPayloads['notifications']['live.publish']>, context);
    case 'email.deliver':
      // A run the schedule queued before the channel was switched off has nothing to send with.
      return context.emailDelivery?.deliverDue(context.orm.em.fork(), context.logger) ?? { sent: 0, withdrawn: 0, retrying: 0, failed: 0 };
    default:
      throw new UnrecoverableError(`Unknown notifications job ${job.name}`);
  }
}

async function notifyCareTeamOfEnrollment(job: Job<EnrolledPayload>, { orm, logger, notifier }: JobContext) {
  const em = orm.em.fork();
  const enrollment = await em.findOne(Enrollment, { id: job.data.enrollmentId }, { populate: ['careTeam'] });
  if (!enrollment) {
    logger.warn({ jobId: job.id, enrollmentId: job.data.enrollmentId }, 'enrollment not found; nothing to notify');
    return { created: 0 };
  }
  const team = enrollment.careTeam.getItems().filter((member) => member.isCurrent);
  const created = await notifier.notifyUsers(
    em,
    team.map((member) => member.user.id),
    { kind: 'patient.enrolled', subjectType: NotificationSubject.ENROLLMENT, subjectId: enrollment.id, sourceKey: `${job.queueName}/${job.id}` },
  );
  return { created };
}

/** Every emergency access is told to those who answer for it (see `BreakGlassService.toldOf`). */
async function notifyPrivacyOfficer(job: Job<JobPayloads['notifications']['break-glass.opened']>, { orm, notifier }: JobContext) {
  const em = orm.em.fork();
  const access = await em.findOneOrFail(BreakGlassAccess, { id: job.data.accessId });
  const created = await notifier.notifyUsers(
    em,
    await breakGlass.toldOf(em, access),
    { kind: 'break-glass.opened', subjectType: NotificationSubject.BREAK_GLASS_ACCESS, subjectId: access.id, sourceKey: `${job.queueName}/${job.id}` },
  );
  return { created };
}

/** A prescription a pharmacy transferred to another is told to the prescriber at once. */
async function notifyPrescriberOfFill(job: Job<JobPayloads['notifications']['fill.transferred']>, { orm, logger, notifier }: JobContext) {
  const em = orm.em.fork();
  const told = await pharmacy.toldOfFill(em, job.data.dispenseId);
  if (!told) {
    logger.warn({ jobId: job.id, dispenseId: job.data.dispenseId }, 'dispense not found; nothing to notify');
    return { created: 0 };
  }
  const created = await notifier.notifyUsers(em, told.userIds, {
    kind: job.name,
    subjectType: NotificationSubject.DISPENSE,
    subjectId: told.dispense.id,
    sourceKey: `${job.queueName}/${job.id}`,
  });
  return { created };
}

/** A referral's move is told to the other side (see `ReferralService.toldOfMove`). */
async function notifyOfReferralMove(job: Job<JobPayloads['notifications']['referral.moved']>, { orm, logger, notifier }: JobContext) {
  const em = orm.em.fork();
  const told = await referrals.toldOfMove(em, job.data.eventId);
  if (!told) {
    logger.warn({ jobId: job.id, eventId: job.data.eventId }, 'referral event not found; nothing to notify');
    return { created: 0 };
  }
  const created = await notifier.notifyUsers(em, told.userIds, {
    kind: told.kind,
    subjectType: NotificationSubject.REFERRAL,
    subjectId: told.referralId,
    sourceKey: `${job.queueName}/${job.id}`,
  });
  return { created };
}

/** Ids only: each subscriber reads the record again through the policy point. */
async function publishLiveUpdate(job: Job<JobPayloads['notifications']['live.publish']>, { live }: JobContext) {
  const { topic, patientId, recordId } = job.data;
  await live.publish(topic, { patientId, recordId });
  return { published: 1 };
}
