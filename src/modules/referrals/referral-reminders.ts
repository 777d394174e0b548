import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import { referralRecipientRoles } from '../access/referral-rules';
import type { Notifier } from '../notifications/notify';
import { NotificationSubject } from '../notifications/notification-subject';
import { activeMembersOf } from '../users/members';
import { addBusinessDays } from './business-days';
import { ReferralUrgency } from './referral-packet';
import { ReferralReminderKind } from './referral-reminder.entity';
import { ReferralStatus } from './referral.entity';

/** How long a sent referral may wait for the recipient's acknowledgement (RECEIVED), by urgency. */
export interface AcknowledgementWindows {
  routineBusinessDays: number;
  urgentHours: number;
  emergentHours: number;
}

export function acknowledgementWindowsOf(config: Pick<Config, 'REFERRAL_ACK_BUSINESS_DAYS' | 'REFERRAL_ACK_URGENT_HOURS' | 'REFERRAL_ACK_EMERGENT_HOURS'>): AcknowledgementWindows {
  return { routineBusinessDays: config.REFERRAL_ACK_BUSINESS_DAYS, urgentHours: config.REFERRAL_ACK_URGENT_HOURS, emergentHours: config.REFERRAL_ACK_EMERGENT_HOURS };
}

const hourMs = 60 * 60 * 1000;

/** When a referral sent at `sentAt` is due to be acknowledged: business days for a routine one, hours otherwise. */
export function acknowledgementDue(sentAt: Date, urgency: ReferralUrgency, windows: AcknowledgementWindows): Date {
  if (urgency === ReferralUrgency.ROUTINE) return addBusinessDays(sentAt, windows.routineBusinessDays);
  const hours = urgency === ReferralUrgency.EMERGENT ? windows.emergentHours : windows.urgentHours;
  return new Date(sentAt.getTime() + hours * hourMs);
}

/** Reminders a sweep looks at; the rest wait for the next sweep. */
const sweepLimit = 1000;

/** What each reminder tells whom: the kind of notification for the recipient organization, and for the sender. */
const told: Record<ReferralReminderKind, { recipient: string; sender: string | null; status: ReferralStatus }> = {
  [ReferralReminderKind.ACKNOWLEDGE]: { recipient: 'referral.reminder', sender: 'referral.unacknowledged', status: ReferralStatus.REQUESTED },
  [ReferralReminderKind.OUTCOME]: { recipient: 'referral.outcome-due', sender: null, status: ReferralStatus.IN_PROGRESS },
};

interface Candidate {
  id: string;
  kind: ReferralReminderKind;
  occasion_at: Date;
  urgency: ReferralUrgency;
  sender_user_id: string;
  recipient_organization_id: string;
}

/**
 * The reminders of the referrals waiting on their recipient, due-dated in the database and found by
 * the reconciler's sweep (a Redis loss delays one by a sweep at most, never drops it):
 * - sent and not acknowledged (still REQUESTED) within its window (`acknowledgementDue`): the
 *   recipient organization's clinical users are reminded and the sending clinician alerted;
 * - booked (IN_PROGRESS) with its appointment passed and no outcome: the recipient is asked to record it.
 * Each is kept as a `ReferralReminder`, once per kind and occasion, in the transaction of its
 * notifications: a rerun, two sweeps at once or a sweep resumed after a crash remind once. Returns
 * how many reminders it sent.
 */
export async function remindReferrals(em: EntityManager, notifier: Notifier, windows: AcknowledgementWindows, now: Date = new Date()): Promise<number> {
  // Narrowed in SQL by the shortest a window can be (n business days span at least n calendar days); decided by `acknowledgementDue`.
  const candidates = await em.execute<Candidate[]>(
    `select r.id, k.kind, k.occasion_at, r.urgency, r.sender_user_id, r.recipient_organization_id
     from referral r
     cross join lateral (values
       (?, case when r.status = ? then r.sent_at end),
       (?, case when r.status = ? and r.appointment_at < ? then r.appointment_at end)
     ) as k(kind, occasion_at)
     where r.status in (?, ?) and k.occasion_at is not null
       and (k.kind = ? or k.occasion_at <= ?::timestamptz - (case r.urgency when ? then ?::float8 when ? then ?::float8 else ?::float8 * 24 end) * interval '1 hour')
       and not exists (select 1 from referral_reminder m where m.referral_id = r.id and m.kind = k.kind and m.occasion_at = k.occasion_at)
     order by k.occasion_at, r.id
     limit ?`,
    [
      ReferralReminderKind.ACKNOWLEDGE,
      ReferralStatus.REQUESTED,
      ReferralReminderKind.OUTCOME,
      ReferralStatus.IN_PROGRESS,
      now,
      ReferralStatus.REQUESTED,
      ReferralStatus.IN_PROGRESS,
      ReferralReminderKind.OUTCOME,
      now,
      ReferralUrgency.URGENT,
      windows.urgentHours,
      ReferralUrgency.EMERGENT,
      windows.emergentHours,
      windows.routineBusinessDays,
      sweepLimit,
    ],
  );
  let sent = 0;
  for (const candidate of candidates) {
    const occasionAt = new Date(candidate.occasion_at);
    const dueAt = candidate.kind === ReferralReminderKind.ACKNOWLEDGE ? acknowledgementDue(occasionAt, candidate.urgency, windows) : occasionAt;
    if (dueAt > now) continue;
    if (await remindOnce(em, notifier, candidate, occasionAt, dueAt)) sent += 1;
  }
  return sent;
}

/**
 * One reminder in one transaction: its row (only while the referral still waits in the state it is
 * about; ON CONFLICT DO NOTHING, so whoever comes second adds nothing) and, if it is new, its
 * notifications, keyed by it.
 */
async function remindOnce(em: EntityManager, notifier: Notifier, candidate: Candidate, occasionAt: Date, dueAt: Date): Promise<boolean> {
  const kinds = told[candidate.kind];
  return em.fork().transactional(async (tx) => {
    const id = randomUUID();
    const rows = await tx.execute<{ id: string }[]>(
      `insert into referral_reminder (id, referral_id, kind, occasion_at, due_at)
       select ?, r.id, ?, ?, ? from referral r where r.id = ? and r.status = ?
       on conflict (referral_id, kind, occasion_at) do nothing returning id`,
      [id, candidate.kind, occasionAt, dueAt, candidate.id, kinds.status],
    );
    if (rows.length === 0) return false;
    const notice = { subjectType: NotificationSubject.REFERRAL, subjectId: candidate.id, sourceKey: `referral-reminder/${id}` };
    await notifier.notifyUsers(tx, await activeMembersOf(tx, [candidate.recipient_organization_id], [...referralRecipientRoles]), { ...notice, kind: kinds.recipient });
    if (kinds.sender) await notifier.notifyUsers(tx, [candidate.sender_user_id], { ...notice, kind: kinds.sender });
    return true;
  });
}
