import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail } from '../../db/find';
import { ConflictError } from '../../errors';
import { paginate, type PageRequest } from '../../db/paging';
import type { Notifier } from '../notifications/notify';
import { requireProgramAdmin } from '../organizations/program-admin';
import { everyProgramsOnCall } from '../labs/critical-alert.service';
import { InboxMessage, InboxState } from './inbox-message.entity';
import { IngestService } from './ingest.service';
import { NotificationSubject } from '../notifications/notification-subject';

/**
 * Messages the hub accepted but could not import after every retry: FAILED with a reason (never
 * content), put before the IOP admins, and reprocessed by them once the cause is fixed.
 */
export class InboundFailureService {
  private readonly ingest = new IngestService();

  /**
   * Marks a message whose import failed for good, and tells every IOP's admins (who work the
   * review queue: the message's program is not known yet). Only a message still waiting for its
   * import changes; `sourceKey` keeps a rerun from telling them twice.
   */
  async failForGood(em: EntityManager, notifier: Notifier, messageId: string, reason: string, sourceKey: string): Promise<boolean> {
    return em.transactional(async (tx) => {
      const failed = await tx.nativeUpdate(InboxMessage, { id: messageId, state: InboxState.RECEIVED }, { state: InboxState.FAILED, error: reason, processedAt: new Date() });
      if (failed === 0) return false;
      await notifier.notifyUsers(tx, await everyProgramsOnCall(tx), { kind: 'inbound.failed', subjectType: NotificationSubject.INBOX_MESSAGE, subjectId: messageId, sourceKey });
      return true;
    });
  }

  async listFailed(em: EntityManager, actor: RequestUser, args: PageRequest) {
    await this.requireReviewer(em, actor);
    return paginate(em, InboxMessage, { state: InboxState.FAILED }, args);
  }

  /** One inbound message (its filing, never its content), for the admins who work the queues; NOT_FOUND when unknown. */
  async findFor(em: EntityManager, actor: RequestUser, messageId: string): Promise<InboxMessage> {
    await this.requireReviewer(em, actor);
    return findByIdOrFail(em, InboxMessage, messageId, 'Inbound message');
  }

  /** Puts a failed message back in its queue, once the cause of the failure is fixed. */
  async reprocess(em: EntityManager, actor: RequestUser, messageId: string): Promise<InboxMessage> {
    await this.requireReviewer(em, actor);
    const message = await findByIdOrFail(em, InboxMessage, messageId, 'Inbound message');
    if (message.state !== InboxState.FAILED) throw new ConflictError(`Only a failed message can be reprocessed; this one is ${message.state}`);
    return this.ingest.requeue(em, message.id);
  }

  private requireReviewer(em: EntityManager, actor: RequestUser): Promise<void> {
    return requireProgramAdmin(em, actor, 'Only an IOP admin works failed messages');
  }
}
