import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EmailStatus, Notification } from './notification.entity';
import type { NotificationSubject } from './notification-subject';

export interface NotificationInit {
  kind: string;
  subjectType: NotificationSubject;
  subjectId: string;
  /** The job that sends it: one notification per recipient per source, however often it runs. */
  sourceKey: string;
}

/** The channels a notification goes out on besides the in-app list. */
export interface NotificationChannels {
  /** Each recipient also gets an e-mail saying there is a message (see email-delivery.ts). */
  email: boolean;
}

/** Tells users of something that happened, on every channel that is switched on. */
export class Notifier {
  constructor(private readonly channels: NotificationChannels) {}

  /**
   * Adds one in-app notification per user, ON CONFLICT DO NOTHING on (sourceKey, recipient): a
   * second run of the same job, even one running at the same moment as the first, adds nothing.
   * With e-mail on, each new row is PENDING in the same statement, so its e-mail cannot be lost
   * and a rerun (which inserts nothing) cannot queue a second one. Returns how many were new.
   */
  async notifyUsers(em: EntityManager, userIds: string[], init: NotificationInit): Promise<number> {
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return 0;
    const now = new Date();
    const email = this.channels.email ? { emailStatus: EmailStatus.PENDING, emailNextAttemptAt: now } : {};
    const rows = recipients.map((recipient) => ({ id: randomUUID(), recipient, createdAt: now, emailAttempts: 0, ...init, ...email }));
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
