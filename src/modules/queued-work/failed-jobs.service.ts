import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { isUuid } from '../../db/find';
import { ConflictError, NotFoundError } from '../../errors';
import { OutboxMessage, outboxKeyOf } from '../../jobs/outbox-message.entity';
import { everyProgramsOnCall } from '../labs/critical-alert.service';
import type { Notifier } from '../notifications/notify';
import { requireProgramAdmin } from '../organizations/program-admin';
import { NotificationSubject } from '../notifications/notification-subject';

/** Queued work as admins see it: what it is and, when it failed for good, why; never its payload. */
export interface QueuedJobView {
  id: string;
  queue: string;
  jobName: string;
  createdAt: Date;
  failedAt: Date | null;
  failureReason: string | null;
}

const shownAtMost = 100;

const viewOf = (row: OutboxMessage): QueuedJobView => ({
  id: row.jobKey,
  queue: row.queue,
  jobName: row.jobName,
  createdAt: row.createdAt,
  failedAt: row.failedAt,
  failureReason: row.failureReason,
});

/**
 * Queued work that failed for good: its outbox row is FAILED with a reason code (type and code of
 * the error, never content), IOP admins are told, and once the cause is fixed an admin queues it
 * again. An inbound message's import is worked through its message instead (`reprocessInboundMessage`).
 */
export class FailedJobService {
  /**
   * Marks the row of a job that failed for good; tells the admins unless `quietly` (its message
   * tells them). A row already done (its part of a many-message job succeeded) stays done.
   */
  async failForGood(em: EntityManager, notifier: Notifier, jobId: string, reason: string, { quietly = false } = {}): Promise<boolean> {
    const jobKey = outboxKeyOf(jobId);
    if (!jobKey) return false;
    return em.transactional(async (tx) => {
      const now = new Date();
      const failed = await tx.nativeUpdate(OutboxMessage, { jobKey, doneAt: null }, { doneAt: now, failedAt: now, failureReason: reason.slice(0, 200) });
      if (failed === 0 || quietly) return failed > 0;
      await notifier.notifyUsers(tx, await everyProgramsOnCall(tx), { kind: 'job.failed', subjectType: NotificationSubject.FAILED_JOB, subjectId: jobKey, sourceKey: `job-failed/${jobKey}` });
      return true;
    });
  }

  async listFailed(em: EntityManager, actor: RequestUser): Promise<QueuedJobView[]> {
    await this.requireAdmin(em, actor);
    const rows = await em.find(OutboxMessage, { failedAt: { $ne: null } }, { orderBy: { failedAt: 'desc', id: 'desc' }, limit: shownAtMost });
    return rows.map(viewOf);
  }

  /** One job that failed for good; NOT_FOUND once it was queued again (under a new id). */
  async findFor(em: EntityManager, actor: RequestUser, id: string): Promise<QueuedJobView> {
    await this.requireAdmin(em, actor);
    const row = isUuid(id) ? await em.findOne(OutboxMessage, { jobKey: id, failedAt: { $ne: null } }) : null;
    if (!row) throw new NotFoundError('Failed job', id);
    return viewOf(row);
  }

  /** Queues the job again under a new id (BullMQ remembers the failed one); its effect is idempotent. */
  async retry(em: EntityManager, actor: RequestUser, id: string): Promise<QueuedJobView> {
    await this.requireAdmin(em, actor);
    return em.fork().transactional(async (tx) => {
      const row = isUuid(id) ? await tx.findOne(OutboxMessage, { jobKey: id, failedAt: { $ne: null } }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      if (!row) throw new NotFoundError('Failed job', id);
      if (typeof row.payload.inboxMessageId === 'string') throw new ConflictError('This job imports an inbound message: reprocess the message (reprocessInboundMessage)');
      row.queueAgain();
      return viewOf(row);
    });
  }

  private requireAdmin(em: EntityManager, actor: RequestUser): Promise<void> {
    return requireProgramAdmin(em, actor, 'Only an IOP admin works failed jobs');
  }
}
