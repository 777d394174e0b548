import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { JobContext } from '../../jobs/worker-runtime';
import type { JobPayloads } from '../../jobs/queues';
import { Enrollment } from '../patients/enrollment.entity';
import { Notification } from './notification.entity';

type EnrolledPayload = JobPayloads['notifications']['patient.enrolled'];

/**
 * The `notifications` queue. Each job may run more than once (a retry after a crash); the
 * notifications it creates are keyed by job id, so a second run adds nothing.
 */
export async function notificationsProcessor(job: Job, { orm, logger }: JobContext): Promise<{ created: number }> {
  switch (job.name) {
    case 'patient.enrolled':
      return notifyCareTeamOfEnrollment(job as Job<EnrolledPayload>, { orm, logger });
    default:
      throw new Error(`Unknown notifications job ${job.name}`);
  }
}

async function notifyCareTeamOfEnrollment(job: Job<EnrolledPayload>, { orm, logger }: JobContext) {
  const sourceKey = `${job.queueName}/${job.id}`;
  const em = orm.em.fork();
  const enrollment = await em.findOne(Enrollment, { id: job.data.enrollmentId }, { populate: ['careTeam'] });
  if (!enrollment) {
    logger.warn({ jobId: job.id, enrollmentId: job.data.enrollmentId }, 'enrollment not found; nothing to notify');
    return { created: 0 };
  }
  const rows = enrollment.careTeam
    .getItems()
    .filter((member) => member.isCurrent)
    .map((member) => ({
      id: randomUUID(),
      recipient: member.user.id,
      kind: 'patient.enrolled',
      subjectType: 'Enrollment',
      subjectId: enrollment.id,
      sourceKey,
      createdAt: new Date(),
    }));
  if (rows.length === 0) return { created: 0 };
  // ON CONFLICT DO NOTHING on (sourceKey, recipient): a second run of the job, even one running
  // at the same moment as the first, adds nothing.
  const inserted: { id: string }[] = await em
    .createQueryBuilder(Notification)
    .insert(rows)
    .onConflict(['sourceKey', 'recipient'])
    .ignore()
    .returning(['id'])
    .execute<{ id: string }[]>('all');
  return { created: inserted.length };
}
