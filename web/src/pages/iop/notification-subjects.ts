import type { NotificationSubject } from '../../generated/graphql';

/** The portal page that opens a notification's subject (null when the portal has none for it yet). */
export function subjectPath(subjectType: NotificationSubject, subjectId: string): string | null {
  switch (subjectType) {
    case 'CRITICAL_ALERT':
      return `/iop/alerts/${subjectId}`;
    case 'MEDICATION_ALERT':
      return `/iop/medication-alerts/${subjectId}`;
    case 'REFERRAL':
      return `/referrals/${subjectId}`;
    case 'CONSENT':
      return `/iop/consents/${subjectId}`;
    case 'INBOX_MESSAGE':
      return '/iop/match-reviews';
    default:
      return null;
  }
}

/** A notification's kind (`critical.result`, `referral.accepted`, …) in words. */
export const notificationWords = (kind: string) => {
  const [subject, event] = kind.split('.');
  return `${subject.replace(/-/g, ' ')}: ${(event ?? '').replace(/-/g, ' ')}`;
};
