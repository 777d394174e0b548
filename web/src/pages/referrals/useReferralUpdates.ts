import { useEffect } from 'react';
import { subscribe } from '../../api/client';
import { ReferralUpdatedDocument } from '../../generated/graphql';

/** Calls `onUpdate` on each move of the referrals I may see (of one referral, given its id), as it happens. */
export function useReferralUpdates(referralId: string | null, onUpdate: () => void) {
  useEffect(() => subscribe(ReferralUpdatedDocument, { referralId }, () => onUpdate()), [referralId, onUpdate]);
}
