import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { User } from '../users/user.entity';
import { signInNotice, type MessageSender, type OutboundMessage } from './message-sender';
import { EmailStatus, Notification } from './notification.entity';
import { SmtpEmailSender } from './smtp-email-sender';

const longestRetryDelayMs = 6 * 3_600_000;

/** Exponential backoff: the first retry `retrySeconds` after the first failure, each next one twice as late, at most six hours. */
export function retryDelayMs(failures: number, retrySeconds: number): number {
  return Math.min(retrySeconds * 1000 * 2 ** (failures - 1), longestRetryDelayMs);
}

export interface EmailDeliveryOptions {
  maxAttempts: number;
  retrySeconds: number;
  signInUrl?: string;
}

export interface DeliveryRun {
  sent: number;
  /** Not sent: the recipient's account is no longer active. */
  withdrawn: number;
  retrying: number;
  failed: number;
}

/**
 * Sends the e-mail of each PENDING notification that is due. A row is claimed with FOR UPDATE
 * SKIP LOCKED in a transaction of its own, sent while the lock is held and marked in that same
 * transaction, so runs side by side (the schedule firing again, several worker processes) never
 * send one row twice, and a failure is counted and retried later. A crash after the server took
 * the message and before the commit sends it once more: at least once is the most SMTP offers.
 */
export class EmailDelivery {
  private readonly message: OutboundMessage;

  constructor(
    private readonly sender: MessageSender,
    private readonly options: EmailDeliveryOptions,
  ) {
    this.message = signInNotice(options.signInUrl);
  }

  /** Sends up to `limit` due e-mails, one after the other; a run stays short enough to stop gracefully. */
  async deliverDue(em: EntityManager, logger: Logger, limit = 100): Promise<DeliveryRun> {
    const run: DeliveryRun = { sent: 0, withdrawn: 0, retrying: 0, failed: 0 };
    for (let count = 0; count < limit; count++) {
      const outcome = await this.deliverNext(em.fork(), logger);
      if (!outcome) break;
      run[outcome] += 1;
    }
    return run;
  }

  private deliverNext(em: EntityManager, logger: Logger): Promise<keyof DeliveryRun | null> {
    return em.transactional(async (tx) => {
      const notification = await tx.findOne(
        Notification,
        { emailStatus: EmailStatus.PENDING, emailNextAttemptAt: { $lte: new Date() } },
        { orderBy: { emailNextAttemptAt: 'asc' }, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (!notification) return null;
      const recipient = await tx.findOneOrFail(User, notification.recipient.id);
      if (!recipient.active) {
        notification.emailWithdrawn();
        return 'withdrawn';
      }
      try {
        await this.sender.send(recipient.email, this.message);
        notification.emailSent(new Date());
        return 'sent';
      } catch (error) {
        notification.emailFailed(new Date(), this.options.maxAttempts, (failures) => retryDelayMs(failures, this.options.retrySeconds));
        // The error by type and code only: an SMTP reply can quote the address it refused.
        logger.warn({ notificationId: notification.id, attempts: notification.emailAttempts, emailStatus: notification.emailStatus, err: error }, 'notification e-mail not sent');
        return notification.emailStatus === EmailStatus.FAILED ? 'failed' : 'retrying';
      }
    });
  }

  close(): void {
    this.sender.close();
  }
}

/** The e-mail channel as configured: off (null) unless NOTIFY_EMAIL_SMTP_URL is set. */
export function emailDeliveryFrom(
  config: Pick<Config, 'NOTIFY_EMAIL_SMTP_URL' | 'NOTIFY_EMAIL_FROM' | 'NOTIFY_SIGN_IN_URL' | 'NOTIFY_EMAIL_MAX_ATTEMPTS' | 'NOTIFY_EMAIL_RETRY_SECONDS'>,
): EmailDelivery | null {
  if (!config.NOTIFY_EMAIL_SMTP_URL || !config.NOTIFY_EMAIL_FROM) return null;
  return new EmailDelivery(new SmtpEmailSender(config.NOTIFY_EMAIL_SMTP_URL, config.NOTIFY_EMAIL_FROM), {
    maxAttempts: config.NOTIFY_EMAIL_MAX_ATTEMPTS,
    retrySeconds: config.NOTIFY_EMAIL_RETRY_SECONDS,
    signInUrl: config.NOTIFY_SIGN_IN_URL,
  });
}

/**
 * E-mails not (yet) delivered, counted from the table: every worker process's sends count, and
 * a restart loses nothing. FAILED ones were given up after NOTIFY_EMAIL_MAX_ATTEMPTS.
 */
export async function undeliveredEmails(em: EntityManager): Promise<{ pending: number; failed: number }> {
  const [pending, failed] = await Promise.all([
    em.count(Notification, { emailStatus: EmailStatus.PENDING }),
    em.count(Notification, { emailStatus: EmailStatus.FAILED }),
  ]);
  return { pending, failed };
}
