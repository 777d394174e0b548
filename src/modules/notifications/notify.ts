import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Notification } from './notification.entity';

export interface NotificationInit {
  kind: string;
  subjectType: string;
  subjectId: string;
  /** The job that sends it: one notification per recipient per source, however often it runs. */
  sourceKey: string;
}

/** Tells users of something that happened; every job is given one (JobContext.notifier). */
export class Notifier {
  /**
   * Adds one in-app notification per user, ON CONFLICT DO NOTHING on (sourceKey, recipient): a
   * second run of the same job, even one running at the same moment as the first, adds nothing.
   * Returns how many were new.
   */
  async notifyUsers(em: EntityManager, userIds: string[], init: NotificationInit): Promise<number> {
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return 0;
    const rows = recipients.map((recipient) => ({ id: randomUUID(), recipient, createdAt: new Date(), ...init }));
    const inserted: { id: string }[] = await em
      .createQueryBuilder(Notification)
      .insert(rows)
      .onConflict(['sourceKey', 'recipient'])
      .ignore()
      .returning(['id'])
      .execute<{ id: string }[]>('all');
    return inserted.length;
  }
}
