import type { ReferralStatus } from '../../generated/graphql';

/** A referral's state in words, as both sides read it. */
export const referralStatusWords: Record<ReferralStatus, string> = {
  DRAFT: 'draft (not sent)',
  REQUESTED: 'sent, awaiting acknowledgement',
  RECEIVED: 'received',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  IN_PROGRESS: 'appointment booked',
  COMPLETED: 'completed',
  NO_SHOW: 'no-show',
  CANCELLED: 'cancelled',
  FAILED: 'not delivered',
};

export function ReferralStatusBadge({ status }: { status: ReferralStatus }) {
  return <span className={`status status-${status.toLowerCase()}`}>{referralStatusWords[status]}</span>;
}
